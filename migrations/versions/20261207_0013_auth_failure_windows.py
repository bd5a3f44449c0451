"""auth failure windows

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:00:00

The sign-in throttle's store: failed attempts per client address in ten-minute windows. Failures
used to be counted from the audit trail, one row per failed request, so a flood from one address
wrote a flood of audit rows. They are now counted here and each window is summarised into the
audit trail once, after it closes: the trail stays append-only and grows by one row per address
per window. Not shown on any page, so no data-generation triggers (migration 0010).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_failure_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("throttled", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("accounts", sa.Text(), nullable=False),
        sa.Column("unlisted_attempts", sa.Integer(), nullable=False),
        sa.Column("summarised_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_failure_window")),
        sa.UniqueConstraint("client_address", "window_start", name="uq_auth_failure_window_slot"),
    )
    with op.batch_alter_table("auth_failure_window", schema=None) as batch_op:
        batch_op.create_index(
            "ix_auth_failure_window_address_last", ["client_address", "last_at"], unique=False
        )
        batch_op.create_index(
            "ix_auth_failure_window_open", ["summarised_at", "window_start"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("auth_failure_window", schema=None) as batch_op:
        batch_op.drop_index("ix_auth_failure_window_open")
        batch_op.drop_index("ix_auth_failure_window_address_last")
    op.drop_table("auth_failure_window")
