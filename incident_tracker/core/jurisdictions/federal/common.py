"""What every federal duty asks first: the covered entity's discovery date (164.404(a)(2), through
a business associate's notice under 164.410) and whether HIPAA notice is owed at all; the federal
numbers as the parameters give them (parameters.py)."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.federal import parameters as P
from incident_tracker.core.obligations import NotRequired
from incident_tracker.core.parameters import Parameter, value_on
from incident_tracker.core.rules.shapes import DaysAfter

J = "Federal"
PART2_COMPLIANCE = date(2026, 2, 16)

NO_ROLL = "calendar days; HIPAA has no weekend or holiday roll-forward"


def law_day(ctx: Context) -> date:
    """The day whose HIPAA numbers apply: the discovery date. The breach rule governs breaches
    from 2009-09-23 (74 FR 42740); the tracker applies its numbers to an earlier discovery too,
    as it always has."""
    return max(ctx.facts.discovered_on, P.HIPAA_IFR)


def number(history: tuple[Parameter, ...], ctx: Context) -> int:
    """A federal number (parameters.py) for this incident's discovery date."""
    if len(history) == 1 and history[0].effective_from == P.HIPAA_IFR:
        found = history[0].value  # one value since the rule began: in force on any law day
    else:
        found = value_on(history, law_day(ctx))
    assert found is not None, history[0].name
    return found


# 164.410(b): the business associate's notice, calendar days from its own discovery; 164.412 a
# hold moves the date to its end.
BA_CLOCK = DaysAfter(
    P.INDIVIDUAL_DAYS, since="the BA's discovery", law_of=law_day, held_to_end=True
)
# 164.404(b): calendar days from the covered entity's discovery (covered_entity_discovery).
INDIVIDUAL_CLOCK = DaysAfter(
    P.INDIVIDUAL_DAYS, since="the covered entity's discovery", law_of=law_day, held_to_end=True
)
# 164.408(c): days after 31 December of the year of discovery.
LOG_CLOCK = DaysAfter(
    P.LOG_DAYS_AFTER_YEAR_END,
    since="31 December of the year of discovery",
    unit="days",
    law_of=law_day,
)


def covered_entity_discovery(ctx: Context) -> tuple[date, bool, str]:
    """The covered entity's discovery date (docs/law/federal.md): its own, the BA's when the BA is
    its
    agent, or the day the BA told it when the BA is an independent contractor.

    Returns (date, waiting, basis); `waiting` means the BA has not told it yet and the date is
    the latest permitted BA notice date (164.410(b)).
    """
    f = ctx.facts
    if not ctx.is_business_associate:
        return f.discovered_on, False, f"discovery on {f.discovered_on}"
    if f.business_associate_is_agent_of_ce is not False:
        undecided = (
            "; whether the BA is the covered entity's agent is not recorded, so the earlier "
            "(agent) clock is used until it is answered"
            if f.business_associate_is_agent_of_ce is None
            else ""
        )
        return (
            f.discovered_on,
            False,
            f"the business associate is the covered entity's agent, so its discovery on "
            f"{f.discovered_on} is imputed to the covered entity (164.404(a)(2)){undecided}",
        )
    if f.ce_notified_by_ba_on is not None:
        return (
            f.ce_notified_by_ba_on,
            False,
            f"the business associate is an independent contractor, so the covered entity "
            f"discovered the breach when told on {f.ce_notified_by_ba_on} (164.404(a)(2))",
        )
    latest = BA_CLOCK.deadline(ctx).due
    assert latest is not None
    return (
        latest,
        True,
        f"the business associate (an independent contractor) has not yet told the covered "
        f"entity; computed from the latest permitted BA notice date {latest} (164.410(b))",
    )


def owner_discovery(ctx: Context) -> date:
    """A State clock for a HIPAA covered entity (or its business associate's client) runs from
    the covered entity's discovery; for anyone else, from its own."""
    if ctx.has_covered_entity_duties:
        return covered_entity_discovery(ctx)[0]
    return ctx.facts.discovered_on


def not_owed(ctx: Context, rule_id: str) -> NotRequired | None:
    if not ctx.has_covered_entity_duties:
        return NotRequired(rule_id, "the entity is not a HIPAA covered entity", jurisdiction=J)
    if not ctx.hipaa.notify:
        return NotRequired(rule_id, ctx.hipaa.why_not or "no breach", jurisdiction=J)
    return None
