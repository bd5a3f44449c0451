"""incident inputs: DFS extortion payment, business-associate clients, FIPS, country (reserved)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 12:30:00

Reserved in the chain so that work on several issues can land in any order; a revision that
ends up with nothing to do stays a no-op.
"""

from collections.abc import Sequence

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
