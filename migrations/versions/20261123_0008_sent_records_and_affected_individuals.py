"""sent records and affected individuals

Issue 9 items 3-4: the sent-record history, returned mail, HHS addenda, the affected-individual
list (PHI, database only) and the merged-letter runs.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "individual_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("deceased", sa.Integer(), nullable=False),
        sa.Column("without_letter", sa.Integer(), nullable=False),
        sa.Column("by_state", sa.Text(), nullable=False),
        sa.Column("duplicate_lines", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["app_user.id"], name=op.f("fk_individual_list_confirmed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_individual_list_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["app_user.id"], name=op.f("fk_individual_list_uploaded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_individual_list")),
    )
    with op.batch_alter_table("individual_list", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_individual_list_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "returned_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("total_after", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_returned_mail_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_returned_mail_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returned_mail")),
    )
    with op.batch_alter_table("returned_mail", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_returned_mail_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "affected_individual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address_line1", sa.String(length=200), nullable=False),
        sa.Column("address_line2", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("deceased", sa.Boolean(), nullable=False),
        sa.Column("next_of_kin_name", sa.String(length=200), nullable=False),
        sa.Column("next_of_kin_address_line1", sa.String(length=200), nullable=False),
        sa.Column("next_of_kin_address_line2", sa.String(length=200), nullable=False),
        sa.Column("next_of_kin_city", sa.String(length=100), nullable=False),
        sa.Column("next_of_kin_state", sa.String(length=2), nullable=False),
        sa.Column("next_of_kin_zip", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_affected_individual_incident_id_incident"),
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["individual_list.id"],
            name=op.f("fk_affected_individual_list_id_individual_list"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_affected_individual")),
    )
    with op.batch_alter_table("affected_individual", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_affected_individual_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_affected_individual_list_id"), ["list_id"], unique=False
        )

    op.create_table(
        "hhs_addendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("affected_count", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_hhs_addendum_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligation.id"],
            name=op.f("fk_hhs_addendum_obligation_id_obligation"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_hhs_addendum_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hhs_addendum")),
    )
    with op.batch_alter_table("hhs_addendum", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hhs_addendum_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hhs_addendum_obligation_id"), ["obligation_id"], unique=False
        )

    op.create_table(
        "letter_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("notice_version_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("work_dir", sa.String(length=80), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pdf_storage", sa.String(length=80), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_size", sa.Integer(), nullable=False),
        sa.Column("docx_storage", sa.String(length=80), nullable=True),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("docx_size", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_letter_run_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["list_id"], ["individual_list.id"], name=op.f("fk_letter_run_list_id_individual_list")
        ),
        sa.ForeignKeyConstraint(
            ["notice_version_id"],
            ["notice_version.id"],
            name=op.f("fk_letter_run_notice_version_id_notice_version"),
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["app_user.id"], name=op.f("fk_letter_run_started_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_run")),
    )
    with op.batch_alter_table("letter_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_run_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "sent_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("notice_version_id", sa.Integer(), nullable=True),
        sa.Column("deemed_from_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_sent_record_attachment_id_attachment"),
        ),
        sa.ForeignKeyConstraint(
            ["deemed_from_id"],
            ["sent_record.id"],
            name=op.f("fk_sent_record_deemed_from_id_sent_record"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_sent_record_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["notice_version_id"],
            ["notice_version.id"],
            name=op.f("fk_sent_record_notice_version_id_notice_version"),
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligation.id"],
            name=op.f("fk_sent_record_obligation_id_obligation"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_sent_record_recorded_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by"], ["app_user.id"], name=op.f("fk_sent_record_voided_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_record")),
    )
    with op.batch_alter_table("sent_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sent_record_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sent_record_obligation_id"), ["obligation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sent_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sent_record_obligation_id"))
        batch_op.drop_index(batch_op.f("ix_sent_record_incident_id"))

    op.drop_table("sent_record")
    with op.batch_alter_table("letter_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_run_incident_id"))

    op.drop_table("letter_run")
    with op.batch_alter_table("hhs_addendum", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hhs_addendum_obligation_id"))
        batch_op.drop_index(batch_op.f("ix_hhs_addendum_incident_id"))

    op.drop_table("hhs_addendum")
    with op.batch_alter_table("affected_individual", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_affected_individual_list_id"))
        batch_op.drop_index(batch_op.f("ix_affected_individual_incident_id"))

    op.drop_table("affected_individual")
    with op.batch_alter_table("returned_mail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returned_mail_incident_id"))

    op.drop_table("returned_mail")
    with op.batch_alter_table("individual_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_individual_list_incident_id"))

    op.drop_table("individual_list")
