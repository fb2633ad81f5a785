"""scheduling: session templates, job run guards (issue 3)

Revision ID: 0004_scheduling
Revises: 0003_screening
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_scheduling'
down_revision = '0003_screening'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
