"""English versions of curated content: sessions, series, session templates, venues, institutions

Revision ID: 0017_english_content
Revises: 0016_financing
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_english_content'
down_revision = '0016_financing'
branch_labels = None
depends_on = None

# table: (column, type) added; all optional: a page falls back to the Chinese text
COLUMNS = {
    'roadshow_sessions': [('title_en', sa.String(160)), ('description_en', sa.Text())],
    'series': [('name_en', sa.String(120)), ('description_en', sa.Text())],
    'session_templates': [('title_pattern_en', sa.String(160)), ('description_en', sa.Text())],
    'venues': [('name_en', sa.String(120)), ('description_en', sa.Text())],
    'institutions': [('name_en', sa.String(160)), ('intro_en', sa.Text())],
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _type in reversed(columns):
                batch_op.drop_column(name)
