"""live rooms: questions, votes, room state, interest flags (issue 4)

Revision ID: 0005_live
Revises: 0004_scheduling
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_live'
down_revision = '0004_scheduling'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
