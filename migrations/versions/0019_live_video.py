"""live video: stream keys and states, recordings, slot start times (chapters), removed chapters (issue 19)

Revision ID: 0019_live_video
Revises: 0018_deck_analytics

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_live_video'
down_revision = '0018_deck_analytics'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=False),
    sa.Column('duration_seconds', sa.Double(), nullable=False),
    sa.Column('folder', sa.String(length=80), nullable=False),
    sa.Column('ready', sa.Boolean(), nullable=False),
    sa.CheckConstraint('duration_seconds >= 0', name=op.f('ck_live_recordings_duration_not_negative')),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_recordings_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_recordings')),
    sa.UniqueConstraint('folder', name=op.f('uq_live_recordings_folder'))
    )
    with op.batch_alter_table('live_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_recordings_session_id'), ['session_id'], unique=False)

    op.create_table('live_streams',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('stream_key', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'live', 'ended', name='streamstate', native_enum=False, length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('key_rotated_at', sa.DateTime(), nullable=False),
    sa.Column('replay_published', sa.Boolean(), nullable=False),
    sa.Column('replay_open_to_verified', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_streams_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_live_streams')),
    sa.UniqueConstraint('stream_key', name=op.f('uq_live_streams_stream_key'))
    )
    op.create_table('live_chapter_removals',
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_live_chapter_removals_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_chapter_removals_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_live_chapter_removals_slot_id_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slot_id', name=op.f('pk_live_chapter_removals'))
    )
    with op.batch_alter_table('live_chapter_removals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_chapter_removals_session_id'), ['session_id'], unique=False)

    op.create_table('live_slot_starts',
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_slot_starts_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_live_slot_starts_slot_id_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slot_id', name=op.f('pk_live_slot_starts'))
    )
    with op.batch_alter_table('live_slot_starts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_slot_starts_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('live_slot_starts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_slot_starts_session_id'))

    op.drop_table('live_slot_starts')
    with op.batch_alter_table('live_chapter_removals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_chapter_removals_session_id'))

    op.drop_table('live_chapter_removals')
    op.drop_table('live_streams')
    with op.batch_alter_table('live_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_recordings_session_id'))

    op.drop_table('live_recordings')
