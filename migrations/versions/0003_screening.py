"""screening: reviewer pool, assignments, rubric scores, waitlist (issue 3)

Revision ID: 0003_screening
Revises: 0002_notifications
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_screening'
down_revision = '0002_notifications'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    op.create_table('reviewer_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=80), nullable=False),
    sa.Column('organization', sa.String(length=120), nullable=False),
    sa.Column('chains', sa.JSON(), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reviewer_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reviewer_profiles'))
    )
    op.create_table('waitlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_waitlist_entries_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_waitlist_entries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entries')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_waitlist_entries_session_id_user_id'))
    )
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.create_index('ix_waitlist_entries_queue', ['session_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_waitlist_entries_user_id'), ['user_id'], unique=False)

    op.create_table('review_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_review_assignments_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_review_assignments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_review_assignments_reviewer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_assignments')),
    sa.UniqueConstraint('application_id', 'reviewer_id', name=op.f('uq_review_assignments_application_id_reviewer_id'))
    )
    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_assignments_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('review_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('technology', sa.Integer(), nullable=False),
    sa.Column('market', sa.Integer(), nullable=False),
    sa.Column('team', sa.Integer(), nullable=False),
    sa.Column('financing_fit', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('technology BETWEEN 1 AND 5', name=op.f('ck_review_scores_technology_range')),
    sa.CheckConstraint('market BETWEEN 1 AND 5', name=op.f('ck_review_scores_market_range')),
    sa.CheckConstraint('team BETWEEN 1 AND 5', name=op.f('ck_review_scores_team_range')),
    sa.CheckConstraint('financing_fit BETWEEN 1 AND 5', name=op.f('ck_review_scores_financing_fit_range')),
    sa.ForeignKeyConstraint(['assignment_id'], ['review_assignments.id'], name=op.f('fk_review_scores_assignment_id_review_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_scores')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_review_scores_assignment_id'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('slot_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_applications_slot_id'), ['slot_id'])
        batch_op.create_foreign_key(batch_op.f('fk_applications_slot_id_slots'), 'slots', ['slot_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_applications_decided_by_id_users'), 'users', ['decided_by_id'], ['id'], ondelete='SET NULL')
    # One pending application per project (a partial unique index, on SQLite and PostgreSQL alike).
    op.create_index('ix_applications_one_pending', 'applications', ['project_id'], unique=True,
                    sqlite_where=PENDING, postgresql_where=PENDING)

    with op.batch_alter_table('roadshow_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancellation_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('roadshow_sessions', schema=None) as batch_op:
        batch_op.drop_column('cancellation_reason')

    op.drop_index('ix_applications_one_pending', table_name='applications')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applications_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_applications_slot_id_slots'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_applications_slot_id'), type_='unique')
        batch_op.drop_column('slot_id')
        batch_op.drop_column('decided_by_id')

    op.drop_table('review_scores')
    with op.batch_alter_table('review_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_assignments_reviewer_id'))

    op.drop_table('review_assignments')
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waitlist_entries_user_id'))
        batch_op.drop_index('ix_waitlist_entries_queue')

    op.drop_table('waitlist_entries')
    op.drop_table('reviewer_profiles')
