"""criteria keep their own "can't judge" and their texts in other languages

Revision ID: f1c2d3e4a5b6
Revises: e7d2b8a41c90
Create Date: 2026-11-30 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c2d3e4a5b6'
down_revision = 'e7d2b8a41c90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cant_judge', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('texts', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_column('texts')
        batch_op.drop_column('cant_judge')
