"""board covering indexes

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 09:00:00

The deadline board counts and lists open legal duties of open incidents the viewer may see. Its
conditions read obligation.outcome ("waiting on another notice") and incident.restricted and
owner_id, which the earlier indexes lacked, so each of thousands of candidate duties cost a table
row read (about 40 ms for 10,000 incidents). Both indexes now hold every column the board's
conditions and order read.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_DUE = ["incident_id", "kind", "live", "done_on", "due"]


def upgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index("ix_obligation_open_due")
        batch_op.create_index("ix_obligation_open_due", [*OPEN_DUE, "outcome"], unique=False)
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_board", ["status", "restricted", "owner_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_board")
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index("ix_obligation_open_due")
        batch_op.create_index("ix_obligation_open_due", OPEN_DUE, unique=False)
