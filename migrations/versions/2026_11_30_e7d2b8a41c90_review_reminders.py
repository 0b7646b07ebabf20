"""reminders of a review at times the facilitator sets; reasons hidden from the panel

Revision ID: e7d2b8a41c90
Revises: f15a7c2e9d31
Create Date: 2026-11-30 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (UTCDateTime columns)


# revision identifiers, used by Alembic.
revision = 'e7d2b8a41c90'
down_revision = 'f15a7c2e9d31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('due_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('base_url', sa.String(length=300), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(), nullable=True),
    sa.Column('sent_count', sa.Integer(), nullable=True),
    sa.Column('failed', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_reminders_session_id_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_session_id'), ['session_id'], unique=False)
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reason_hidden', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_column('reason_hidden')
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_session_id'))
    op.drop_table('reminders')
