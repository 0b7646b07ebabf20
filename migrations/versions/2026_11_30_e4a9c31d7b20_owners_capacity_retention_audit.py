"""framework owners and sharing, session capacity, retention and removals, the audit log

Revision ID: e4a9c31d7b20
Revises: e531366f784e
Create Date: 2026-11-30 00:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e4a9c31d7b20"
down_revision = "e531366f784e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("frameworks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(batch_op.f("fk_frameworks_owner_id_users"), "users", ["owner_id"], ["id"])
    # Existing frameworks belong to the first administrator, shared so that sessions keep working
    # for everyone who used them; the admin may stop sharing them.
    connection = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("role", sa.String))
    frameworks = sa.table("frameworks", sa.column("owner_id", sa.Integer), sa.column("shared", sa.Boolean))
    admin = connection.execute(
        sa.select(users.c.id).where(users.c.role == "admin").order_by(users.c.id).limit(1)
    ).scalar()
    connection.execute(frameworks.update().values(owner_id=admin, shared=True))

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("retention_days", sa.Integer(), server_default="180", nullable=False))
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("removed_participants", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("withdrawn_participants", sa.Integer(), server_default="0", nullable=False)
        )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("session_code", sa.String(length=12), nullable=True),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_session_code"), ["session_code"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_session_code"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_participants")
        batch_op.drop_column("removed_participants")
        batch_op.drop_column("purged_at")
        batch_op.drop_column("retention_days")
        batch_op.drop_column("capacity")
    with op.batch_alter_table("frameworks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_frameworks_owner_id_users"), type_="foreignkey")
        batch_op.drop_column("shared")
        batch_op.drop_column("owner_id")
