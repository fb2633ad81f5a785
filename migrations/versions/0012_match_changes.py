"""exact match refresh: writes note what they make stale (match_changes) instead of timestamps (issue 16)

Revision ID: 0012_match_changes
Revises: 0011_matchmaking
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_match_changes'
down_revision = '0011_matchmaking'
branch_labels = None
depends_on = None

CHANGED_ENTITY = sa.Enum('project', 'fund', 'institution', 'all', name='changedentity', native_enum=False, length=32)
SCORED_ENTITY = sa.Enum('project', 'fund', name='scoredentity', native_enum=False, length=32)


def upgrade():
    op.create_table('match_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', CHANGED_ENTITY, nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_changes'))
    )
    # Stored scores may be stale under the old detection: the first refresh recomputes everything.
    op.execute("INSERT INTO match_changes (entity, entity_id) VALUES ('all', 0)")
    op.drop_table('match_marks')


def downgrade():
    op.create_table('match_marks',
    sa.Column('entity', SCORED_ENTITY, nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', name=op.f('pk_match_marks'))
    )
    op.drop_table('match_changes')
