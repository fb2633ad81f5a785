"""partner organisers: organisations running their own series, their members, venue requests for the center's halls (issue 23)

Revision ID: 0026_organisers
Revises: 0025_user_language
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_organisers'
down_revision = '0025_user_language'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=True),
    sa.Column('kind', sa.Enum('district', 'university', 'park', 'institution', 'out_of_province', name='organiserkind', native_enum=False, length=32), nullable=False),
    sa.Column('contact_name', sa.String(length=80), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'declined', name='decisionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], name=op.f('fk_organisers_applied_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_organisers_decided_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisers')),
    sa.UniqueConstraint('name', name=op.f('uq_organisers_name'))
    )
    with op.batch_alter_table('organisers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisers_status'), ['status'], unique=False)

    op.create_table('organiser_members',
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_organiser_members_organiser_id_organisers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organiser_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_organiser_members'))
    )
    with op.batch_alter_table('organiser_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organiser_members_organiser_id'), ['organiser_id'], unique=False)

    op.create_table('venue_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'declined', name='decisionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_venue_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_venue_requests_organiser_id_organisers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['roadshow_sessions.id'], name=op.f('fk_venue_requests_session_id_roadshow_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venue_requests')),
    sa.UniqueConstraint('session_id', name=op.f('uq_venue_requests_session_id'))
    )
    with op.batch_alter_table('venue_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_venue_requests_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_venue_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organiser_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_series_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_series_organiser_id_organisers'), 'organisers', ['organiser_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organiser_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_venues_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_venues_organiser_id_organisers'), 'organisers', ['organiser_id'], ['id'], ondelete='CASCADE')



def downgrade():
    # the organiser role goes with the domain: an older version could not read it
    op.execute("DELETE FROM user_roles WHERE role = 'organiser'")
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_venues_organiser_id_organisers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_venues_organiser_id'))
        batch_op.drop_column('organiser_id')

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_series_organiser_id_organisers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_series_organiser_id'))
        batch_op.drop_column('organiser_id')

    with op.batch_alter_table('venue_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_venue_requests_status'))
        batch_op.drop_index(batch_op.f('ix_venue_requests_organiser_id'))

    op.drop_table('venue_requests')
    with op.batch_alter_table('organiser_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organiser_members_organiser_id'))

    op.drop_table('organiser_members')
    with op.batch_alter_table('organisers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisers_status'))

    op.drop_table('organisers')
