"""two-sided meeting requests: startups ask institutions, proposals, venue or online meetings, mutes (issue 16)

Revision ID: 0023_meeting_contact
Revises: 0022_fund_disclosure
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_meeting_contact'
down_revision = '0022_fund_disclosure'
branch_labels = None
depends_on = None

OPEN_BEFORE = sa.text("status IN ('requested', 'accepted')")
OPEN = sa.text("status IN ('requested', 'proposed', 'accepted')")
OPEN_STARTUP = sa.text("initiator = 'startup' AND status IN ('requested', 'proposed', 'accepted')")
ONLINE_HAS_LINK = "mode IS NULL OR mode != 'online' OR meeting_link IS NOT NULL"
HAS_TIME_BEFORE = "status NOT IN ('accepted', 'held') OR (starts_at IS NOT NULL AND ends_at IS NOT NULL)"
HAS_TIME = "status NOT IN ('accepted', 'held', 'proposed') OR (starts_at IS NOT NULL AND ends_at IS NOT NULL)"
INITIATOR_NAMED = ("(initiator = 'investor' AND investor_id IS NOT NULL) OR "
                   "(initiator = 'startup' AND institution_id IS NOT NULL AND company_id IS NOT NULL)")


def _place_columns(batch_op, table):
    batch_op.add_column(sa.Column('mode', sa.Enum('venue', 'online', name='meetingmode', native_enum=False,
                                                  length=32), nullable=True))
    batch_op.add_column(sa.Column('venue_id', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('meeting_link', sa.String(length=300), nullable=True))
    batch_op.create_foreign_key(batch_op.f(f'fk_{table}_venue_id_venues'), 'venues', ['venue_id'], ['id'],
                                ondelete='SET NULL')
    batch_op.create_check_constraint(batch_op.f(f'ck_{table}_online_has_link'), sa.text(ONLINE_HAS_LINK))


def upgrade():
    op.create_table('meeting_mutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('muted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_meeting_mutes_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_meeting_mutes_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['muted_by_id'], ['users.id'], name=op.f('fk_meeting_mutes_muted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_mutes')),
    sa.UniqueConstraint('institution_id', 'company_id', name=op.f('uq_meeting_mutes_institution_id_company_id'))
    )
    with op.batch_alter_table('availability_slots', schema=None) as batch_op:
        _place_columns(batch_op, 'availability_slots')
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('initiator', sa.Enum('investor', 'startup', name='meetingside',
                                                           native_enum=False, length=32),
                                      nullable=False, server_default='investor'))
        batch_op.add_column(sa.Column('company_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('requested_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposed_by', sa.Enum('investor', 'startup', name='meetingside',
                                                             native_enum=False, length=32), nullable=True))
        batch_op.alter_column('investor_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_meeting_requests_company_id_companies'), 'companies',
                                    ['company_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_meeting_requests_requested_by_id_users'), 'users',
                                    ['requested_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_meeting_requests_company_id'), ['company_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_meeting_requests_accepted_has_time'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_meeting_requests_accepted_has_time'), sa.text(HAS_TIME))
        batch_op.create_check_constraint(batch_op.f('ck_meeting_requests_initiator_named'),
                                         sa.text(INITIATOR_NAMED))
        batch_op.drop_index('uq_meeting_requests_open_pair')
        batch_op.create_index('uq_meeting_requests_open_pair', ['investor_id', 'project_id'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index('uq_meeting_requests_open_startup_ask', ['company_id', 'institution_id'],
                              unique=True, sqlite_where=OPEN_STARTUP, postgresql_where=OPEN_STARTUP)
        _place_columns(batch_op, 'meeting_requests')
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.alter_column('initiator', server_default=None)


def downgrade():
    # Requests a startup made have no investor to keep; proposals go back to waiting for an answer.
    op.execute("DELETE FROM meeting_requests WHERE initiator = 'startup'")
    op.execute("UPDATE meeting_requests SET status = 'requested' WHERE status = 'proposed'")
    for table in ('meeting_requests', 'availability_slots'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_online_has_link'), type_='check')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_venue_id_venues'), type_='foreignkey')
            batch_op.drop_column('meeting_link')
            batch_op.drop_column('venue_id')
            batch_op.drop_column('mode')
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_requests_open_startup_ask')
        batch_op.drop_index('uq_meeting_requests_open_pair')
        batch_op.create_index('uq_meeting_requests_open_pair', ['investor_id', 'project_id'], unique=True,
                              sqlite_where=OPEN_BEFORE, postgresql_where=OPEN_BEFORE)
        batch_op.drop_constraint(batch_op.f('ck_meeting_requests_initiator_named'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_meeting_requests_accepted_has_time'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_meeting_requests_accepted_has_time'),
                                         sa.text(HAS_TIME_BEFORE))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_company_id'))
        batch_op.drop_constraint(batch_op.f('fk_meeting_requests_requested_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_meeting_requests_company_id_companies'), type_='foreignkey')
        batch_op.alter_column('investor_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('proposed_by')
        batch_op.drop_column('requested_by_id')
        batch_op.drop_column('company_id')
        batch_op.drop_column('initiator')
    op.drop_table('meeting_mutes')
