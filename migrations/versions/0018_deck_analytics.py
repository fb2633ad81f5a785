"""deck viewer analytics (openings, seconds per page, downloads) and the per-project download switch (issue 19)

Revision ID: 0018_deck_analytics
Revises: 0017_english_content

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_deck_analytics'
down_revision = '0017_english_content'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deck_downloads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('downloaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_deck_downloads_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deck_downloads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deck_downloads'))
    )
    with op.batch_alter_table('deck_downloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deck_downloads_project_id'), ['project_id'], unique=False)

    op.create_table('deck_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('last_event_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_deck_views_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['viewer_id'], ['users.id'], name=op.f('fk_deck_views_viewer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deck_views'))
    )
    with op.batch_alter_table('deck_views', schema=None) as batch_op:
        batch_op.create_index('ix_deck_views_project_opened', ['project_id', 'opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deck_views_viewer_id'), ['viewer_id'], unique=False)

    op.create_table('deck_page_views',
    sa.Column('view_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.CheckConstraint('page >= 1', name=op.f('ck_deck_page_views_page_positive')),
    sa.CheckConstraint('seconds BETWEEN 0 AND 21600', name=op.f('ck_deck_page_views_seconds_range')),
    sa.ForeignKeyConstraint(['view_id'], ['deck_views.id'], name=op.f('fk_deck_page_views_view_id_deck_views'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('view_id', 'page', name=op.f('pk_deck_page_views'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deck_downloadable', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('deck_downloadable')

    op.drop_table('deck_page_views')
    with op.batch_alter_table('deck_views', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deck_views_viewer_id'))
        batch_op.drop_index('ix_deck_views_project_opened')

    op.drop_table('deck_views')
    with op.batch_alter_table('deck_downloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deck_downloads_project_id'))

    op.drop_table('deck_downloads')
