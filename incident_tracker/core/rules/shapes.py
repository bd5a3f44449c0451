"""The shapes a notice deadline takes, and a rule built from one (docs/law/conventions.md).

Every duty of the four rule sets here has one of five shapes:

- `DaysAfter`: N calendar or business days after an anchor (discovery, or another notice's
  date: 45 CFR 164.404(b), GBL § 899-aa(9), H&S § 1280.15(b));
- `WithNotice`: no day count of its own, due with another notice (GBL § 899-aa(8));
- `BeforeNotice`: no day count, but before another notice (N.J.S.A. 56:8-163(c)(1));
- `NoFixedDeadline`: a standard in words ("most expedient time possible");
- `HoursAfter`: N hours from a recorded instant, in a named time zone (23 NYCRR 500.17).

`duty` builds a `Rule` from a shape, what the law reaches and the day count's dated parameter,
so a new jurisdiction's duty is data; the hand-written rules of federal, NY, NJ and CA name their
shape in the same words (`Rule.clock`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from incident_tracker.core.calendar import BusinessCalendar, calendar_days_after, hours_after
from incident_tracker.core.context import Context
from incident_tracker.core.facts import IncidentFacts
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import Parameter, current, value_on
from incident_tracker.core.rules.base import Effective, Outcome, Rule

DISCOVERY = "discovery"


@dataclass(frozen=True, slots=True)
class DaysAfter:
    """`days` (a dated parameter) calendar days, or business days of `calendar`, after the
    anchor: the discovery date or the date of the notice of rule `anchor`."""

    days: tuple[Parameter, ...]
    anchor: str = DISCOVERY
    calendar: BusinessCalendar | None = None

    def describe(self) -> str:
        unit = f"business days ({self.calendar.name})" if self.calendar else "calendar days"
        after = "discovery" if self.anchor == DISCOVERY else f"the {self.anchor} notice"
        return f"{current(self.days)} {unit} after {after}"


@dataclass(frozen=True, slots=True)
class WithNotice:
    rule_id: str

    def describe(self) -> str:
        return f"with the {self.rule_id} notice, not delaying it"


@dataclass(frozen=True, slots=True)
class BeforeNotice:
    rule_id: str

    def describe(self) -> str:
        return f"before the {self.rule_id} notice"


@dataclass(frozen=True, slots=True)
class NoFixedDeadline:
    standard: str

    def describe(self) -> str:
        return f"{self.standard}, no day count"


@dataclass(frozen=True, slots=True)
class HoursAfter:
    """`hours` (a dated parameter) after the instant `instant` reads from the facts, as a wall
    clock in `zone`."""

    hours: tuple[Parameter, ...]
    instant: Callable[[IncidentFacts], datetime | None]
    zone: ZoneInfo
    instant_name: str

    def describe(self) -> str:
        return f"{current(self.hours)} hours after the {self.instant_name} ({self.zone.key} time)"


Shape = DaysAfter | WithNotice | BeforeNotice | NoFixedDeadline | HoursAfter
# Why the duty is not owed for these facts (None: it is owed).
WhyNot = Callable[[Context], str | None]


@dataclass(frozen=True, slots=True)
class Terms:
    """What one duty says, copied onto each obligation it creates."""

    rule_id: str
    jurisdiction: str
    citation: str
    recipient: str
    trigger: str
    shape: Shape
    why_not: WhyNot


def duty(terms: Terms, effective: Effective | None = None, version: int = 1) -> Rule:
    """A rule whose deadline is `terms.shape`, owed unless `terms.why_not` gives a reason."""

    def evaluate(ctx: Context) -> Iterator[Outcome]:
        if (why := terms.why_not(ctx)) is not None:
            yield NotRequired(terms.rule_id, why, jurisdiction=terms.jurisdiction)
            return
        yield ctx.add(_obligation(terms, ctx))

    clock = terms.shape.describe()
    if effective is None:
        return Rule(
            terms.rule_id,
            terms.jurisdiction,
            terms.citation,
            terms.recipient,
            terms.trigger,
            clock,
            evaluate,
            version=version,
        )
    return Rule(
        terms.rule_id,
        terms.jurisdiction,
        terms.citation,
        terms.recipient,
        terms.trigger,
        clock,
        evaluate,
        effective,
        version,
    )


def _obligation(t: Terms, ctx: Context) -> Obligation:
    shape = t.shape
    common = (t.rule_id, t.jurisdiction, t.recipient, t.citation)
    party = ctx.owner_party
    if isinstance(shape, NoFixedDeadline):
        reason = f"Notify {t.recipient} in the {shape.standard}."
        return Obligation(
            *common, reason, None, Status.NO_FIXED_DEADLINE, standard=shape.standard, party=party
        )
    if isinstance(shape, WithNotice | BeforeNotice):
        other = ctx.get(shape.rule_id)
        due = other.due if other else None
        status = Status.WAITING if due else Status.NO_FIXED_DEADLINE
        words = "with" if isinstance(shape, WithNotice) else "before"
        reason = f"Notify {t.recipient} {words} the {shape.rule_id} notice."
        return Obligation(
            *common,
            reason,
            due,
            status,
            party=party,
            waiting_for=shape.rule_id,
            due_basis=shape.describe(),
        )
    if isinstance(shape, HoursAfter):
        instant = shape.instant(ctx.facts)
        if instant is None:
            reason = f"Record the {shape.instant_name} to compute this deadline."
            return Obligation(*common, reason, None, Status.NO_FIXED_DEADLINE, party=party)
        hours = value_on(shape.hours, ctx.facts.discovered_on)
        assert hours is not None, t.rule_id
        due_at = hours_after(instant, hours, shape.zone)
        reason = f"Notify {t.recipient} within {hours} hours, by {due_at.isoformat()}."
        return Obligation(
            *common,
            reason,
            due_at.date(),
            Status.DATED,
            due_at=due_at,
            party=party,
            due_basis=shape.describe(),
        )
    return _days_after(t, shape, ctx)


def _days_after(t: Terms, shape: DaysAfter, ctx: Context) -> Obligation:
    common = (t.rule_id, t.jurisdiction, t.recipient, t.citation)
    days = value_on(shape.days, ctx.facts.discovered_on)
    if days is None:  # the law of that date sets no day count
        standard = shape.days[0].note or "without unreasonable delay"
        return Obligation(
            *common,
            f"Notify {t.recipient} in the {standard}.",
            None,
            Status.NO_FIXED_DEADLINE,
            standard=standard,
            party=ctx.owner_party,
        )
    start: date | None = ctx.facts.discovered_on
    if shape.anchor != DISCOVERY:
        other = ctx.get(shape.anchor)
        start = other.due if other else None
    if start is None:
        return Obligation(
            *common,
            f"Waits for the {shape.anchor} notice.",
            None,
            Status.NO_FIXED_DEADLINE,
            waiting_for=shape.anchor,
            party=ctx.owner_party,
        )
    if shape.calendar is None:
        due = calendar_days_after(start, days)
        unit = "calendar days"
    else:
        due = shape.calendar.add_business_days(start, days)
        unit = f"business days ({shape.calendar.name})"
    after = "discovery" if shape.anchor == DISCOVERY else f"the {shape.anchor} notice"
    reason = f"Notify {t.recipient} within {days} {unit} after {after} on {start}."
    return Obligation(
        *common,
        reason,
        due,
        Status.DATED,
        party=ctx.owner_party,
        due_basis=f"{days} {unit} after {after}",
        calendar=shape.calendar.label() if shape.calendar else None,
    )
