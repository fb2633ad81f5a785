"""training: materials per training session, each course's completion rule, certificates of attendance (issue 23)

Revision ID: 0028_training
Revises: 0027_checkin
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_training'
down_revision = '0027_checkin'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('file_name', sa.String(length=64), nullable=True),
    sa.Column('original_name', sa.String(length=200), nullable=True),
    sa.Column('file_type', sa.String(length=8), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(file_name IS NULL) <> (url IS NULL)', name=op.f('ck_training_materials_file_or_link')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_training_materials_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_training_materials_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_materials')),
    sa.UniqueConstraint('file_name', name=op.f('uq_training_materials_file_name'))
    )
    with op.batch_alter_table('training_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_materials_session_id'), ['session_id'], unique=False)

    op.create_table('training_course_rules',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('required_sessions', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('required_sessions >= 1', name=op.f('ck_training_course_rules_at_least_one_session')),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_training_course_rules_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('series_id', name=op.f('pk_training_course_rules'))
    )

    op.create_table('training_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=120), nullable=False),
    sa.Column('course_title', sa.String(length=160), nullable=False),
    sa.Column('course_title_en', sa.String(length=160), nullable=True),
    sa.Column('organiser_name', sa.String(length=160), nullable=False),
    sa.Column('organiser_name_en', sa.String(length=160), nullable=True),
    sa.Column('sessions_attended', sa.Integer(), nullable=False),
    sa.Column('sessions_required', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_training_certificates_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_certificates_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_training_certificates_code')),
    sa.UniqueConstraint('user_id', 'series_id', name=op.f('uq_training_certificates_user_id_series_id'))
    )
    with op.batch_alter_table('training_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_certificates_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_certificates_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('training_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_certificates_user_id'))
        batch_op.drop_index(batch_op.f('ix_training_certificates_series_id'))
    op.drop_table('training_certificates')
    op.drop_table('training_course_rules')
    with op.batch_alter_table('training_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_materials_session_id'))
    op.drop_table('training_materials')
