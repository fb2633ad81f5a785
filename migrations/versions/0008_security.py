"""audit log and security (issue 8)

Revision ID: 0008_security
Revises: 0007_api
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_security'
down_revision = '0007_api'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
