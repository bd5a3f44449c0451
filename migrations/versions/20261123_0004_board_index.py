"""board index: open legal duties by due date, for the deadline board

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_obligation_open_due",
            ["incident_id", "kind", "live", "done_on", "due"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index("ix_obligation_open_due")
