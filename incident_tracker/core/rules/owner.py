"""NJ 56:8-163(b) and CA 1798.82(b): a business that maintains personal information it does not
own notifies the owner "immediately following discovery" (no day count)."""

from __future__ import annotations

from incident_tracker.core.context import Context
from incident_tracker.core.obligations import Party
from incident_tracker.core.rules.base import Rule
from incident_tracker.core.rules.shapes import Deadline, NoFixedDeadline
from incident_tracker.core.rules.terms import Terms, WhyNot, duty

IMMEDIATELY = "immediately following discovery"


def owner_immediately(rule_id: str, citation: str, trigger: str, why_no_breach: WhyNot) -> Rule:
    """The vendor's notice to the data's owner, owed once the State's breach is (`why_no_breach`)
    and only by a business that maintains the data for another."""
    state = rule_id[:2]

    def why_not(ctx: Context) -> str | None:
        if not ctx.is_business_associate:
            return (
                f"the entity owns or licenses the data ({citation} binds one that only maintains "
                "it)"
            )
        return why_no_breach(ctx)

    def reason(ctx: Context, d: Deadline) -> str:
        return (
            f"A business that maintains {state} residents' personal information for another "
            f"notifies the owner {IMMEDIATELY} on {ctx.facts.discovered_on}."
        )

    return duty(
        Terms(
            rule_id,
            state,
            citation,
            "Data owner (from vendor or BA)",
            trigger,
            NoFixedDeadline(IMMEDIATELY),
            why_not,
            reason=reason,
            addressee=f"Data owner / covered entity (from BA, {state})",
            party=Party.BUSINESS_ASSOCIATE,
        )
    )
