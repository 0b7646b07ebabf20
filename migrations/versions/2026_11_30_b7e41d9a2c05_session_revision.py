"""a session's revision: grows with every change of its state, so clients can tell a late state from a new one

Revision ID: b7e41d9a2c05
Revises: a8c5e2f4d913
Create Date: 2026-11-30 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e41d9a2c05'
down_revision = 'a8c5e2f4d913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('revision')
