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


def upgrade():
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
    op.drop_table('meeting_requests')
    op.drop_table('availability_slots')
