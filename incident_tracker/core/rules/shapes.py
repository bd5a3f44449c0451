"""The shapes a notice deadline takes (docs/law/conventions.md).

Every duty of the rule sets here has one of five shapes:

- `DaysAfter`: N calendar or business days after an anchor (discovery, or another notice's
  date: 45 CFR 164.404(b), GBL § 899-aa(9), H&S § 1280.15(b));
- `WithNotice`: no day count of its own, due with another notice (GBL § 899-aa(8));
- `BeforeNotice`: no day count, but before another notice (N.J.S.A. 56:8-163(c)(1));
- `NoFixedDeadline`: a standard in words ("most expedient time possible");
- `HoursAfter`: N hours from a recorded instant, in a named time zone (23 NYCRR 500.17).

Each shape computes a `Deadline` for one incident; terms.py dresses it in a rule's words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from incident_tracker.core.calendar import BusinessCalendar, calendar_days_after, hours_after
from incident_tracker.core.context import Context
from incident_tracker.core.facts import IncidentFacts
from incident_tracker.core.obligations import Obligation, Status
from incident_tracker.core.parameters import Parameter, current, value_on

DISCOVERY = "discovery"
# The other reading of a count (start, days, due): (alt_due, why, calendar), e.g. a calendar-day
# date on a closed day rolled forward, or business days of a second holiday list.
OtherReading = Callable[[date, int, date], tuple[date | None, str | None, str | None]]
# When the anchor notice was in fact sent (the facts' record), None while it is not.
Sent = Callable[[IncidentFacts], date | None]


@dataclass(slots=True)
class Deadline:
    """What a shape gives one incident, before a rule's words: the date fields of an
    `Obligation`, with the count and the start it was computed from."""

    due: date | None
    status: Status
    count: int | None = None
    start: date | None = None
    sent: date | None = None
    due_at: datetime | None = None
    due_basis: str | None = None
    calendar: str | None = None
    alt_due: date | None = None
    alt_due_reason: str | None = None
    outer_limit: date | None = None
    not_before: date | None = None
    practical_latest: date | None = None
    must_precede: str | None = None
    standard: str | None = None
    waiting_for: str | None = None
    held: bool = False  # a law-enforcement hold runs: `standard` applies from `not_before`


def delayed(d: Deadline) -> str | None:
    """The words of a notice a law-enforcement hold delays (None when none does)."""
    if not d.held:
        return None
    return (
        f"Notice is delayed at law enforcement's request until {d.not_before}; then notify "
        f"{d.standard}."
    )


@dataclass(frozen=True, slots=True)
class DaysAfter:
    """`days` (a dated parameter) calendar days, or business days of `calendar`, after the
    anchor: the discovery date, the date `start` reads from the incident, or the date of the
    notice of rule `anchor` (the first of several that is owed; the date it was `sent`, else
    its latest permitted date)."""

    days: tuple[Parameter, ...]
    anchor: str | tuple[str, ...] = DISCOVERY
    calendar: BusinessCalendar | None = None
    start: Callable[[Context], date | None] | None = None
    since: str | None = None  # the anchor in words ("detection", "the payment")
    unit: str | None = None  # the unit in words ("CA business days")
    other_reading: OtherReading | None = None
    sent: Sent | None = None
    law_of: Callable[[Context], date] | None = None  # the day whose count applies (discovery)
    # 45 CFR 164.412: a law-enforcement hold moves the date to the hold's end (tolling it by the
    # hold's length is the other reading).
    held_to_end: bool = False

    wording: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unit = self.unit or (
            f"business days ({self.calendar.name})" if self.calendar else "calendar days"
        )
        other = "discovery" if self.anchor == DISCOVERY else f"the {self.anchor} notice"
        object.__setattr__(self, "wording", (unit, self.since or other))

    def words(self) -> tuple[str, str]:
        """(unit, anchor) in words."""
        return self.wording

    def describe(self) -> str:
        unit, after = self.words()
        return f"{current(self.days)} {unit} after {after}"

    def count(self, discovered_on: date) -> int | None:
        return value_on(self.days, discovered_on)

    def add(self, start: date, days: int) -> date:
        if self.calendar is None:
            return calendar_days_after(start, days)
        return self.calendar.add_business_days(start, days)

    def deadline(self, ctx: Context) -> Deadline:
        days = self.count(self.law_of(ctx) if self.law_of else ctx.facts.discovered_on)
        if days is None:  # the law of that date sets no day count
            standard = self.days[0].note or "without unreasonable delay"
            return Deadline(None, Status.NO_FIXED_DEADLINE, standard=standard)
        unit, after = self.wording
        sent: date | None = None
        outer: date | None = None
        anchor = self.anchor
        if self.start is not None:
            start: date | None = self.start(ctx)
        elif anchor == DISCOVERY:
            start = ctx.facts.discovered_on
        else:
            other = self.anchor_notice(ctx)
            anchor = other.rule_id if other else anchor
            start = other.due if other else None
            sent = self.sent(ctx.facts) if self.sent else None
            if sent is not None:
                outer = self.add(start, days) if start else None
                start = sent
        if start is None:  # the anchor notice has no date yet: not before it can go
            other = self.anchor_notice(ctx)
            return Deadline(
                None, Status.NO_FIXED_DEADLINE, days, waiting_for=str(anchor),
                standard=f"{days} {unit} after {after}",
                not_before=other.not_before if other else None,
            )  # fmt: skip
        due = self.add(start, days)
        waiting = self.sent is not None and sent is None
        reading = self.other_reading
        alt, why, cal = reading(start, days, due) if reading else (None, None, None)
        if self.held_to_end:
            due, alt, why = ctx.hold_adjusted(due)
        return Deadline(
            due,
            Status.WAITING if waiting else Status.DATED,
            days,
            start,
            sent,
            due_basis=f"{days} {unit} after {after}",
            calendar=self.calendar.label() if self.calendar else cal,
            alt_due=alt,
            alt_due_reason=why,
            outer_limit=outer if outer != due else None,
            waiting_for=str(anchor) if waiting else None,
        )

    def anchor_notice(self, ctx: Context) -> Obligation | None:
        if isinstance(self.anchor, str):
            return ctx.get(self.anchor)
        return next((o for o in map(ctx.get, self.anchor) if o is not None), None)


@dataclass(frozen=True, slots=True)
class WithNotice:
    """Due with the notice of rule `rule_id`, not delaying it: its date until it is `sent`, then
    the day it went out (its latest permitted date the outer limit)."""

    rule_id: str
    sent: Sent | None = None
    basis: str | None = None  # the due basis in words (default: the clock in words)

    def describe(self) -> str:
        return f"with the {self.rule_id} notice, not delaying it"

    def deadline(self, ctx: Context) -> Deadline:
        other = ctx.get(self.rule_id)
        basis = self.basis or self.describe()
        sent = self.sent(ctx.facts) if self.sent else None
        if sent is not None:
            return Deadline(
                sent, Status.DATED, sent=sent, due_basis=basis,
                outer_limit=other.due if other else None,
            )  # fmt: skip
        if other is None:
            return Deadline(None, Status.NO_FIXED_DEADLINE, waiting_for=self.rule_id)
        return Deadline(
            other.due,
            Status.WAITING if other.due else Status.NO_FIXED_DEADLINE,
            due_basis=basis,
            alt_due=other.alt_due,
            alt_due_reason=other.alt_due_reason,
            not_before=other.not_before,
            standard=other.standard,
            waiting_for=self.rule_id,
        )


@dataclass(frozen=True, slots=True)
class BeforeNotice:
    """Before the notice of rule `rule_id` (`words`: that notice as the statute names it): by its
    date when it has one; otherwise no fixed date, only the order, with `standard`."""

    rule_id: str
    words: str | None = None
    standard: str | None = None

    def describe(self) -> str:
        return f"before the {self.words or self.rule_id + ' notice'}"

    def deadline(self, ctx: Context) -> Deadline:
        other = ctx.get(self.rule_id)
        precede = self.words or f"the {self.rule_id} notice"
        if other is not None and other.due is not None:
            return Deadline(
                other.due, Status.WAITING, must_precede=precede, waiting_for=self.rule_id,
                due_basis=self.describe(),
            )  # fmt: skip
        return Deadline(
            None, Status.NO_FIXED_DEADLINE, must_precede=precede, standard=self.standard
        )


@dataclass(frozen=True, slots=True)
class NoFixedDeadline:
    """A standard in words; `alternative`, counted with its value on `alternative_on`, is the
    date of the reading that a later law's count governs this notice too (`alt_due`)."""

    standard: str
    alternative: DaysAfter | None = None
    alternative_on: date | None = None
    alternative_why: str | None = None

    def describe(self) -> str:
        return f"{self.standard} (no day count)"

    def deadline(self, ctx: Context) -> Deadline:
        alt = self.alternative
        if alt is None or self.alternative_on is None:
            return Deadline(None, Status.NO_FIXED_DEADLINE, standard=self.standard)
        days = alt.count(self.alternative_on)
        assert days is not None, alt.days[0].name
        start = (alt.start(ctx) if alt.start else None) or ctx.facts.discovered_on
        return Deadline(
            None, Status.NO_FIXED_DEADLINE, days, start, standard=self.standard,
            alt_due=alt.add(start, days), alt_due_reason=self.alternative_why,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class HoursAfter:
    """`hours` (a dated parameter) after the instant `instant` reads from the facts, as a wall
    clock in `zone` (`place`: its name in words). With `assume_day_start`, an instant not
    recorded is taken as the start of the discovery day: due by the end of the last day the
    hours reach, with no time."""

    hours: tuple[Parameter, ...]
    instant: Callable[[IncidentFacts], datetime | None]
    zone: ZoneInfo
    instant_name: str
    place: str | None = None
    assume_day_start: bool = False

    def describe(self) -> str:
        place = self.place or self.zone.key
        return f"{current(self.hours)} hours after the {self.instant_name} ({place} time)"

    def due_at(self, instant: datetime, discovered_on: date) -> tuple[int, datetime]:
        hours = value_on(self.hours, discovered_on)
        assert hours is not None, self.hours[0].name
        return hours, hours_after(instant, hours, self.zone)

    def deadline(self, ctx: Context) -> Deadline:
        instant = self.instant(ctx.facts)
        if instant is None and self.assume_day_start:
            hours = value_on(self.hours, ctx.facts.discovered_on)
            assert hours is not None, self.hours[0].name
            last = calendar_days_after(ctx.facts.discovered_on, -(-hours // 24) - 1)
            return Deadline(last, Status.DATED, hours, ctx.facts.discovered_on)
        if instant is None:
            return Deadline(None, Status.NO_FIXED_DEADLINE)
        hours, due_at = self.due_at(instant, ctx.facts.discovered_on)
        return Deadline(
            due_at.date(), Status.DATED, hours, due_at=due_at, due_basis=self.describe()
        )


def rolled(roll: Callable[[date], tuple[date | None, str | None, str | None]]) -> OtherReading:
    """The roll-forward of a calendar-day date (GCL § 25-a, CCP § 12a) as the other reading."""
    return lambda start, days, due: roll(due)


Shape = DaysAfter | WithNotice | BeforeNotice | NoFixedDeadline | HoursAfter
