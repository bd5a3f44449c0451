"""What every federal duty asks first: the covered entity's discovery date (164.404(a)(2), through
a business associate's notice under 164.410) and whether HIPAA notice is owed at all; the federal
numbers as the parameters give them (parameters.py)."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.calendar import calendar_days_after
from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.federal import parameters as P
from incident_tracker.core.obligations import NotRequired
from incident_tracker.core.parameters import current

J = "Federal"
# The parameters' values (parameters.py): none has changed since the HIPAA rule took effect.
INDIVIDUAL_DAYS = current(P.INDIVIDUAL_DAYS)  # 164.404(b), 164.406(b), 164.410(b)
LOG_DAYS_AFTER_YEAR_END = current(P.LOG_DAYS_AFTER_YEAR_END)  # 164.408(c)
HHS_THRESHOLD = current(P.HHS_THRESHOLD)  # 164.408(b): "500 or more"
MEDIA_THRESHOLD = current(P.MEDIA_THRESHOLD)  # 164.406(a): "more than 500 residents of a State"
SUBSTITUTE_THRESHOLD = current(P.SUBSTITUTE_THRESHOLD)  # 164.404(d)(2)(ii): "10 or more"
SUBSTITUTE_POSTING_DAYS = current(P.SUBSTITUTE_POSTING_DAYS)  # 164.404(d)(2)(ii)(A)
RETAIN_YEARS = current(P.RETAIN_YEARS)  # 164.530(j)(2)
PART2_COMPLIANCE = date(2026, 2, 16)

NO_ROLL = "calendar days; HIPAA has no weekend or holiday roll-forward"


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
    latest, _, _ = ctx.hold_adjusted(calendar_days_after(f.discovered_on, INDIVIDUAL_DAYS))
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
