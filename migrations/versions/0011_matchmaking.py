"""matchmaking days (issue 16)

Revision ID: 0011_matchmaking
Revises: 0010_live_polls

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_matchmaking'
down_revision = '0010_live_polls'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('matchmaking_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('slot_count', sa.Integer(), nullable=False),
    sa.Column('rooms', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('solve_summary', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('deadline <= starts_at', name=op.f('ck_matchmaking_days_deadline_before_start')),
    sa.CheckConstraint('rooms IS NULL OR rooms >= 1', name=op.f('ck_matchmaking_days_rooms_positive')),
    sa.CheckConstraint('slot_count BETWEEN 1 AND 48', name=op.f('ck_matchmaking_days_slot_count_range')),
    sa.CheckConstraint('slot_minutes BETWEEN 5 AND 120', name=op.f('ck_matchmaking_days_slot_minutes_range')),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_matchmaking_days_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_days')),
    sa.UniqueConstraint('session_id', name=op.f('uq_matchmaking_days_session_id'))
    )
    op.create_table('matchmaking_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('unavailable_mask', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('(user_id IS NULL) <> (project_id IS NULL)', name=op.f('ck_matchmaking_parties_investor_or_startup')),
    sa.CheckConstraint('unavailable_mask >= 0', name=op.f('ck_matchmaking_parties_mask_not_negative')),
    sa.ForeignKeyConstraint(['day_id'], ['matchmaking_days.id'], name=op.f('fk_matchmaking_parties_day_id_matchmaking_days'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_matchmaking_parties_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_matchmaking_parties_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_parties')),
    sa.UniqueConstraint('day_id', 'project_id', name=op.f('uq_matchmaking_parties_day_id_project_id')),
    sa.UniqueConstraint('day_id', 'user_id', name=op.f('uq_matchmaking_parties_day_id_user_id'))
    )
    with op.batch_alter_table('matchmaking_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_parties_day_id'), ['day_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_parties_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_parties_user_id'), ['user_id'], unique=False)

    op.create_table('matchmaking_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.Column('startup_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('room', sa.Integer(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.CheckConstraint('slot >= 0', name=op.f('ck_matchmaking_meetings_slot_not_negative')),
    sa.ForeignKeyConstraint(['day_id'], ['matchmaking_days.id'], name=op.f('fk_matchmaking_meetings_day_id_matchmaking_days'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['investor_id'], ['matchmaking_parties.id'], name=op.f('fk_matchmaking_meetings_investor_id_matchmaking_parties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['startup_id'], ['matchmaking_parties.id'], name=op.f('fk_matchmaking_meetings_startup_id_matchmaking_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_meetings')),
    sa.UniqueConstraint('day_id', 'investor_id', 'slot', name='uq_matchmaking_meetings_investor_slot'),
    sa.UniqueConstraint('day_id', 'slot', 'room', name='uq_matchmaking_meetings_room_slot'),
    sa.UniqueConstraint('day_id', 'startup_id', 'slot', name='uq_matchmaking_meetings_startup_slot'),
    sa.UniqueConstraint('investor_id', 'startup_id', name=op.f('uq_matchmaking_meetings_investor_id_startup_id'))
    )
    with op.batch_alter_table('matchmaking_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_meetings_day_id'), ['day_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_meetings_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_meetings_startup_id'), ['startup_id'], unique=False)

    op.create_table('matchmaking_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_party_id', sa.Integer(), nullable=False),
    sa.Column('to_party_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.Enum('must', 'like', 'no', name='mark', native_enum=False, length=32), nullable=False),
    sa.CheckConstraint('from_party_id <> to_party_id', name=op.f('ck_matchmaking_preferences_not_self')),
    sa.ForeignKeyConstraint(['from_party_id'], ['matchmaking_parties.id'], name=op.f('fk_matchmaking_preferences_from_party_id_matchmaking_parties'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_party_id'], ['matchmaking_parties.id'], name=op.f('fk_matchmaking_preferences_to_party_id_matchmaking_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_preferences')),
    sa.UniqueConstraint('from_party_id', 'to_party_id', name=op.f('uq_matchmaking_preferences_from_party_id_to_party_id'))
    )
    with op.batch_alter_table('matchmaking_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_preferences_to_party_id'), ['to_party_id'], unique=False)



def downgrade():
    with op.batch_alter_table('matchmaking_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_preferences_to_party_id'))

    op.drop_table('matchmaking_preferences')
    with op.batch_alter_table('matchmaking_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_meetings_startup_id'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_meetings_investor_id'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_meetings_day_id'))

    op.drop_table('matchmaking_meetings')
    with op.batch_alter_table('matchmaking_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_parties_user_id'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_parties_project_id'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_parties_day_id'))

    op.drop_table('matchmaking_parties')
    op.drop_table('matchmaking_days')
