"""State regulator filings and letter inserts (reserved)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 12:30:00

Reserved in the chain so that work on several issues can land in any order; a revision that
ends up with nothing to do stays a no-op.
"""

from collections.abc import Sequence

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
