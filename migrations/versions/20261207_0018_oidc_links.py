"""single sign-on links and the emergency local account

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 20:00:00

Single sign-on (OpenID Connect Core 1.0 §5.7): `oidc_link` ties an account to the identity
provider's issuer + subject, one subject per account and issuer. `app_user.emergency_local` marks
the admin accounts that may still use their local password while single sign-on is on. The
users page shows both, so the new table moves the data generation (migration 0010); app_user
already does. The column is added in place (no batch copy), so app_user keeps its triggers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED = ("oidc_link",)
VERBS = ("insert", "update", "delete")
BUMP = "UPDATE data_generation SET n = n + 1 WHERE id = 1"


def upgrade() -> None:
    op.add_column(
        "app_user",
        sa.Column("emergency_local", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "oidc_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_oidc_link_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oidc_link")),
        sa.UniqueConstraint("issuer", "subject", name="uq_oidc_link_issuer_subject"),
        sa.UniqueConstraint("user_id", "issuer", name="uq_oidc_link_user_id_issuer"),
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
    op.drop_table("oidc_link")
    op.drop_column("app_user", "emergency_local")
