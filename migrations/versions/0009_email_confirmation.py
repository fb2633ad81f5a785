"""email confirmation for self-registered accounts (issue 15)

Revision ID: 0009_email_confirmation
Revises: 0008_security
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_email_confirmation'
down_revision = '0008_security'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        # Accounts that exist already signed in before: they count as confirmed.
        batch_op.add_column(sa.Column('email_confirmed', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed')
