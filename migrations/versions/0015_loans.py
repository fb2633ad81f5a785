"""technology loans: lenders' products, loan applications, IP assets; a company's district and revenue (issue 17)

Revision ID: 0015_loans
Revises: 0014_feedback
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_loans'
down_revision = '0014_feedback'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ip_assets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('invention_patent', 'utility_model', 'design_patent', 'software_copyright', 'trademark', name='ipkind', native_enum=False, length=32), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('pending', 'granted', 'lapsed', name='ipstatus', native_enum=False, length=32), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_ip_assets_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ip_assets')),
    sa.UniqueConstraint('number', name=op.f('uq_ip_assets_number'))
    )
    with op.batch_alter_table('ip_assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ip_assets_company_id'), ['company_id'], unique=False)

    op.create_table('loan_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('talent', 'rnd', 'pilot', 'ip_pledge', 'invest_loan', 'quick_301', name='loankind', native_enum=False, length=32), nullable=False),
    sa.Column('collateral', sa.Enum('none', 'ip_pledge', 'guarantee', 'equity_linked', name='collateral', native_enum=False, length=32), nullable=False),
    sa.Column('amount_min', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('amount_max', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('rate_min', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('rate_max', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('term_min_months', sa.Integer(), nullable=False),
    sa.Column('term_max_months', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('is_published', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_min > 0 AND amount_min <= amount_max AND amount_max <= 10000000000', name=op.f('ck_loan_products_amount_range')),
    sa.CheckConstraint('rate_min > 0 AND rate_min <= rate_max AND rate_max <= 100', name=op.f('ck_loan_products_rate_range')),
    sa.CheckConstraint('term_min_months >= 1 AND term_min_months <= term_max_months AND term_max_months <= 360', name=op.f('ck_loan_products_term_range')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_loan_products_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_products'))
    )
    with op.batch_alter_table('loan_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_products_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_products_is_published'), ['is_published'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_products_kind'), ['kind'], unique=False)

    op.create_table('loan_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'info_requested', 'approved', 'declined', 'withdrawn', name='loanapplicationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('info_request', sa.Text(), nullable=True),
    sa.Column('info_reply', sa.Text(), nullable=True),
    sa.Column('approved_amount', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('approved_rate', sa.Numeric(precision=7, scale=4), nullable=True),
    sa.Column('approved_term_months', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status != 'approved' OR (approved_amount > 0 AND approved_rate > 0 AND approved_rate <= 100 AND approved_term_months >= 1)", name=op.f('ck_loan_applications_approved_has_terms')),
    sa.CheckConstraint("status != 'declined' OR length(decision_reason) > 0", name=op.f('ck_loan_applications_declined_has_reason')),
    sa.CheckConstraint('amount > 0 AND amount <= 10000000000', name=op.f('ck_loan_applications_amount_range')),
    sa.CheckConstraint('term_months >= 1 AND term_months <= 360', name=op.f('ck_loan_applications_term_range')),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_loan_applications_applicant_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_loan_applications_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_loan_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['loan_products.id'], name=op.f('fk_loan_applications_product_id_loan_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_applications'))
    )
    with op.batch_alter_table('loan_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loan_applications_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_applications_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_applications_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loan_applications_status'), ['status'], unique=False)
        batch_op.create_index('uq_loan_applications_open', ['product_id', 'company_id'], unique=True, sqlite_where=sa.text("status IN ('submitted', 'info_requested')"), postgresql_where=sa.text("status IN ('submitted', 'info_requested')"))

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('district', sa.Enum('east_lake', 'jiangan', 'jianghan', 'qiaokou', 'hanyang', 'wuchang', 'qingshan', 'hongshan', 'dongxihu', 'caidian', 'jiangxia', 'huangpi', 'xinzhou', 'economic_zone', 'changjiang_new', 'outside_wuhan', name='district', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('annual_revenue', sa.Numeric(precision=16, scale=2), nullable=True))
        batch_op.create_index(batch_op.f('ix_companies_district'), ['district'], unique=False)



def downgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companies_district'))
        batch_op.drop_column('annual_revenue')
        batch_op.drop_column('district')

    with op.batch_alter_table('loan_applications', schema=None) as batch_op:
        batch_op.drop_index('uq_loan_applications_open', sqlite_where=sa.text("status IN ('submitted', 'info_requested')"), postgresql_where=sa.text("status IN ('submitted', 'info_requested')"))
        batch_op.drop_index(batch_op.f('ix_loan_applications_status'))
        batch_op.drop_index(batch_op.f('ix_loan_applications_product_id'))
        batch_op.drop_index(batch_op.f('ix_loan_applications_decided_at'))
        batch_op.drop_index(batch_op.f('ix_loan_applications_company_id'))

    op.drop_table('loan_applications')
    with op.batch_alter_table('loan_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loan_products_kind'))
        batch_op.drop_index(batch_op.f('ix_loan_products_is_published'))
        batch_op.drop_index(batch_op.f('ix_loan_products_institution_id'))

    op.drop_table('loan_products')
    with op.batch_alter_table('ip_assets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ip_assets_company_id'))

    op.drop_table('ip_assets')
