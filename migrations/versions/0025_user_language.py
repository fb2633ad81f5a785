"""each user's language, for what is written to them later (notifications, emails) (issue 20)

Revision ID: 0025_user_language
Revises: 0024_conversations
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_user_language'
down_revision = '0024_conversations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=False, server_default='zh_CN'))
        batch_op.create_check_constraint(batch_op.f('ck_users_language_supported'),
                                         sa.text("language IN ('zh_CN', 'en')"))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_language_supported'), type_='check')
        batch_op.drop_column('language')
