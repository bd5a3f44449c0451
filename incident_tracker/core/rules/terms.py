"""A rule built from a deadline shape (shapes.py) and what one duty says (docs/law/conventions.md).

`duty` builds a `Rule` from `Terms`: what the law reaches (`why_not`), the shape of its deadline
(whose day count is a dated parameter) and the words each obligation carries, so a duty is data
and an amendment is one dated value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import Parameter, value_on
from incident_tracker.core.rules.base import ALWAYS, Effective, Outcome, Rule
from incident_tracker.core.rules.shapes import (
    BeforeNotice,
    DaysAfter,
    Deadline,
    HoursAfter,
    NoFixedDeadline,
    Shape,
    WithNotice,
)

NOT_OWED_KEPT = 64  # reasons a rule keeps built (the common ones name no count or date)
# Why the duty is not owed for these facts (None: it is owed).
WhyNot = Callable[[Context], str | None]
# The obligation's words for one incident, from the deadline its shape gave.
Words = Callable[[Context, Deadline], str]
Basis = Callable[[Context, Deadline], str | None]


@dataclass(frozen=True, slots=True)
class Terms:
    """What one duty says, copied onto each obligation it creates.

    `recipient` and `citation` are the rule table's; `addressee` and `cites` the obligation's,
    when they say more. `warn` gives the facts the law caps, shown (never refused). A rule with
    `after_hold` has, while a law-enforcement hold runs, no fixed date but that standard, not
    before the hold ends (cited as `hold_citation`). `practical_latest` names the rule whose date
    is the latest a shared letter can go. `clock` words the deadline as the statute does, when
    the shape's own words would say less. `reason` and `basis` word one obligation from its
    deadline; `retain_years` is a dated count of years to keep a record; `disputed` says whether
    the duty's reach is disputed on these facts."""

    rule_id: str
    jurisdiction: str
    citation: str
    recipient: str
    trigger: str
    shape: Shape
    why_not: WhyNot
    reason: Words | None = None
    basis: Basis | None = None
    addressee: str | Callable[[Context], str] | None = None
    cites: str | Callable[[Context], str] | None = None
    warn: Callable[[Context], Iterable[str]] | None = None
    party: str | None = None
    clock: str | None = None
    practical_latest: str | None = None
    after_hold: str | None = None
    hold_citation: str | None = None
    retain_years: tuple[Parameter, ...] | None = None
    disputed: Callable[[Context], bool] | None = None


def duty(terms: Terms, effective: Effective = ALWAYS, version: int = 1) -> Rule:
    """A rule whose deadline is `terms.shape`, owed unless `terms.why_not` gives a reason."""

    not_owed: dict[str, tuple[Outcome]] = {}

    def evaluate(ctx: Context) -> tuple[Outcome]:
        if (why := terms.why_not(ctx)) is not None:
            found = not_owed.get(why)  # most incidents: the same few reasons, built once
            if found is None:
                if len(not_owed) > NOT_OWED_KEPT:
                    not_owed.clear()
                found = (NotRequired(terms.rule_id, why, jurisdiction=terms.jurisdiction),)
                not_owed[why] = found
            return found
        if terms.warn is not None:
            for warning in terms.warn(ctx):
                ctx.warn(warning)
        return (ctx.add(obligation(terms, ctx, deadline(terms, ctx))),)

    t = terms
    clock = t.clock or t.shape.describe()
    return Rule(
        t.rule_id, t.jurisdiction, t.citation, t.recipient, t.trigger, clock, evaluate,
        effective, version,
    )  # fmt: skip


def deadline(t: Terms, ctx: Context) -> Deadline:
    """The shape's deadline, or the hold's standard while a law-enforcement hold runs."""
    if t.after_hold is not None and ctx.hold is not None:
        d = Deadline(
            None,
            Status.NO_FIXED_DEADLINE,
            standard=t.after_hold,
            not_before=ctx.hold.end,
            held=True,
        )
    else:
        d = t.shape.deadline(ctx)
    if t.practical_latest is not None and d.due is None:  # a fixed date needs no latest
        other = ctx.get(t.practical_latest)
        d.practical_latest = other.due if other else None
    return d


def obligation(t: Terms, ctx: Context, d: Deadline) -> Obligation:
    """The obligation of `t` for the deadline `d`, in the rule's words."""
    addressee = t.addressee(ctx) if callable(t.addressee) else t.addressee
    cites = t.cites(ctx) if callable(t.cites) else t.cites
    retain = value_on(t.retain_years, _law_day(t, ctx)) if t.retain_years else None
    return Obligation(
        t.rule_id,
        t.jurisdiction,
        addressee or t.recipient,
        t.hold_citation if d.held and t.hold_citation else cites or t.citation,
        t.reason(ctx, d) if t.reason else default_reason(t, ctx, d),
        d.due,
        d.status,
        due_at=d.due_at,
        alt_due=d.alt_due,
        alt_due_reason=d.alt_due_reason,
        outer_limit=d.outer_limit,
        not_before=d.not_before,
        must_precede=d.must_precede,
        practical_latest=d.practical_latest,
        party=t.party or ctx.owner_party,
        due_basis=t.basis(ctx, d) if t.basis else d.due_basis,
        standard=d.standard,
        waiting_for=d.waiting_for,
        retain_years=retain,
        calendar=d.calendar,
        disputed=t.disputed(ctx) if t.disputed else False,
    )


def _law_day(t: Terms, ctx: Context) -> date:
    """The day whose law gives the duty's numbers: discovery, unless the shape says otherwise."""
    shape = t.shape
    if isinstance(shape, DaysAfter) and shape.law_of is not None:
        return shape.law_of(ctx)
    return ctx.facts.discovered_on


def default_reason(t: Terms, ctx: Context, d: Deadline) -> str:
    """The words of a duty that gives none of its own."""
    shape = t.shape
    if isinstance(shape, WithNotice | BeforeNotice):
        words = "with" if isinstance(shape, WithNotice) else "before"
        return f"Notify {t.recipient} {words} the {shape.rule_id} notice."
    if isinstance(shape, HoursAfter):
        if d.due_at is None:
            return f"Record the {shape.instant_name} to compute this deadline."
        return f"Notify {t.recipient} within {d.count} hours, by {d.due_at.isoformat()}."
    if d.due is None and d.waiting_for is not None:
        return f"Waits for the {d.waiting_for} notice."
    if isinstance(shape, NoFixedDeadline) or d.due is None:
        return f"Notify {t.recipient} in the {d.standard}."
    assert isinstance(shape, DaysAfter)
    unit, after = shape.words()
    return f"Notify {t.recipient} within {d.count} {unit} after {after} on {d.start}."
