"""live questions carry the key their page chose, so a question sent again after a lost answer is stored once

Revision ID: 0013_question_client_key
Revises: 0012_match_changes
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_question_client_key'
down_revision = '0012_match_changes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('live_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))
        batch_op.create_index('uq_live_questions_author_client_key', ['author_id', 'client_key'], unique=True)


def downgrade():
    with op.batch_alter_table('live_questions', schema=None) as batch_op:
        batch_op.drop_index('uq_live_questions_author_client_key')
        batch_op.drop_column('client_key')
