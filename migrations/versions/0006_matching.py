"""matching, saved searches, meetings, deal pipeline (issue 5)

Revision ID: 0006_matching
Revises: 0005_live
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_matching'
down_revision = '0005_live'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
