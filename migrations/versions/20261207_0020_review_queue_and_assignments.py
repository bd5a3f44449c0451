"""review queue, duty assignees, staff reports

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 12:30:00

- `notice.reviewer_id`: the legal reviewer a submitted notice waits for ("My reviews");
  `notice.submitted_by`: who submitted it last, told of comments, changes requested, approval.
- `obligation.assignee_id`: the person a duty is given to; its reminders go to them ("My duties").
- `reminder.recipient_id`: a hand-off message (submitted, changes requested, approved ...) goes
  through the reminder ledger to one person, with the ledger's delivery guarantees.
- `organisation.default_reviewer_id` and `organisation.approver_may_be_editor`: the review
  settings of the organisation profile (the second seeded once from NOTICE_APPROVER_MAY_BE_EDITOR;
  NULL until then).
- `notice_approval.attestation`: what an editor approving their own version attested.
- `staff_report`: a possible incident reported by any signed-in user, with the date the reporter
  first knew (45 CFR 164.404(a)(2)); "My reports" shows it, so it moves the data generation.

SQLite adds a column with its foreign key inline (ALTER TABLE ... ADD COLUMN ... REFERENCES): a
batch copy would drop the tables' triggers (migration 0010 and the kept-table guards).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRACKED = ("staff_report",)
VERBS = ("insert", "update", "delete")
BUMP = "UPDATE data_generation SET n = n + 1 WHERE id = 1"

# (table, column, indexed): each an optional reference to a user
USER_COLUMNS = (
    ("notice", "reviewer_id", True),
    ("notice", "submitted_by", True),
    ("obligation", "assignee_id", True),
    ("reminder", "recipient_id", False),
    ("organisation", "default_reviewer_id", False),
)


def _add_user_column(table: str, column: str, indexed: bool) -> None:
    name = f"fk_{table}_{column}_app_user"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
            f"CONSTRAINT {name} REFERENCES app_user (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, "app_user", [column], ["id"])
    if indexed:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def upgrade() -> None:
    for table, column, indexed in USER_COLUMNS:
        _add_user_column(table, column, indexed)
    op.add_column("organisation", sa.Column("approver_may_be_editor", sa.Boolean(), nullable=True))
    op.add_column("notice_approval", sa.Column("attestation", sa.Text(), nullable=True))
    op.create_table(
        "staff_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("first_knew_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("discovery_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("discovery_confirmed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_staff_report_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["app_user.id"], name=op.f("fk_staff_report_reporter_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["discovery_confirmed_by"],
            ["app_user.id"],
            name=op.f("fk_staff_report_discovery_confirmed_by_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_report")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_staff_report_incident_id")),
    )
    op.create_index("ix_staff_report_reporter_id", "staff_report", ["reporter_id"], unique=False)
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
    op.drop_index("ix_staff_report_reporter_id", table_name="staff_report")
    op.drop_table("staff_report")
    op.drop_column("notice_approval", "attestation")
    op.drop_column("organisation", "approver_may_be_editor")
    for table, column, indexed in reversed(USER_COLUMNS):
        if indexed:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        if postgres:
            op.drop_constraint(f"fk_{table}_{column}_app_user", table, type_="foreignkey")
        op.drop_column(table, column)
