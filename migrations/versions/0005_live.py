"""live rooms: questions, votes, room state, interest flags (issue 4)

Revision ID: 0005_live
Revises: 0004_scheduling
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_live'
down_revision = '0004_scheduling'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('roadshow_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_viewing', sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table('live_rooms',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('current_slot_id', sa.Integer(), nullable=True),
    sa.Column('phase', sa.Enum('waiting', 'pitch', 'qa', 'ended', name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('timer_ends_at', sa.DateTime(), nullable=True),
    sa.Column('qa_locked', sa.Boolean(), nullable=False),
    sa.Column('premoderation', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['current_slot_id'], ['slots.id'], name=op.f('fk_live_rooms_current_slot_id_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_rooms_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_live_rooms'))
    )

    op.create_table('live_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=500), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'hidden', 'withdrawn', name='questionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(body) BETWEEN 1 AND 500', name=op.f('ck_live_questions_body_length')),
    sa.CheckConstraint('votes >= 0', name=op.f('ck_live_questions_votes_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_live_questions_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_live_questions_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_questions_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_questions'))
    )
    with op.batch_alter_table('live_questions', schema=None) as batch_op:
        batch_op.create_index('ix_live_questions_author_recent', ['author_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_questions_session_id'), ['session_id'], unique=False)

    op.create_table('live_question_votes',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['live_questions.id'], name=op.f('fk_live_question_votes_question_id_live_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_question_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'user_id', name=op.f('pk_live_question_votes'))
    )
    with op.batch_alter_table('live_question_votes', schema=None) as batch_op:
        batch_op.create_index('ix_live_question_votes_user_recent', ['user_id', 'created_at'], unique=False)

    op.create_table('live_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['investor_id'], ['users.id'], name=op.f('fk_live_interests_investor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_live_interests_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_interests_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_interests')),
    sa.UniqueConstraint('session_id', 'project_id', 'investor_id', name=op.f('uq_live_interests_session_id_project_id_investor_id'))
    )
    with op.batch_alter_table('live_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_interests_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_interests_project_id'), ['project_id'], unique=False)

    op.create_table('live_bans',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('banned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['banned_by_id'], ['users.id'], name=op.f('fk_live_bans_banned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_bans_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_bans_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'user_id', name=op.f('pk_live_bans'))
    )

    op.create_table('live_announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(body) BETWEEN 1 AND 300', name=op.f('ck_live_announcements_body_length')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_live_announcements_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_announcements_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_announcements'))
    )
    with op.batch_alter_table('live_announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_announcements_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('live_announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_announcements_session_id'))
    op.drop_table('live_announcements')
    op.drop_table('live_bans')
    with op.batch_alter_table('live_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_interests_project_id'))
        batch_op.drop_index(batch_op.f('ix_live_interests_investor_id'))
    op.drop_table('live_interests')
    with op.batch_alter_table('live_question_votes', schema=None) as batch_op:
        batch_op.drop_index('ix_live_question_votes_user_recent')
    op.drop_table('live_question_votes')
    with op.batch_alter_table('live_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_questions_session_id'))
        batch_op.drop_index('ix_live_questions_author_recent')
    op.drop_table('live_questions')
    op.drop_table('live_rooms')
    with op.batch_alter_table('roadshow_sessions', schema=None) as batch_op:
        batch_op.drop_column('public_viewing')
