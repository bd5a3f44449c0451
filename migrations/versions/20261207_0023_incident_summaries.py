"""per-incident summaries for the incident page (reserved)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 12:30:00

Reserved in the chain so that work on several issues can land in any order; a revision that
ends up with nothing to do stays a no-op.
"""

from collections.abc import Sequence

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
