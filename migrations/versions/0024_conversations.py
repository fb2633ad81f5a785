"""conversation threads for meeting requests and deals: messages, read markers, reports (issue 16)

Revision ID: 0024_conversations
Revises: 0023_meeting_contact
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_conversations'
down_revision = '0023_meeting_contact'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('blocked_by_id', sa.Integer(), nullable=True),
    sa.Column('blocked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_message_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('(meeting_id IS NULL) != (deal_id IS NULL)', name=op.f('ck_threads_one_subject')),
    sa.ForeignKeyConstraint(['blocked_by_id'], ['users.id'], name=op.f('fk_threads_blocked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_threads_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting_requests.id'], name=op.f('fk_threads_meeting_id_meeting_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threads')),
    sa.UniqueConstraint('deal_id', name=op.f('uq_threads_deal_id')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_threads_meeting_id'))
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_threads_last_message_at'), ['last_message_at'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('deck_project_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('length(body) <= 2000', name=op.f('ck_messages_body_bounded')),
    sa.CheckConstraint('length(body) > 0 OR deck_project_id IS NOT NULL', name=op.f('ck_messages_not_empty')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deck_project_id'], ['projects.id'], name=op.f('fk_messages_deck_project_id_projects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_messages_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_thread_id_id', ['thread_id', 'id'], unique=False)

    op.create_table('thread_marks',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read_up_to', sa.Integer(), nullable=False),
    sa.Column('mailed_up_to', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_marks_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_thread_marks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_thread_marks'))
    )
    op.create_table('message_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_reports_message_id_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_message_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_reports')),
    sa.UniqueConstraint('message_id', 'reporter_id', name=op.f('uq_message_reports_message_id_reporter_id'))
    )
    with op.batch_alter_table('message_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_reports_message_id'), ['message_id'], unique=False)


def downgrade():
    for table in ('message_reports', 'thread_marks', 'messages', 'threads'):
        op.drop_table(table)
