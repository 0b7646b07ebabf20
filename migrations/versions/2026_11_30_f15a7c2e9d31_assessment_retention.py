"""self-assessments keep a retention period and count the respondents who withdrew

Revision ID: f15a7c2e9d31
Revises: e3a9c4d1f7b2
Create Date: 2026-11-30 03:25:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f15a7c2e9d31'
down_revision = 'e3a9c4d1f7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), server_default='180', nullable=False))
        batch_op.add_column(
            sa.Column('withdrawn_respondents', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_respondents')
        batch_op.drop_column('retention_days')
