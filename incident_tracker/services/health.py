"""What /healthz and the home page warn about: reminders that keep failing, claims older than
their lease (a dispatcher that died mid-send and no tick since to re-queue them) and a tick that
raised. One statement, no ORM, no transaction: both pages ask on every request.

Counts and times only, never a name, an address or an error's text (HIPAA 164.502(b), minimum
necessary: monitoring needs no PHI).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, bindparam, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import ScalarSelect
from sqlmodel import SQLModel

from incident_tracker.db import prepared
from incident_tracker.db.models import Reminder, SchedulerState
from incident_tracker.db.prepared import as_datetime
from incident_tracker.services.dispatch import lease_from_env
from incident_tracker.services.notifications import FAILURE_THRESHOLD

TICK_RAISED_SHOWN_FOR = timedelta(hours=1)  # longer than a lease and the longest back-off


@lru_cache(maxsize=1)
def configured_lease() -> timedelta:
    """The scheduler's lease as the environment sets it (read once per process)."""
    return lease_from_env(os.environ)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Health:
    failing: int  # unsent reminders that failed FAILURE_THRESHOLD or more times
    stale_claims: int
    last_tick_at: datetime | None
    raised_at: datetime | None  # the last tick that raised
    raised: str  # its exception's class

    def scheduler_problems(self, now: datetime) -> list[str]:
        """The scheduler's own: claims left behind and a tick that raised within the hour."""
        found = []
        if self.stale_claims:
            claims = _plural(self.stale_claims, "claim is", "claims are")
            found.append(f"{claims} older than their lease")
        if self.raised_at is not None and now - self.raised_at < TICK_RAISED_SHOWN_FOR:
            found.append(f"the last tick raised {self.raised} at {self.raised_at.isoformat()}")
        return found

    def problems(self, now: datetime) -> list[str]:
        found = []
        if self.failing:
            reminders = _plural(self.failing, "reminder", "reminders")
            found.append(f"{reminders} failed {FAILURE_THRESHOLD} or more times")
        return found + self.scheduler_problems(now)


def read(db: Connection, now: datetime, lease: timedelta) -> Health:
    """One statement on `db`, outside any transaction."""
    row = prepared.first(db, _HEALTH, cutoff=(now - lease).astimezone(UTC))
    assert row is not None  # a SELECT without FROM has its one row
    failing, stale, last_tick, raised_at, raised = row
    return Health(
        int(failing or 0),
        int(stale or 0),
        as_datetime(last_tick),
        as_datetime(raised_at),
        str(raised or "an error"),
    )


_REMINDER = SQLModel.metadata.tables[str(Reminder.__tablename__)]
_STATE = SQLModel.metadata.tables[str(SchedulerState.__tablename__)]
_UNSENT = or_(_REMINDER.c.status == "pending", _REMINDER.c.status == "claimed")


def _state(column: str) -> ScalarSelect[Any]:
    return select(_STATE.c[column]).where(_STATE.c.id == 1).scalar_subquery()


# The failing count reads index entries only (ix_reminder_failing: status, attempts); the stale
# claims read the claimed rows only (a few chunks at most), found by the same index.
_HEALTH = select(
    select(func.count())
    .select_from(_REMINDER)
    .where(_UNSENT, _REMINDER.c.attempts >= FAILURE_THRESHOLD)
    .scalar_subquery(),
    select(func.count())
    .select_from(_REMINDER)
    .where(
        _REMINDER.c.status == "claimed",
        _REMINDER.c.claimed_at < bindparam("cutoff", type_=DateTime(timezone=True)),
    )
    .scalar_subquery(),
    _state("last_tick_at"),
    _state("last_error_at"),
    _state("last_error"),
)
