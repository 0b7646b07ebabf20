"""languages: of each account's pages, of what a phone showed with each answer and comment

Revision ID: e1a8c0d4f7b2
Revises: cb2e61de6cef
Create Date: 2026-11-30 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1a8c0d4f7b2'
down_revision = 'cb2e61de6cef'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='', nullable=False))
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_language', sa.String(length=8), server_default='', nullable=False))
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='', nullable=False))
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('second_language')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
