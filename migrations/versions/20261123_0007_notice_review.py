"""notice review

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notice_details",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_notice_details_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["app_user.id"], name=op.f("fk_notice_details_updated_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_details")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_notice_details_incident_id")),
    )
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("sent_version_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_notice_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_notice_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["obligation_id"], ["obligation.id"], name=op.f("fk_notice_obligation_id_obligation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("obligation_id", name=op.f("uq_notice_obligation_id")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "notice_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cause", sa.String(length=200), nullable=False),
        sa.Column("details_revision", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_notice_version_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_version_notice_id_notice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_version")),
        sa.UniqueConstraint("notice_id", "number", name="uq_notice_version_number"),
    )
    with op.batch_alter_table("notice_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_version_notice_id"), ["notice_id"], unique=False
        )

    op.create_table(
        "notice_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("docx_storage", sa.String(length=80), nullable=False),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("docx_size", sa.Integer(), nullable=False),
        sa.Column("pdf_storage", sa.String(length=80), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["app_user.id"], name=op.f("fk_notice_approval_approved_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_approval_notice_id_notice")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["notice_version.id"],
            name=op.f("fk_notice_approval_version_id_notice_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_approval")),
        sa.UniqueConstraint("docx_storage", name=op.f("uq_notice_approval_docx_storage")),
        sa.UniqueConstraint("pdf_storage", name=op.f("uq_notice_approval_pdf_storage")),
        sa.UniqueConstraint("version_id", name=op.f("uq_notice_approval_version_id")),
    )
    with op.batch_alter_table("notice_approval", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_approval_notice_id"), ["notice_id"], unique=False
        )

    op.create_table(
        "notice_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("quote", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_notice_comment_author_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_notice_comment_notice_id_notice")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["notice_comment.id"],
            name=op.f("fk_notice_comment_parent_id_notice_comment"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["app_user.id"], name=op.f("fk_notice_comment_resolved_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["notice_version.id"],
            name=op.f("fk_notice_comment_version_id_notice_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_comment")),
    )
    with op.batch_alter_table("notice_comment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_comment_notice_id"), ["notice_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notice_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_comment_notice_id"))
    op.drop_table("notice_comment")
    with op.batch_alter_table("notice_approval", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_approval_notice_id"))
    op.drop_table("notice_approval")
    with op.batch_alter_table("notice_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_version_notice_id"))
    op.drop_table("notice_version")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_incident_id"))
    op.drop_table("notice")
    op.drop_table("notice_details")
