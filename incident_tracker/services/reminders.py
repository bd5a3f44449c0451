"""The reminder ledger: kept in step with the obligations, in their transaction.

A recompute that leaves an obligation's due date alone changes nothing here; one that moves it
cancels the unsent reminders and plans new ones; sent reminders stay as history.
"""

from __future__ import annotations

import json
import os
from datetime import UTC
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from incident_tracker.core import reminders as ladder
from incident_tracker.db.models import ObligationRecord, Organisation, Reminder
from incident_tracker.services.call import Call

OPEN = ("pending", "claimed")
HANDOFF = "handoff"  # services/handoffs.py: a notice's hand-off e-mail, not a deadline reminder


@lru_cache(maxsize=1)
def configured() -> ladder.LadderSettings:
    """The ladder as the environment configures it (read once per process)."""
    return ladder.LadderSettings.from_env(os.environ)


def zone(call: Call) -> ZoneInfo:
    org = call.session.get(Organisation, 1)
    return ZoneInfo(org.time_zone if org else "America/New_York")


def sync(
    call: Call, record: ObligationRecord, settings: ladder.LadderSettings | None = None
) -> None:
    """Bring one obligation's pending reminders in line with its current terms."""
    terms: dict[str, Any] = json.loads(record.terms)
    pending = call.session.exec(
        select(Reminder).where(
            Reminder.obligation_id == record.id,
            col(Reminder.status).in_(OPEN),
            Reminder.kind != HANDOFF,  # a hand-off is not a step of the deadline's ladder
        )
    ).all()
    closed = not record.live or record.done_on is not None or terms.get("kind") == "record"
    key = ladder.due_key(terms)
    keep = [r for r in pending if r.due_for == key and not closed]
    for reminder in pending:
        if reminder not in keep:
            reminder.status = "cancelled"
            call.session.add(reminder)
    if closed or keep:
        return
    already = {
        r.offset: r
        for r in call.session.exec(
            select(Reminder).where(Reminder.obligation_id == record.id, Reminder.due_for == key)
        )
    }
    for step in ladder.plan(terms, call.now, zone(call), settings or configured()):
        row = already.get(step.offset)
        if row is not None and row.status == "cancelled":
            # The date moved back to one it had before: its unsent steps are planned again.
            row.status, row.kind, row.send_at = "pending", step.kind, step.send_at.astimezone(UTC)
            row.attempts, row.last_error, row.claimed_at = 0, "", None
            call.session.add(row)
        elif row is None:
            call.session.add(
                Reminder(
                    obligation_id=record.id or 0,
                    offset=step.offset,
                    due_for=key,
                    kind=step.kind,
                    send_at=step.send_at.astimezone(UTC),
                    created_at=call.now,
                )
            )
    call.session.flush()


def for_obligations(call: Call, obligation_ids: list[int]) -> dict[int, list[Reminder]]:
    """Upcoming and sent reminders per obligation, for the incident page (one query)."""
    out: dict[int, list[Reminder]] = {i: [] for i in obligation_ids}
    if not obligation_ids:
        return out
    rows = call.session.exec(
        select(Reminder)
        .where(
            col(Reminder.obligation_id).in_(obligation_ids),
            Reminder.status != "cancelled",
            Reminder.kind != HANDOFF,
        )
        .order_by(col(Reminder.send_at))
    )
    for r in rows:
        out[r.obligation_id].append(r)
    return out
