"""letter lease token and notice guards

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 07:30:00

Two review fixes for issue 9. `letter_run.lease_token`: the random token a worker sets when it
claims a chunk; every later write of that worker is conditional on it, so a worker whose lease
was taken over cannot fail or rewind a run another worker finished. And database guards (as for
assessment_record in 0006): notice versions and approvals are never changed or removed, and a
sent record is never removed and only ever voided, once (164.530(j)).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = ("notice_version", "notice_approval")
# Every sent_record column except the void fields: an UPDATE that sets any of them is refused.
SENT_FIELDS = (
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
SENT_MESSAGE = "sent_record is kept: it can only be voided, once"


def upgrade() -> None:
    with op.batch_alter_table("letter_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_token", sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_guards()
    else:
        _create_sqlite_guards()


def _create_sqlite_guards() -> None:
    for table in FROZEN:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is immutable'); END"
            )
    op.execute(
        "CREATE TRIGGER sent_record_no_delete BEFORE DELETE ON sent_record "
        f"BEGIN SELECT RAISE(ABORT, '{SENT_MESSAGE}'); END"
    )
    op.execute(
        f"CREATE TRIGGER sent_record_no_update BEFORE UPDATE OF {', '.join(SENT_FIELDS)} "
        f"ON sent_record BEGIN SELECT RAISE(ABORT, '{SENT_MESSAGE}'); END"
    )
    op.execute(
        "CREATE TRIGGER sent_record_no_unvoid BEFORE UPDATE OF voided_at, voided_by "
        "ON sent_record WHEN OLD.voided_at IS NOT NULL "
        f"BEGIN SELECT RAISE(ABORT, '{SENT_MESSAGE}'); END"
    )


def _create_postgresql_guards() -> None:
    for table in FROZEN:
        op.execute(
            f"CREATE FUNCTION {table}_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{table} is immutable'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_immutable()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_immutable()"
        )
    op.execute(
        "CREATE FUNCTION sent_record_kept() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{SENT_MESSAGE}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER sent_record_no_delete BEFORE DELETE ON sent_record "
        "FOR EACH ROW EXECUTE FUNCTION sent_record_kept()"
    )
    op.execute(
        f"CREATE TRIGGER sent_record_no_update BEFORE UPDATE OF {', '.join(SENT_FIELDS)} "
        "ON sent_record FOR EACH ROW EXECUTE FUNCTION sent_record_kept()"
    )
    op.execute(
        "CREATE TRIGGER sent_record_no_unvoid BEFORE UPDATE OF voided_at, voided_by "
        "ON sent_record FOR EACH ROW WHEN (OLD.voided_at IS NOT NULL) "
        "EXECUTE FUNCTION sent_record_kept()"
    )
    op.execute(
        "CREATE TRIGGER sent_record_no_truncate BEFORE TRUNCATE ON sent_record "
        "FOR EACH STATEMENT EXECUTE FUNCTION sent_record_kept()"
    )


def _drop_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in FROZEN:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_immutable()")
        for name in ("no_truncate", "no_unvoid", "no_update", "no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS sent_record_{name} ON sent_record")
        op.execute("DROP FUNCTION IF EXISTS sent_record_kept()")
        return
    for table in FROZEN:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    for name in ("no_unvoid", "no_update", "no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS sent_record_{name}")


def downgrade() -> None:
    # The guards go first: 0008's and 0007's downgrades drop these tables.
    _drop_guards()
    with op.batch_alter_table("letter_run", schema=None) as batch_op:
        batch_op.drop_column("lease_token")
