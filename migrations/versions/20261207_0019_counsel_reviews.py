"""counsel reviews of State rule sets

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 21:00:00

`counsel_review` holds one row per review a legal reviewer records: the jurisdiction, the version
of its rule set that counsel reviewed (a fingerprint of its data and code, core/states/version.py),
counsel's name, the date, a note, who recorded it and when. The rule-set page and the incident
page show the reviews, so the table moves the data generation (migration 0010).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED = ("counsel_review",)
VERBS = ("insert", "update", "delete")
BUMP = "UPDATE data_generation SET n = n + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "counsel_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("counsel", sa.String(length=200), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_counsel_review_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counsel_review")),
    )
    op.create_index(
        "ix_counsel_review_jurisdiction",
        "counsel_review",
        ["jurisdiction", "recorded_at"],
        unique=False,
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
    op.drop_index("ix_counsel_review_jurisdiction", table_name="counsel_review")
    op.drop_table("counsel_review")
