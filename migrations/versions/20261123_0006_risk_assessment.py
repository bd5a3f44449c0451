"""risk assessment

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 05:10:00

The guided risk assessment (issue 7): one draft per incident, signed records that the database
itself keeps immutable (BEFORE UPDATE / BEFORE DELETE triggers, as for audit_event in 0001), and
comments.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMMUTABLE = "assessment_record is immutable"


def upgrade() -> None:
    op.create_table(
        "assessment_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("based_on_version", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_assessment_draft_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["app_user.id"], name=op.f("fk_assessment_draft_started_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_assessment_draft_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_draft")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_assessment_draft_incident_id")),
    )
    op.create_table(
        "assessment_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("approach", sa.String(length=20), nullable=False),
        sa.Column("proposed_outcome", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("exception", sa.String(length=20), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attestation", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_assessment_record_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["app_user.id"], name=op.f("fk_assessment_record_signer_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["assessment_record.id"],
            name=op.f("fk_assessment_record_supersedes_id_assessment_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_record")),
        sa.UniqueConstraint("incident_id", "version", name="uq_assessment_record_version"),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_assessment_record_supersedes_id")),
    )
    with op.batch_alter_table("assessment_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_record_incident_id"), ["incident_id"], unique=False
        )
    op.create_table(
        "assessment_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_assessment_comment_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_assessment_comment_incident_id_incident"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_comment")),
    )
    with op.batch_alter_table("assessment_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_comment_incident_id"), ["incident_id"], unique=False
        )
    _create_record_guards()


def _create_record_guards() -> None:
    """A signed assessment is never changed or removed, even by raw SQL (164.530(j))."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION assessment_record_immutable() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{IMMUTABLE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER assessment_record_immutable BEFORE UPDATE OR DELETE ON "
            "assessment_record FOR EACH ROW EXECUTE FUNCTION assessment_record_immutable()"
        )
        op.execute(
            "CREATE TRIGGER assessment_record_no_truncate BEFORE TRUNCATE ON assessment_record "
            "FOR EACH STATEMENT EXECUTE FUNCTION assessment_record_immutable()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER assessment_record_no_{verb.lower()} BEFORE {verb} ON "
            f"assessment_record BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END"
        )


def _drop_record_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS assessment_record_no_truncate ON assessment_record")
        op.execute("DROP TRIGGER IF EXISTS assessment_record_immutable ON assessment_record")
        op.execute("DROP FUNCTION IF EXISTS assessment_record_immutable()")
        return
    op.execute("DROP TRIGGER IF EXISTS assessment_record_no_update")
    op.execute("DROP TRIGGER IF EXISTS assessment_record_no_delete")


def downgrade() -> None:
    _drop_record_guards()
    with op.batch_alter_table("assessment_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_comment_incident_id"))
    op.drop_table("assessment_comment")
    with op.batch_alter_table("assessment_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_record_incident_id"))
    op.drop_table("assessment_record")
    op.drop_table("assessment_draft")
