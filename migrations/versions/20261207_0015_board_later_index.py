"""form tokens and the board's later group

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 15:00:00

A one-time token per rendered form (incident creation, a notice recorded as sent), so a form
sent twice saves once. The incident's risk-assessment outcome was already nullable: a new
incident has none until assessed (45 CFR 164.402(2) presumes a breach meanwhile), so no column
changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_form_token_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_form_token_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_token")),
        sa.UniqueConstraint("token", name=op.f("uq_form_token_token")),
    )
    op.create_index(op.f("ix_form_token_incident_id"), "form_token", ["incident_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_form_token_incident_id"), table_name="form_token")
    op.drop_table("form_token")
