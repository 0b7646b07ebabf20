"""a hidden Delphi reason its author rewrote is shown again and marked as changed

Revision ID: a8c5e2f4d913
Revises: a9d4c6e2b718
Create Date: 2026-11-30 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8c5e2f4d913'
down_revision = 'a9d4c6e2b718'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_changed', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_column('reason_changed')
