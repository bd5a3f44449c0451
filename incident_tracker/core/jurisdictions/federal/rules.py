"""Federal: HIPAA Breach Notification Rule, 45 CFR 164.400-414, and 42 CFR Part 2 (2024 rule).

Described in docs/law/federal.md; the F1-F8 and P2 rows of the rule table are in docs/law/rules.md.
Every clock is in calendar days from discovery (164.404(a)(2)); nothing in Part 164 extends a
deadline that ends on a weekend or holiday (docs/law/conventions.md). This module holds the notices
to individuals and the media (F1-F3) and the rule list; common.py the discovery date, hhs.py the
reports to HHS (F4, F5, P2), records.py F6-F8.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.federal import hhs, records
from incident_tracker.core.jurisdictions.federal import parameters as P
from incident_tracker.core.jurisdictions.federal.common import (
    INDIVIDUAL_CLOCK,
    NO_ROLL,
    J,
    covered_entity_discovery,
    not_owed,
    number,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Outcome, Rule


def _individuals(ctx: Context) -> Iterator[Outcome]:
    """164.404(a), (b): a breach of unsecured PHI, discovered, not excluded, no low probability.
    The date is the shape's; what it waits for and its words depend on who discovered."""
    if (no := not_owed(ctx, "F1")) is not None:
        yield no
        return
    start, waiting, basis = covered_entity_discovery(ctx)
    days = number(INDIVIDUAL_CLOCK.days, ctx)
    strict = INDIVIDUAL_CLOCK.add(start, days)
    due, alt, alt_reason = ctx.hold_adjusted(strict)
    reason = (
        f"Notify each affected individual without unreasonable delay and no later than {days} "
        f"calendar days after discovery ({basis}): {strict}; {NO_ROLL}."
    )
    if ctx.hold is not None:
        reason += (
            f" A law-enforcement hold runs until {ctx.hold.end} (164.412): notice is due on the "
            f"later of the {days}-day date and the hold end."
        )
    unit, after = INDIVIDUAL_CLOCK.words()
    yield ctx.add(
        Obligation(
            "F1",
            J,
            "Affected individuals",
            "45 CFR 164.404(b); 164.412",
            reason,
            due,
            Status.WAITING if waiting else Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            party=ctx.owner_party,
            due_basis=f"{days} {unit} after {after}",
            waiting_for="F6" if waiting else None,
        )
    )


def _substitute(ctx: Context) -> Iterator[Outcome]:
    """164.404(d)(2): substitute notice where contact information is insufficient or out of date;
    due on the individual-notice date (F1), so it has no date of its own to compute."""
    f1 = ctx.get("F1")
    unreachable = ctx.facts.unreachable_individuals or 0
    if f1 is None:
        yield NotRequired("F2", "no individual notice is owed (F1)", jurisdiction=J)
        return
    if unreachable == 0:
        yield NotRequired(
            "F2",
            "no individuals recorded with insufficient or out-of-date contact information",
            jurisdiction=J,
        )
        return
    started = ctx.facts.substitute_notice_started_on
    threshold = number(P.SUBSTITUTE_THRESHOLD, ctx)
    if unreachable >= threshold:
        posting = number(P.SUBSTITUTE_POSTING_DAYS, ctx)
        recipient = (
            "Substitute notice (home-page posting or major print/broadcast media, plus toll-free "
            "number)"
        )
        reason = (
            f"{unreachable} people cannot be reached ({threshold} or more): post conspicuously on "
            f"the home page for {posting} days or give notice in major print or broadcast media, "
            f"with a toll-free number active at least {posting} days, within the "
            "individual-notice deadline."
        )
        citation = "45 CFR 164.404(d)(2)(ii)"
        keep_until = started + timedelta(days=posting) if started else None
    else:
        recipient = "Substitute notice (alternative written notice, telephone or other means)"
        reason = (
            f"{unreachable} people cannot be reached (fewer than {threshold}): reach them by "
            "alternative written notice, telephone or other means, within the individual-notice "
            "deadline."
        )
        citation = "45 CFR 164.404(d)(2)(i)"
        keep_until = None
    yield ctx.add(
        Obligation(
            "F2",
            J,
            recipient,
            citation,
            reason,
            f1.due,
            f1.status,
            alt_due=f1.alt_due,
            alt_due_reason=f1.alt_due_reason,
            keep_until=keep_until,
            party=ctx.owner_party,
            due_basis="within the individual-notice deadline (F1)",
        )
    )


def _media(ctx: Context) -> Iterator[Outcome]:
    """164.406(a): a breach involving more than 500 residents of a State or jurisdiction; due on
    the individual-notice date (164.406(b), the same count), copied from F1."""
    f1 = ctx.get("F1")
    if f1 is None:
        yield not_owed(ctx, "F3") or NotRequired("F3", "no individual notice is owed", None, J)
        return
    threshold = number(P.MEDIA_THRESHOLD, ctx)
    states = ctx.facts.affected_by_state
    qualifying = [(s, n) for s, n in states if n > threshold]
    if not qualifying:
        largest = max(states, key=lambda sn: sn[1], default=None)
        detail = f" (largest: {largest[0]} {largest[1]})" if largest else ""
        yield NotRequired(
            "F3",
            f"Media notice not required: no State has more than {threshold} affected "
            f"residents{detail} (164.406(a))",
            jurisdiction=J,
        )
        return
    days = number(P.INDIVIDUAL_DAYS, ctx)
    for state, count in states:
        if count <= threshold:
            yield NotRequired(
                "F3",
                f"{count} {state} residents is not more than {threshold} (164.406(a))",
                state,
                J,
            )
            continue
        yield ctx.add(
            Obligation(
                "F3",
                J,
                f"Prominent media serving {state}",
                "45 CFR 164.406",
                (
                    f"{count} residents of {state} is more than {threshold}: notify prominent "
                    f"media outlets serving {state}, with the content of 164.404(c), no later than "
                    f"{days} calendar days after discovery; {NO_ROLL}."
                ),
                f1.due,
                f1.status,
                state=state,
                alt_due=f1.alt_due,
                alt_due_reason=f1.alt_due_reason,
                party=ctx.owner_party,
                due_basis=f"{days} calendar days after discovery (as F1)",
            )
        )


DAYS = current(P.INDIVIDUAL_DAYS)  # for the rule table's words only

RULES: tuple[Rule, ...] = (
    Rule(
        "F1",
        J,
        "45 CFR 164.404",
        "Affected individuals",
        "A covered entity's breach of unsecured PHI: no 164.402(1) exception, not secured, "
        "no documented low probability of compromise.",
        f"{DAYS} calendar days after discovery (164.404(a)(2)); no roll-forward",
        _individuals,
    ),
    Rule(
        "F2",
        J,
        "45 CFR 164.404(d)(2)",
        "Substitute notice",
        "Individuals whose contact information is insufficient or out of date: "
        f"{current(P.SUBSTITUTE_THRESHOLD)} or more, web posting "
        f"{current(P.SUBSTITUTE_POSTING_DAYS)} days or major media plus toll-free number; fewer, "
        "alternative means.",
        "within the F1 deadline",
        _substitute,
    ),
    Rule(
        "F3",
        J,
        "45 CFR 164.406",
        "Prominent media (one per State)",
        f"More than {current(P.MEDIA_THRESHOLD)} residents of one State or jurisdiction "
        f"({current(P.MEDIA_THRESHOLD)} is not enough).",
        f"{DAYS} calendar days after discovery",
        _media,
    ),
    *hhs.HHS_RULES,
    *records.RECORD_RULES,
    *hhs.PART2_RULES,
)
