"""When to remind people of an obligation: the ladders, as a pure function.

Day clocks: 14, 7, 3 and 1 days before and on the due day, then daily while overdue for 3 days and
weekly after. Short clocks (hour-based, or a week or less from creation, like the NY AG's 5
business days) get their own ladder: at creation, a day before (24 and 4 hours for hour clocks) and
at the deadline. Offsets already past when the ladder is made are not sent in a burst: at most one
"due soon" message now. Waiting or undated duties get a nudge at an interval; records never remind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from incident_tracker.core.parsing import whole_number


@dataclass(frozen=True)
class LadderSettings:
    day_offsets: tuple[int, ...] = (14, 7, 3, 1)
    overdue_daily: int = 3
    overdue_weekly_days: int = 7
    nudge_days: int = 7
    send_hour: int = 9  # local time at which date reminders go out
    short_clock_days: int = 7  # a clock this short (from creation) gets the short ladder

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LadderSettings:
        """REMINDER_OFFSETS ("14,7,3,1": days before the due day) and REMINDER_NUDGE_DAYS."""
        offsets = env.get("REMINDER_OFFSETS", "").split(",")
        found = {whole_number(n, 1, 366) for n in offsets}
        days = tuple(sorted((n for n in found if n is not None), reverse=True))
        nudge = whole_number(env.get("REMINDER_NUDGE_DAYS"), 1, 366)
        return cls(day_offsets=days or cls.day_offsets, nudge_days=nudge or cls.nudge_days)


@dataclass(frozen=True)
class Step:
    offset: str  # unique per obligation and due
    send_at: datetime  # UTC
    kind: str  # due_soon | due | overdue | nudge


def due_key(terms: Mapping[str, Any]) -> str:
    """What the ladder was computed for: a new key cancels the old ladder, the same key keeps it."""
    if terms.get("status") in ("waiting", "no_fixed_deadline") or not terms.get("due"):
        return f"{terms.get('status')}"
    return str(terms.get("due_at") or terms["due"])


def _at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone)


def plan(
    terms: Mapping[str, Any], now: datetime, zone: ZoneInfo, s: LadderSettings = LadderSettings()
) -> list[Step]:
    """The reminders to schedule for an obligation's current terms, made at `now`."""
    if terms.get("kind") == "record":
        return []
    if terms.get("status") in ("waiting", "no_fixed_deadline") or not terms.get("due"):
        return [Step("n1", now + timedelta(days=s.nudge_days), "nudge")]
    if terms.get("due_at"):
        deadline = datetime.fromisoformat(str(terms["due_at"]))
        late_from = deadline
        wanted = [
            ("created", now, "due_soon"),
            ("h-24", deadline - timedelta(hours=24), "due_soon"),
            ("h-4", deadline - timedelta(hours=4), "due_soon"),
            ("h0", deadline, "due"),
        ]
    else:
        due = date.fromisoformat(str(terms["due"]))
        deadline = _at(due, s.send_hour, zone)
        late_from = _at(due + timedelta(days=1), 0, zone)  # the due day itself is not late
        if (due - now.astimezone(zone).date()).days <= s.short_clock_days:
            wanted = [
                ("created", now, "due_soon"),
                ("d-1", _at(due - timedelta(days=1), s.send_hour, zone), "due_soon"),
                ("d0", deadline, "due"),
            ]
        else:
            wanted = [
                (f"d-{n}", _at(due - timedelta(days=n), s.send_hour, zone), "due_soon")
                for n in s.day_offsets
            ] + [("d0", deadline, "due")]
    overdue = [
        (f"o+{n}", deadline + timedelta(days=n), "overdue") for n in range(1, s.overdue_daily + 1)
    ]
    overdue.append(
        ("o+w1", deadline + timedelta(days=s.overdue_daily + s.overdue_weekly_days), "overdue")
    )
    return _no_burst(wanted, overdue, late_from, now)


def _no_burst(
    wanted: list[tuple[str, datetime, str]],
    overdue: list[tuple[str, datetime, str]],
    late_from: datetime,
    now: datetime,
) -> list[Step]:
    """Keep future steps; replace every past one by at most one message now."""
    future = [Step(o, t, k) for o, t, k in wanted + overdue if t > now]
    missed = [o for o, t, _ in wanted + overdue if t <= now and o != "created"]
    created = [Step("created", now, "due_soon") for o, _, _ in wanted if o == "created"]
    if now >= late_from:
        return [Step("late", now, "overdue"), *future]
    if created:
        return created + future
    if missed:
        return [Step("soon", now, "due_soon"), *future]
    return future


def next_step(
    step_offset: str, sent_at: datetime, s: LadderSettings = LadderSettings()
) -> Step | None:
    """The step that follows a sent one while the duty stays open: weekly overdue, or the next
    nudge. Created when the previous one is sent, so the ledger never grows ahead of time. A
    "late" message (overdue when the ladder was made) leads to the weekly ones, unless its ladder
    already has them (the dispatcher does not add a step that exists)."""
    if step_offset == "late":
        return Step("o+w1", sent_at + timedelta(days=s.overdue_weekly_days), "overdue")
    if step_offset.startswith("o+w"):
        n = int(step_offset[3:]) + 1
        return Step(f"o+w{n}", sent_at + timedelta(days=s.overdue_weekly_days), "overdue")
    nudge = whole_number(step_offset[1:]) if step_offset.startswith("n") else None
    if nudge is not None:
        return Step(f"n{nudge + 1}", sent_at + timedelta(days=s.nudge_days), "nudge")
    return None
