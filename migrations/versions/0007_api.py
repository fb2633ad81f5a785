"""API tokens and webhooks (issue 6)

Revision ID: 0007_api
Revises: 0006_matching
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_api'
down_revision = '0006_matching'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
