"""partner organisers' own reviewer pools (issue 23)

Revision ID: 0030_organiser_reviewers
Revises: 0029_listing
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_organiser_reviewers'
down_revision = '0029_listing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organiser_reviewers',
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_organiser_reviewers_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_organiser_reviewers_organiser_id_organisers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organiser_reviewers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organiser_id', 'user_id', name=op.f('pk_organiser_reviewers'))
    )
    with op.batch_alter_table('organiser_reviewers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organiser_reviewers_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('organiser_reviewers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organiser_reviewers_user_id'))

    op.drop_table('organiser_reviewers')
