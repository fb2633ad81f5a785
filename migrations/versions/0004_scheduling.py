"""scheduling: session templates, job run guards (issue 3)

Revision ID: 0004_scheduling
Revises: 0003_screening
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_scheduling'
down_revision = '0003_screening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('session_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('venue_id', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.Column('title_pattern', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('rule', sa.Enum('working_days', 'weekly', 'monthly_nth', name='rulekind', native_enum=False, length=32), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('month_week', sa.Integer(), nullable=True),
    sa.Column('month_weekday', sa.Integer(), nullable=True),
    sa.Column('on_holiday', sa.Enum('skip', 'next_working_day', 'keep', name='holidaypolicy', native_enum=False, length=32), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('slots_count', sa.Integer(), nullable=False),
    sa.Column('pitch_minutes', sa.Integer(), nullable=False),
    sa.Column('qa_minutes', sa.Integer(), nullable=False),
    sa.Column('chain_rotation', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('last_filled_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_session_templates_capacity_positive')),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_session_templates_ends_after_start')),
    sa.CheckConstraint('month_week IS NULL OR month_week IN (-1, 1, 2, 3, 4)', name=op.f('ck_session_templates_month_week_values')),
    sa.CheckConstraint('slots_count BETWEEN 1 AND 20', name=op.f('ck_session_templates_slots_count_range')),
    sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_session_templates_host_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_session_templates_series_id_series'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_session_templates_venue_id_venues'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_session_templates_name'))
    )
    op.create_table('template_occurrences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('adopted', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_template_occurrences_session_id_roadshow_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['session_templates.id'], name=op.f('fk_template_occurrences_template_id_session_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_occurrences')),
    sa.UniqueConstraint('session_id', name=op.f('uq_template_occurrences_session_id')),
    sa.UniqueConstraint('template_id', 'day', name=op.f('uq_template_occurrences_template_id_day'))
    )
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_fetched_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=60), nullable=False),
    sa.Column('run_key', sa.String(length=80), nullable=False),
    sa.Column('manual', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('running', 'ok', 'error', 'skipped', name='runstatus', native_enum=False, length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('job_id', 'run_key', name=op.f('uq_job_runs_job_id_run_key'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index('ix_job_runs_job_started', ['job_id', 'started_at'], unique=False)

    op.create_table('job_locks',
    sa.Column('job_id', sa.String(length=60), nullable=False),
    sa.Column('holder', sa.String(length=80), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_locks'))
    )


def downgrade():
    op.drop_table('job_locks')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_job_runs_job_started')

    op.drop_table('job_runs')
    op.drop_table('calendar_feeds')
    op.drop_table('template_occurrences')
    op.drop_table('session_templates')
