"""list answers found by question and round: a question's results no longer read every session's answers

Revision ID: c4d8e2a91f37
Revises: b7e41d9a2c05
Create Date: 2026-11-30 15:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4d8e2a91f37'
down_revision = 'b7e41d9a2c05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_question_round', ['question_id', 'round'], unique=False)


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_question_round')
