"""financing results from every source and the questions after each roadshow (issue 17)

Revision ID: 0016_financing
Revises: 0015_loans
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_financing'
down_revision = '0015_loans'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('financing_checkin_opt_outs',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_financing_checkin_opt_outs_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_financing_checkin_opt_outs'))
    )
    op.create_table('financing_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Enum('raised', 'not_yet', name='checkinanswer', native_enum=False, length=32), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_financing_checkins_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_financing_checkins_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_financing_checkins')),
    sa.UniqueConstraint('company_id', 'session_id', 'months', name=op.f('uq_financing_checkins_company_id_session_id_months'))
    )
    with op.batch_alter_table('financing_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financing_checkins_company_id'), ['company_id'], unique=False)

    op.create_table('financing_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('equity', 'loan', 'grant', name='financingkind', native_enum=False, length=32), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('counterparty', sa.String(length=200), nullable=False),
    sa.Column('round', sa.Enum('seed', 'angel', 'pre_a', 'a', 'b', 'c_plus', 'pre_ipo', name='stage', native_enum=False, length=32), nullable=True),
    sa.Column('valuation', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('loan_application_id', sa.Integer(), nullable=True),
    sa.Column('confirmation', sa.Enum('self_reported', 'pending', 'confirmed', 'disputed', name='confirmation', native_enum=False, length=32), nullable=False),
    sa.Column('dispute_note', sa.Text(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount > 0 AND amount <= 100000000000', name=op.f('ck_financing_events_amount_range')),
    sa.CheckConstraint('institution_id IS NOT NULL OR length(counterparty) > 0', name=op.f('ck_financing_events_has_counterparty')),
    sa.CheckConstraint('valuation IS NULL OR valuation > 0', name=op.f('ck_financing_events_valuation_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_financing_events_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_financing_events_institution_id_institutions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['loan_application_id'], ['loan_applications.id'], name=op.f('fk_financing_events_loan_application_id_loan_applications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_financing_events_reported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_financing_events')),
    sa.UniqueConstraint('loan_application_id', name=op.f('uq_financing_events_loan_application_id'))
    )
    with op.batch_alter_table('financing_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financing_events_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_events_confirmation'), ['confirmation'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_events_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_events_occurred_on'), ['occurred_on'], unique=False)



def downgrade():
    with op.batch_alter_table('financing_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financing_events_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_financing_events_kind'))
        batch_op.drop_index(batch_op.f('ix_financing_events_institution_id'))
        batch_op.drop_index(batch_op.f('ix_financing_events_confirmation'))
        batch_op.drop_index(batch_op.f('ix_financing_events_company_id'))

    op.drop_table('financing_events')
    with op.batch_alter_table('financing_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financing_checkins_company_id'))

    op.drop_table('financing_checkins')
    op.drop_table('financing_checkin_opt_outs')
