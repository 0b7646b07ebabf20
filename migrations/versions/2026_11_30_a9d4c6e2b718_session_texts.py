"""sessions keep their title and consent text in other languages, list questions their prompt

Revision ID: a9d4c6e2b718
Revises: f1c2d3e4a5b6
Create Date: 2026-11-30 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9d4c6e2b718'
down_revision = 'f1c2d3e4a5b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('texts', sa.JSON(), server_default='{}', nullable=False))
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('texts', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('texts')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('texts')
