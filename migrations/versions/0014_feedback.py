"""after the roadshow: attendees' feedback per project (issue 16)

Revision ID: 0014_feedback
Revises: 0013_question_client_key
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_feedback'
down_revision = '0013_question_client_key'
branch_labels = None
depends_on = None

INTEREST_LEVEL = sa.Enum('none', 'follow', 'meet', 'due_diligence', name='interestlevel', native_enum=False, length=32)


def upgrade():
    op.create_table('roadshow_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('investor_id', sa.Integer(), nullable=False),
    sa.Column('interest', INTEREST_LEVEL, nullable=False),
    sa.Column('concerns', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(note) <= 1000', name=op.f('ck_roadshow_feedback_note_length')),
    sa.CheckConstraint("interest IN ('none', 'follow', 'meet', 'due_diligence')", name=op.f('ck_roadshow_feedback_interest_known')),
    sa.ForeignKeyConstraint(['investor_id'], ['users.id'], name=op.f('fk_roadshow_feedback_investor_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_roadshow_feedback_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_roadshow_feedback_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadshow_feedback')),
    sa.UniqueConstraint('session_id', 'project_id', 'investor_id', name=op.f('uq_roadshow_feedback_session_id_project_id_investor_id'))
    )
    with op.batch_alter_table('roadshow_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadshow_feedback_investor_id'), ['investor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roadshow_feedback_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roadshow_feedback_session_id'), ['session_id'], unique=False)


def downgrade():
    op.drop_table('roadshow_feedback')
