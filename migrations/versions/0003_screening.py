"""screening: reviewer pool, assignments, rubric scores, waitlist (issue 3)

Revision ID: 0003_screening
Revises: 0002_notifications
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_screening'
down_revision = '0002_notifications'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
