"""break-glass and sessions

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 18:00:00

Emergency access (45 CFR 164.312(a)(2)(ii)): `break_glass_grant` holds one row per use — who
opened which restricted incident, why, when, and until when (four hours). The incident page and
the access review list the uses, so the table moves the data generation (migration 0010). The
sessions page needs no new column: user_session already holds the device (User-Agent), the
address, the start and the last activity, and is indexed by user.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED = ("break_glass_grant",)
VERBS = ("insert", "update", "delete")
BUMP = "UPDATE data_generation SET n = n + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "break_glass_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_break_glass_grant_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_break_glass_grant_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass_grant")),
    )
    op.create_index(
        "ix_break_glass_grant_lookup",
        "break_glass_grant",
        ["incident_id", "user_id", "expires_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_break_glass_grant_user_id"), "break_glass_grant", ["user_id"], unique=False
    )
    op.create_index(
        op.f("ix_break_glass_grant_granted_at"), "break_glass_grant", ["granted_at"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:  # bump_data_generation() is migration 0010's
            op.execute(
                f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation()"
            )
        return
    for table in TRACKED:
        for verb in VERBS:
            op.execute(
                f"CREATE TRIGGER {table}_generation_{verb} AFTER {verb.upper()} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TRACKED:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_generation ON {table}")
        else:
            for verb in VERBS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_generation_{verb}")
    op.drop_index(op.f("ix_break_glass_grant_granted_at"), table_name="break_glass_grant")
    op.drop_index(op.f("ix_break_glass_grant_user_id"), table_name="break_glass_grant")
    op.drop_index("ix_break_glass_grant_lookup", table_name="break_glass_grant")
    op.drop_table("break_glass_grant")
