"""the listing track: 上市后备企业 tags (list, batch, target board; withdrawn ones kept) and each company's
readiness checklist with the staff's check (issue 23)

Revision ID: 0029_listing
Revises: 0028_training
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029_listing'
down_revision = '0028_training'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('readiness_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('share_reform', 'governance', 'audit', 'sponsor', 'law_firm', 'tutoring', name='readinesskind', native_enum=False, length=32), nullable=False),
    sa.Column('progress', sa.Enum('not_started', 'in_progress', 'done', name='itemprogress', native_enum=False, length=32), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence_file', sa.String(length=80), nullable=True),
    sa.Column('evidence_name', sa.String(length=200), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('verification', sa.Enum('unverified', 'verified', 'rejected', name='verification', native_enum=False, length=32), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('check_note', sa.Text(), nullable=True),
    sa.CheckConstraint("(verification = 'unverified' AND checked_by_id IS NULL AND checked_at IS NULL) OR (verification <> 'unverified' AND checked_at IS NOT NULL)", name=op.f('ck_readiness_items_check_recorded')),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_readiness_items_checked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_readiness_items_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_readiness_items_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_readiness_items')),
    sa.UniqueConstraint('company_id', 'kind', name='uq_readiness_item')
    )
    with op.batch_alter_table('readiness_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_readiness_items_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_readiness_items_verification'), ['verification'], unique=False)

    op.create_table('listing_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('cultivation_list', sa.Enum('hubei_reserve', 'huanghe_lingyun', 'wuhan_reserve', 'east_lake_reserve', name='listinglist', native_enum=False, length=32), nullable=False),
    sa.Column('batch', sa.String(length=40), nullable=False),
    sa.Column('target_board', sa.Enum('star', 'bse', 'chinext', 'main', 'neeq', 'regional', name='targetboard', native_enum=False, length=32), nullable=True),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('tagged_by_id', sa.Integer(), nullable=True),
    sa.Column('tagged_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('(withdrawn_at IS NULL AND withdrawal_reason IS NULL) OR (withdrawn_at IS NOT NULL AND length(trim(withdrawal_reason)) > 0)', name=op.f('ck_listing_tags_withdrawal_has_reason')),
    sa.CheckConstraint('length(trim(batch)) > 0', name=op.f('ck_listing_tags_batch_given')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_listing_tags_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_listing_tags_organiser_id_organisers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tagged_by_id'], ['users.id'], name=op.f('fk_listing_tags_tagged_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_listing_tags_withdrawn_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_tags'))
    )
    with op.batch_alter_table('listing_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_tags_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_tags_cultivation_list'), ['cultivation_list'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_tags_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index('uq_listing_tags_active', ['company_id', 'cultivation_list'], unique=True, sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))



def downgrade():
    with op.batch_alter_table('listing_tags', schema=None) as batch_op:
        batch_op.drop_index('uq_listing_tags_active', sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_listing_tags_organiser_id'))
        batch_op.drop_index(batch_op.f('ix_listing_tags_cultivation_list'))
        batch_op.drop_index(batch_op.f('ix_listing_tags_company_id'))

    op.drop_table('listing_tags')
    with op.batch_alter_table('readiness_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_readiness_items_verification'))
        batch_op.drop_index(batch_op.f('ix_readiness_items_company_id'))

    op.drop_table('readiness_items')
