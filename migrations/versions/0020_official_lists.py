"""official lists and the facts they verify; funds' registration code (issue 18)

Revision ID: 0020_official_lists
Revises: 0019_live_video
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_official_lists'
down_revision = '0019_live_video'
branch_labels = None
depends_on = None

LIST_KINDS = ('innovation', 'srdi', 'high_tech', 'fund_manager', 'fund')
SUBJECTS = ('company', 'institution', 'fund')


def upgrade():
    op.create_table(
        'official_list_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*LIST_KINDS, name='listkind', native_enum=False, length=32), nullable=False),
        sa.Column('source', sa.String(length=120), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=True),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('matched', sa.Integer(), nullable=False),
        sa.Column('changed', sa.Integer(), nullable=False),
        sa.Column('unmatched', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_official_list_imports_imported_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_official_list_imports')),
    )
    op.create_index('ix_official_list_imports_imported_at', 'official_list_imports', ['imported_at'])
    op.create_table(
        'verified_facts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.Enum(*SUBJECTS, name='subject', native_enum=False, length=32), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*LIST_KINDS, name='listkind', native_enum=False, length=32), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('source', sa.String(length=120), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('verified_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['official_list_imports.id'], name=op.f('fk_verified_facts_import_id_official_list_imports'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verified_facts')),
        sa.UniqueConstraint('subject', 'subject_id', 'kind', name=op.f('uq_verified_fact')),
    )
    op.create_index('ix_verified_facts_import_id', 'verified_facts', ['import_id'])
    with op.batch_alter_table('funds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_code', sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint('uq_funds_registration_code', ['registration_code'])


def downgrade():
    with op.batch_alter_table('funds', schema=None) as batch_op:
        batch_op.drop_constraint('uq_funds_registration_code', type_='unique')
        batch_op.drop_column('registration_code')
    op.drop_index('ix_verified_facts_import_id', table_name='verified_facts')
    op.drop_table('verified_facts')
    op.drop_index('ix_official_list_imports_imported_at', table_name='official_list_imports')
    op.drop_table('official_list_imports')
