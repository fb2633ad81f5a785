"""webhook subscriptions and their deliveries (issue 18)

Revision ID: 0021_webhooks
Revises: 0020_official_lists
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_webhooks'
down_revision = '0020_official_lists'
branch_labels = None
depends_on = None

EVENTS = ('session.created', 'session.changed', 'session.cancelled', 'project.published', 'booking.made',
          'financing_event.confirmed', 'loan_application.decided')
STATUSES = ('pending', 'delivered', 'gave_up')


def upgrade():
    op.create_table(
        'webhook_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(length=80), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('paused_reason', sa.String(length=300), nullable=True),
        sa.Column('consecutive_failures', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('consecutive_failures >= 0', name=op.f('ck_webhook_subscriptions_failures_not_negative')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_webhook_subscriptions_owner_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions')),
    )
    op.create_index('ix_webhook_subscriptions_owner_id', 'webhook_subscriptions', ['owner_id'])
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.Enum(*EVENTS, name='webhookevent', native_enum=False, length=32), nullable=False),
        sa.Column('event_id', sa.String(length=40), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='deliverystatus', native_enum=False, length=32), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('last_status_code', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('replay_of_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('delivered_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_webhook_deliveries_attempts_not_negative')),
        sa.ForeignKeyConstraint(['subscription_id'], ['webhook_subscriptions.id'], name=op.f('fk_webhook_deliveries_subscription_id_webhook_subscriptions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['replay_of_id'], ['webhook_deliveries.id'], name=op.f('fk_webhook_deliveries_replay_of_id_webhook_deliveries'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    )
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries', ['status', 'next_attempt_at'])
    op.create_index('ix_webhook_deliveries_subscription_id', 'webhook_deliveries', ['subscription_id'])


def downgrade():
    op.drop_index('ix_webhook_deliveries_subscription_id', table_name='webhook_deliveries')
    op.drop_index('ix_webhook_deliveries_due', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index('ix_webhook_subscriptions_owner_id', table_name='webhook_subscriptions')
    op.drop_table('webhook_subscriptions')
