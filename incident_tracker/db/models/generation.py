"""One counter that every change to the displayed data moves (database triggers, migration 0010).

Pages read it first and key what they keep in memory by it (`web/page_cache.py`): a change by any
process, through any code path, even by hand in SQL, makes every kept result stale at once.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

# Tables whose changes never show on a kept page: the audit trail (every incident view appends
# to it), server-side sessions (touched as people click), the scheduler's heartbeat and the
# sign-in throttle's failure windows.
UNTRACKED_TABLES = frozenset(
    {"audit_event", "user_session", "scheduler_state", "data_generation", "auth_failure_window"}
    | {"form_token"}  # no page shows it; the row it points to moves the generation itself
    # every API call moves its token's counters; the scheduler its webhook ledger (read afresh)
    | {"api_token_use", "api_idempotency", "webhook_delivery"}
)


class DataGeneration(SQLModel, table=True):
    __tablename__ = "data_generation"

    id: int | None = Field(default=None, primary_key=True)
    n: int = Field(default=0)
