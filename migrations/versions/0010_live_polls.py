"""live-room polls: options, one ballot per member (issue 19)

Revision ID: 0010_live_polls
Revises: 0009_email_confirmation

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_live_polls'
down_revision = '0009_email_confirmation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('single', 'multiple', name='pollkind', native_enum=False, length=32), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('results_shown', sa.Boolean(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(question) BETWEEN 1 AND 200', name=op.f('ck_live_polls_question_length')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_live_polls_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_live_polls_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_polls'))
    )
    with op.batch_alter_table('live_polls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_polls_session_id'), ['session_id'], unique=False)

    op.create_table('live_poll_ballots',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['live_polls.id'], name=op.f('fk_live_poll_ballots_poll_id_live_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_poll_ballots_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'user_id', name=op.f('pk_live_poll_ballots'))
    )
    with op.batch_alter_table('live_poll_ballots', schema=None) as batch_op:
        batch_op.create_index('ix_live_poll_ballots_user_recent', ['user_id', 'created_at'], unique=False)

    op.create_table('live_poll_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.CheckConstraint('length(label) BETWEEN 1 AND 80', name=op.f('ck_live_poll_options_label_length')),
    sa.CheckConstraint('position BETWEEN 1 AND 6', name=op.f('ck_live_poll_options_position_range')),
    sa.ForeignKeyConstraint(['poll_id'], ['live_polls.id'], name=op.f('fk_live_poll_options_poll_id_live_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_poll_options')),
    sa.UniqueConstraint('poll_id', 'position', name=op.f('uq_live_poll_options_poll_id_position'))
    )
    with op.batch_alter_table('live_poll_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_poll_options_poll_id'), ['poll_id'], unique=False)

    op.create_table('live_poll_choices',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['live_poll_options.id'], name=op.f('fk_live_poll_choices_option_id_live_poll_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id', 'user_id'], ['live_poll_ballots.poll_id', 'live_poll_ballots.user_id'], name=op.f('fk_live_poll_choices_poll_id_live_poll_ballots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'user_id', 'option_id', name=op.f('pk_live_poll_choices'))
    )
    with op.batch_alter_table('live_poll_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_poll_choices_option_id'), ['option_id'], unique=False)



def downgrade():
    with op.batch_alter_table('live_poll_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_poll_choices_option_id'))

    op.drop_table('live_poll_choices')
    with op.batch_alter_table('live_poll_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_poll_options_poll_id'))

    op.drop_table('live_poll_options')
    with op.batch_alter_table('live_poll_ballots', schema=None) as batch_op:
        batch_op.drop_index('ix_live_poll_ballots_user_recent')

    op.drop_table('live_poll_ballots')
    with op.batch_alter_table('live_polls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_polls_session_id'))

    op.drop_table('live_polls')
