"""fund disclosure fields and their public version history (issue 18)

Revision ID: 0022_fund_disclosure
Revises: 0021_webhooks
"""
from alembic import op
import sqlalchemy as sa


revision = '0022_fund_disclosure'
down_revision = '0021_webhooks'
branch_labels = None
depends_on = None

COLUMNS = (
    ('vintage_year', sa.Integer()), ('term_years', sa.Integer()), ('investment_period_years', sa.Integer()),
    ('committed_size', sa.BigInteger()), ('paid_in_size', sa.BigInteger()),  # hundredths of a yuan
    ('guidance_share', sa.BigInteger()), ('state_capital_share', sa.BigInteger()),  # hundredths of a percent
    ('reinvest_region', sa.String(length=60)), ('reinvest_share', sa.BigInteger()),
    ('contact', sa.String(length=120)),
)


def upgrade():
    with op.batch_alter_table('funds', schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column('portfolio', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_check_constraint(
            'paid_in_within_committed',
            'paid_in_size IS NULL OR committed_size IS NULL OR paid_in_size <= committed_size')
        batch_op.create_check_constraint(
            'shares_are_percentages',
            '(guidance_share IS NULL OR guidance_share BETWEEN 0 AND 10000) AND '
            '(state_capital_share IS NULL OR state_capital_share BETWEEN 0 AND 10000) AND '
            '(reinvest_share IS NULL OR reinvest_share BETWEEN 0 AND 100000)')
    op.create_table(
        'fund_disclosure_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fund_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('changed_by_name', sa.String(length=80), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_fund_disclosure_versions_fund_id_funds'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'],
                                name=op.f('fk_fund_disclosure_versions_changed_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_disclosure_versions')),
        sa.UniqueConstraint('fund_id', 'number', name=op.f('uq_fund_disclosure_versions_fund_id_number')),
    )
    op.create_index('ix_fund_disclosure_versions_fund_id', 'fund_disclosure_versions', ['fund_id'])


def downgrade():
    op.drop_index('ix_fund_disclosure_versions_fund_id', table_name='fund_disclosure_versions')
    op.drop_table('fund_disclosure_versions')
    with op.batch_alter_table('funds', schema=None) as batch_op:
        batch_op.drop_constraint('shares_are_percentages', type_='check')
        batch_op.drop_constraint('paid_in_within_committed', type_='check')
        batch_op.drop_column('portfolio')
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)
