"""matching, saved searches, meetings, deal pipeline (issue 5)

Revision ID: 0006_matching
Revises: 0005_live
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_matching'
down_revision = '0005_live'
branch_labels = None
depends_on = None

MEETING_STATUS = sa.Enum('requested', 'accepted', 'held', 'declined', 'cancelled', name='meetingstatus',
                         native_enum=False, length=32)
MEETING_SOURCE = sa.Enum('page', 'match', 'live', 'express', name='meetingsource', native_enum=False, length=32)
OPEN_MEETING = sa.text("status IN ('requested', 'accepted')")
SCORED_ENTITY = sa.Enum('project', 'fund', name='scoredentity', native_enum=False, length=32)
MATCH_FLAG = sa.Enum('saved', 'hidden', name='matchflag', native_enum=False, length=32)
FREQUENCY = sa.Enum('instant', 'daily', name='frequency', native_enum=False, length=32)
ADVISOR_STATUS = sa.Enum('open', 'engaged', 'closed', name='advisorrequeststatus', native_enum=False, length=32)


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=False), sa.Column('updated_at', sa.DateTime(), nullable=False)]


def create_matching_tables():
    op.create_table('matches',
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_matches_score_range')),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_matches_fund_id_funds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_matches_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_matches_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('fund_id', 'project_id', name=op.f('pk_matches'))
    )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.create_index('ix_matches_institution_score', ['institution_id', 'score'], unique=False)
        batch_op.create_index('ix_matches_project_score', ['project_id', 'score'], unique=False)

    op.create_table('match_marks',
    sa.Column('entity', SCORED_ENTITY, nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', name=op.f('pk_match_marks'))
    )
    op.create_table('match_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('weights_key', sa.String(length=200), nullable=False),
    sa.Column('projects', sa.Integer(), nullable=False),
    sa.Column('funds', sa.Integer(), nullable=False),
    sa.Column('pairs_stored', sa.Integer(), nullable=False),
    sa.Column('millis', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_runs'))
    )
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_runs_created_at'), ['created_at'], unique=False)

    op.create_table('match_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('flag', MATCH_FLAG, nullable=False),
    *_timestamps(),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_match_preferences_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_match_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'project_id', name=op.f('pk_match_preferences'))
    )
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('chains', sa.JSON(), nullable=False),
    sa.Column('stages', sa.JSON(), nullable=False),
    sa.Column('amount_min', sa.BigInteger(), nullable=True),
    sa.Column('amount_max', sa.BigInteger(), nullable=True),
    sa.Column('min_score', sa.Integer(), nullable=False),
    sa.Column('frequency', FREQUENCY, nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_timestamps(),
    sa.CheckConstraint('amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max', name=op.f('ck_saved_searches_amount_range')),
    sa.CheckConstraint('min_score BETWEEN 0 AND 100', name=op.f('ck_saved_searches_min_score_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_user_id'), ['user_id'], unique=False)

    op.create_table('express_deliveries',
    sa.Column('search_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_express_deliveries_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['search_id'], ['saved_searches.id'], name=op.f('fk_express_deliveries_search_id_saved_searches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('search_id', 'project_id', name=op.f('pk_express_deliveries'))
    )
    with op.batch_alter_table('express_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_express_deliveries_notified_at'), ['notified_at'], unique=False)

    op.create_table('advisor_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', ADVISOR_STATUS, nullable=False),
    sa.Column('engaged_institution_id', sa.Integer(), nullable=True),
    *_timestamps(),
    sa.ForeignKeyConstraint(['engaged_institution_id'], ['institutions.id'], name=op.f('fk_advisor_requests_engaged_institution_id_institutions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_advisor_requests_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_advisor_requests_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisor_requests'))
    )
    with op.batch_alter_table('advisor_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_requests_project_id'), ['project_id'], unique=False)

    op.create_table('advisor_recipients',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_advisor_recipients_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['advisor_requests.id'], name=op.f('fk_advisor_recipients_request_id_advisor_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'institution_id', name=op.f('pk_advisor_recipients'))
    )
    with op.batch_alter_table('advisor_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_recipients_institution_id'), ['institution_id'], unique=False)


DEAL_STAGE = sa.Enum('interest', 'meeting_held', 'due_diligence', 'term_sheet', 'signed', 'dropped',
                     name='dealstage', native_enum=False, length=32)


def create_deal_tables():
    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('stage', DEAL_STAGE, nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('drop_reason', sa.Text(), nullable=True),
    sa.Column('stage_changed_at', sa.DateTime(), nullable=False),
    *_timestamps(),
    sa.CheckConstraint('amount IS NULL OR amount > 0', name=op.f('ck_deals_amount_positive')),
    sa.CheckConstraint("stage != 'dropped' OR length(drop_reason) > 0", name=op.f('ck_deals_dropped_has_reason')),
    sa.CheckConstraint("stage != 'signed' OR (amount > 0 AND signed_on IS NOT NULL)", name=op.f('ck_deals_signed_has_terms')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_deals_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_deals_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals')),
    sa.UniqueConstraint('institution_id', 'project_id', name=op.f('uq_deals_institution_id_project_id'))
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deals_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_stage'), ['stage'], unique=False)

    op.create_table('deal_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', DEAL_STAGE, nullable=True),
    sa.Column('to_stage', DEAL_STAGE, nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_deal_events_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_events_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_events'))
    )
    with op.batch_alter_table('deal_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_events_deal_id'), ['deal_id'], unique=False)


LATER_TABLES = ('deal_events', 'deals', 'advisor_recipients', 'advisor_requests', 'express_deliveries', 'saved_searches',
                   'match_preferences', 'match_runs', 'match_marks', 'matches')


def upgrade():
    create_matching_tables()
    create_meeting_tables()
    create_deal_tables()


def create_meeting_tables():
    op.create_table('availability_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_availability_slots_ends_after_start')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_availability_slots_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_slots')),
    sa.UniqueConstraint('company_id', 'starts_at', name=op.f('uq_availability_slots_company_id_starts_at'))
    )
    op.create_table('meeting_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('source', MEETING_SOURCE, nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', MEETING_STATUS, nullable=False),
    sa.Column('availability_slot_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('response_note', sa.Text(), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status NOT IN ('accepted', 'held') OR (starts_at IS NOT NULL AND ends_at IS NOT NULL)", name=op.f('ck_meeting_requests_accepted_has_time')),
    sa.ForeignKeyConstraint(['availability_slot_id'], ['availability_slots.id'], name=op.f('fk_meeting_requests_availability_slot_id_availability_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['users.id'], name=op.f('fk_meeting_requests_cancelled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_meeting_requests_institution_id_institutions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['investor_id'], ['users.id'], name=op.f('fk_meeting_requests_investor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_meeting_requests_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_meeting_requests_session_id_roadshow_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_requests')),
    sa.UniqueConstraint('availability_slot_id', name=op.f('uq_meeting_requests_availability_slot_id'))
    )
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_requests_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_status'), ['status'], unique=False)
        batch_op.create_index('ix_meeting_requests_status_start', ['status', 'starts_at'], unique=False)
        batch_op.create_index('uq_meeting_requests_open_pair', ['investor_id', 'project_id'], unique=True,
                              sqlite_where=OPEN_MEETING, postgresql_where=OPEN_MEETING)


def downgrade():
    for table in LATER_TABLES:
        op.drop_table(table)
    op.drop_table('meeting_requests')
    op.drop_table('availability_slots')
