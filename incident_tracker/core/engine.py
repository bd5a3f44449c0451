"""The deadline engine: facts in, every obligation out, with why-not and not-evaluated lists.

A pure function of the facts (rules.md §0 "Recompute"): no clock, no I/O.
"""

from __future__ import annotations

from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.extra import extra_deadlines
from incident_tracker.core.facts import IncidentFacts
from incident_tracker.core.obligations import NotEvaluated, NotRequired, Obligation, Result
from incident_tracker.core.rules import RULES
from incident_tracker.core.vocabulary import EVALUATED_STATES

_FAR_FUTURE = date.max
_ORDER = {rule.id: i for i, rule in enumerate(RULES)}


def compute(facts: IncidentFacts) -> Result:
    """Evaluate every rule in force on the discovery date, in order."""
    ctx = Context.build(facts)
    obligations: list[Obligation] = []
    not_required: list[NotRequired] = []
    in_force: set[str] = set()
    for rule in RULES:
        if not rule.applies_on(facts.discovered_on):
            continue
        in_force.add(rule.id)
        for outcome in rule.evaluate(ctx):
            if isinstance(outcome, Obligation):
                obligations.append(outcome)
            else:
                not_required.append(outcome)
    for rule in RULES:
        if rule.id not in in_force:
            in_force.add(rule.id)
            not_required.append(
                NotRequired(
                    rule.id,
                    f"{rule.citation} is not in force for this discovery date "
                    f"({facts.discovered_on}); it governs {rule.effective.describe()}",
                    jurisdiction=rule.jurisdiction,
                )
            )
    obligations.extend(extra_deadlines(facts))
    obligations.sort(key=_sort_key)
    return Result(tuple(obligations), tuple(not_required), not_evaluated(facts))


def _sort_key(o: Obligation) -> tuple[date, int, str]:
    return (o.due or _FAR_FUTURE, _ORDER.get(o.rule_id, len(_ORDER)), o.state or "")


def not_evaluated(facts: IncidentFacts) -> tuple[NotEvaluated, ...]:
    """rules.md §0: every other State with affected residents is named, never silently skipped."""
    return tuple(
        NotEvaluated(
            state,
            count,
            f"{state} state breach-notification law is not evaluated by this tracker (it covers "
            f"federal law, NY, NJ and CA); check {state}'s statute for its own deadlines and "
            "recipients",
        )
        for state, count in facts.affected_by_state
        if state not in EVALUATED_STATES
    )


__all__ = ["compute", "not_evaluated"]
