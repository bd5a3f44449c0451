"""snapshots and discharges

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 15:00:00

Records that stay true. `assessment_record.snapshot`: the incident facts a signed assessment
prints, frozen in the signing transaction. `notice_version.facts_printed` and `facts_fingerprint`:
the values a notice text printed when drafted, so a later change of the facts flags it stale (or,
once sent, "differs from current facts"), and `notice_content_decision` records the officer's
decision on such a difference. `sent_record.order_reason` (a notice sent before one that must
precede it, N.J.S.A. 56:8-163(c)(1)) and `stale_reason` (a stale approved version sent without
re-approval). Columns are added in place (ALTER TABLE ADD COLUMN), never by a batch copy, so the
immutability triggers of 0006 and 0009 stay; the sent_record guard is widened to the new columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED = ("notice_content_decision",)
VERBS = ("insert", "update", "delete")
BUMP = "UPDATE data_generation SET n = n + 1 WHERE id = 1"
SENT_MESSAGE = "sent_record is kept: it can only be voided, once"
_SENT_BASE = (
    "id",
    "incident_id",
    "obligation_id",
    "sent_on",
    "method",
    "recipients",
    "reference",
    "attachment_id",
    "notice_version_id",
    "deemed_from_id",
    "note",
    "recorded_by",
    "recorded_at",
)
SENT_FIELDS = (*_SENT_BASE, "order_reason", "stale_reason")


def upgrade() -> None:
    op.add_column("assessment_record", sa.Column("snapshot", sa.Text(), nullable=True))
    op.add_column("notice_version", sa.Column("facts_printed", sa.Text(), nullable=True))
    op.add_column(
        "notice_version", sa.Column("facts_fingerprint", sa.String(length=64), nullable=True)
    )
    for name in ("order_reason", "stale_reason"):
        op.add_column("sent_record", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "notice_content_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("correction_owed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["app_user.id"],
            name=op.f("fk_notice_content_decision_decided_by_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_content_decision_notice_id_notice")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["notice_version.id"],
            name=op.f("fk_notice_content_decision_version_id_notice_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_content_decision")),
    )
    with op.batch_alter_table("notice_content_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_content_decision_notice_id"), ["notice_id"], unique=False
        )
    _sent_guard(SENT_FIELDS)
    _generation_triggers()


def _sent_guard(fields: Sequence[str]) -> None:
    """The guard that refuses any change of a sent record but its voiding, over `fields`."""
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(
        "DROP TRIGGER IF EXISTS sent_record_no_update" + (" ON sent_record" if postgres else "")
    )
    action = (
        "FOR EACH ROW EXECUTE FUNCTION sent_record_kept()"
        if postgres
        else f"BEGIN SELECT RAISE(ABORT, '{SENT_MESSAGE}'); END"
    )
    op.execute(
        f"CREATE TRIGGER sent_record_no_update BEFORE UPDATE OF {', '.join(fields)} "
        f"ON sent_record {action}"
    )


def _generation_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TRACKED:
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
    _sent_guard(_SENT_BASE)
    with op.batch_alter_table("notice_content_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_content_decision_notice_id"))
    op.drop_table("notice_content_decision")
    # Dropping a column of a guarded table: SQLite 3.35+ drops it in place (no table copy).
    for table, column in (
        ("sent_record", "stale_reason"),
        ("sent_record", "order_reason"),
        ("notice_version", "facts_fingerprint"),
        ("notice_version", "facts_printed"),
        ("assessment_record", "snapshot"),
    ):
        op.drop_column(table, column)
