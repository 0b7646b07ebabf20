"""delphi rounds: round settings, reasons with answers, whole-session rounds

Revision ID: e4a1d2c3b5f6
Revises: e1a8c0d4f7b2
Create Date: 2026-11-30 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import models.base  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'e4a1d2c3b5f6'
down_revision = 'e1a8c0d4f7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_settings', sa.JSON(), nullable=True))
    op.execute("UPDATE sessions SET round_settings = '{}'")  # earlier sessions: the defaults
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.alter_column('round_settings', existing_type=sa.JSON(), nullable=False)
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
    op.create_table(
        'session_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('skill_ids', sa.JSON(), nullable=False),
        sa.Column('started_at', models.base.UTCDateTime(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_rounds_session_id_sessions')),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_session_rounds_started_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_session_rounds')),
    )
    with op.batch_alter_table('session_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_rounds_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('session_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_rounds_session_id'))
    op.drop_table('session_rounds')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('round_settings')
