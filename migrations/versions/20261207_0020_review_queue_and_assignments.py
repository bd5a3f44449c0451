"""review queue, duty assignees, staff reports (reserved)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 12:30:00

Reserved in the chain so that work on several issues can land in any order; a revision that
ends up with nothing to do stays a no-op.
"""

from collections.abc import Sequence

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
