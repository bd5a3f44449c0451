"""scheduler problems

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 09:00:00

The tick that raised (its time and exception class) beside the scheduler's last tick, and an
index for counting the unsent reminders that keep failing: /healthz and the home page warn about
both on every call, so the count must not read every pending reminder.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduler_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("last_error", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index("ix_reminder_failing", ["status", "attempts"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_failing")
    with op.batch_alter_table("scheduler_state", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("last_error_at")
