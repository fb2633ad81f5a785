"""registration for every attendee type: seats and a waitlist per type (investors, startups, the public),
registration questions and answers (issue 23)

Revision ID: 0031_registration
Revises: 0030_organiser_reviewers
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031_registration'
down_revision = '0030_organiser_reviewers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('registration_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('prompt', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('text', 'choice', name='questionkind', native_enum=False, length=32), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind <> 'choice' OR options <> ''", name=op.f('ck_registration_questions_choice_has_options')),
    sa.CheckConstraint('(series_id IS NULL) <> (session_id IS NULL)', name=op.f('ck_registration_questions_one_owner')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_registration_questions_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_registration_questions_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_questions'))
    )
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_questions_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_questions_session_id'), ['session_id'], unique=False)

    op.create_table('registration_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['registration_questions.id'], name=op.f('fk_registration_answers_question_id_registration_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_registration_answers_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_registration_answers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_answers')),
    sa.UniqueConstraint('question_id', 'session_id', 'user_id', name=op.f('uq_registration_answers_question_id_session_id_user_id'))
    )
    with op.batch_alter_table('registration_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_answers_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_answers_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendee_type', sa.Enum('investor', 'startup', 'public', name='attendeetype', native_enum=False, length=32), server_default='investor', nullable=False))

    with op.batch_alter_table('roadshow_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('startup_capacity', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('startup_seats_taken', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('public_capacity', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('public_seats_taken', sa.Integer(), server_default='0', nullable=False))
        for kind in ('startup', 'public'):
            batch_op.create_check_constraint(
                batch_op.f(f'ck_roadshow_sessions_{kind}_seats_within_capacity'),
                sa.text(f'{kind}_seats_taken >= 0 AND {kind}_seats_taken <= {kind}_capacity'))

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('startup_capacity', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('public_capacity', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendee_type', sa.Enum('investor', 'startup', 'public', name='attendeetype', native_enum=False, length=32), server_default='investor', nullable=False))



def downgrade():
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.drop_column('attendee_type')

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_column('public_capacity')
        batch_op.drop_column('startup_capacity')

    with op.batch_alter_table('roadshow_sessions', schema=None) as batch_op:
        for kind in ('startup', 'public'):
            batch_op.drop_constraint(batch_op.f(f'ck_roadshow_sessions_{kind}_seats_within_capacity'), type_='check')
        batch_op.drop_column('public_seats_taken')
        batch_op.drop_column('public_capacity')
        batch_op.drop_column('startup_seats_taken')
        batch_op.drop_column('startup_capacity')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_column('attendee_type')

    with op.batch_alter_table('registration_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_answers_user_id'))
        batch_op.drop_index(batch_op.f('ix_registration_answers_session_id'))

    op.drop_table('registration_answers')
    with op.batch_alter_table('registration_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_questions_session_id'))
        batch_op.drop_index(batch_op.f('ix_registration_questions_series_id'))

    op.drop_table('registration_questions')
