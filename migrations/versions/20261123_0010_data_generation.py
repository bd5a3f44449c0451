"""data generation counter

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 08:40:00

One row, `data_generation.n`, moved by a trigger on every INSERT, UPDATE and DELETE of every table
whose content a page shows. Pages read it first and key what each web process keeps in memory
by it, so a change made anywhere (another worker, the scheduler, the command line, plain SQL)
makes every kept result stale at once. Not tracked: the audit trail (each incident view appends
to it), server-side sessions and the scheduler's heartbeat. A migration that adds a table adds
its triggers too (tests/db/test_migrations.py checks every table).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED = (
    "app_user",
    "organisation",
    "facility",
    "covered_entity_client",
    "incident",
    "incident_state",
    "incident_assignee",
    "law_enforcement_hold",
    "attachment",
    "obligation",
    "obligation_version",
    "reminder",
    "sent_email",
    "notification",
    "user_preference",
    "notice_details",
    "notice",
    "notice_version",
    "notice_approval",
    "notice_comment",
    "sent_record",
    "returned_mail",
    "hhs_addendum",
    "individual_list",
    "affected_individual",
    "letter_run",
    "assessment_draft",
    "assessment_record",
    "assessment_comment",
)
VERBS = ("insert", "update", "delete")
BUMP = "UPDATE data_generation SET n = n + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "data_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_generation")),
    )
    op.execute("INSERT INTO data_generation (id, n) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_data_generation() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TRACKED:  # once per statement, TRUNCATE included
            op.execute(
                f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_generation()"
            )
        return
    for table in TRACKED:  # SQLite has row triggers only
        for verb in VERBS:
            op.execute(
                f"CREATE TRIGGER {table}_generation_{verb} AFTER {verb.upper()} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_generation ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_data_generation()")
    else:
        for table in TRACKED:
            for verb in VERBS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_generation_{verb}")
    op.drop_table("data_generation")
