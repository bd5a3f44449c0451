"""The deadline engine: facts in, every obligation out, with why-not and not-evaluated lists.

A pure function of the facts (docs/law/conventions.md "Recompute"): no clock, no I/O.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from incident_tracker.core.context import Context
from incident_tracker.core.extra import extra_deadlines
from incident_tracker.core.facts import EntityType, IncidentFacts
from incident_tracker.core.jurisdictions.registry import RULES, every_code
from incident_tracker.core.obligations import NotEvaluated, NotRequired, Obligation, Result
from incident_tracker.core.rules.base import Rule
from incident_tracker.core.states import evaluate_states

_FAR_FUTURE = date.max
_ORDER = {rule.id: i for i, rule in enumerate(RULES)}


def compute(facts: IncidentFacts) -> Result:
    """Evaluate every rule in force on the discovery date, in order."""
    if facts.ce_clients and facts.entity_type is EntityType.BUSINESS_ASSOCIATE:
        return _for_each_client(facts)
    obligations, not_required, warnings = _evaluate(facts, None)
    obligations.extend(extra_deadlines(facts))
    obligations.sort(key=_sort_key)
    return Result(tuple(obligations), tuple(not_required), not_evaluated(facts), warnings)


def _for_each_client(facts: IncidentFacts) -> Result:
    """A business associate serving several covered entities: each client's covered-entity
    duties run from its own date (164.404(a)(2)) and name it as `party`; the business associate's
    own duties and records are owed once."""
    obligations: list[Obligation] = []
    not_required: list[NotRequired] = []
    warnings: list[str] = []
    for i, (client, told) in enumerate(facts.ce_clients):
        owed, not_owed, warned = _evaluate(replace(facts, ce_notified_by_ba_on=told), client)
        obligations += [o for o in owed if o.party == client or i == 0]
        not_required += [n for n in not_owed if n not in not_required]
        warnings += [w for w in warned if w not in warnings]
    obligations.extend(extra_deadlines(facts))
    obligations.sort(key=_sort_key)
    return Result(tuple(obligations), tuple(not_required), not_evaluated(facts), tuple(warnings))


def _evaluate(
    facts: IncidentFacts, client: str | None
) -> tuple[list[Obligation], list[NotRequired], tuple[str, ...]]:
    ctx = Context.build(facts, client)
    obligations: list[Obligation] = []
    not_required: list[NotRequired] = []
    in_force, not_in_force = _rules_for(_era(facts.discovered_on))
    for rule in in_force:
        for outcome in rule.evaluate(ctx):
            if type(outcome) is Obligation:
                obligations.append(outcome)
            else:
                not_required.append(outcome)  # type: ignore[arg-type]
    # The other 51 U.S. jurisdictions, after the federal rules whose HIPAA letter they lean on.
    for outcome in evaluate_states(ctx):
        if type(outcome) is Obligation:
            obligations.append(outcome)
        else:
            not_required.append(outcome)  # type: ignore[arg-type]
    if not_in_force:
        day = facts.discovered_on.isoformat()
        for rule_id, before, after, jurisdiction in not_in_force:
            not_required.append(NotRequired(rule_id, before + day + after, None, jurisdiction))
    return obligations, not_required, ctx.warnings


# Dates on which some rule version starts or stops: between two of them the rule set is constant.
_BOUNDARIES = sorted(
    {r.effective.start for r in RULES if r.effective.start}
    | {r.effective.end + timedelta(days=1) for r in RULES if r.effective.end}
)


def _era(discovered_on: date) -> date:
    """The first day of the period of constant rules that contains the discovery date."""
    i = bisect_right(_BOUNDARIES, discovered_on)
    return _BOUNDARIES[i - 1] if i else date.min


# A rule with no version in force: (rule id, its why-not before and after the discovery date,
# jurisdiction); the words are the rule's own, so they are written once per period.
NotInForce = tuple[str, str, str, str]


@cache
def _rules_for(era: date) -> tuple[tuple[Rule, ...], tuple[NotInForce, ...]]:
    """(versions in force, one version of each rule id with none in force)."""
    in_force = tuple(r for r in RULES if r.applies_on(era))
    ids = {r.id for r in in_force}
    missing: dict[str, Rule] = {}
    for r in RULES:
        if r.id not in ids:
            missing.setdefault(r.id, r)
    return in_force, tuple(
        (
            r.id,
            f"{r.citation} is not in force for this discovery date (",
            f"); it governs {r.effective.describe()}",
            r.jurisdiction,
        )
        for r in missing.values()
    )


def _sort_key(o: Obligation) -> tuple[date, int, str]:
    """Clients' copies of one duty keep their input order (the sort is stable)."""
    return (o.due or _FAR_FUTURE, _ORDER.get(o.rule_id, len(_ORDER)), o.state or "")


_EVALUATED = every_code()


def not_evaluated(facts: IncidentFacts) -> tuple[NotEvaluated, ...]:
    """Every place with affected residents whose law no rule set covers (American Samoa, the
    Northern Mariana Islands, and every country outside the U.S.) is named, never silently
    skipped."""
    domestic = tuple(
        NotEvaluated(
            state,
            count,
            f"{state} breach-notification law is not evaluated by this tracker (it covers "
            "federal law, the 50 States, DC, Puerto Rico, Guam and the U.S. Virgin Islands); "
            f"check {state}'s own law for deadlines and recipients",
        )
        for state, count in facts.affected_by_state
        if state not in _EVALUATED
    )
    if not facts.affected_outside_us:
        return domestic
    return domestic + tuple(
        NotEvaluated(
            f"outside the U.S. ({country})",
            count,
            f"not evaluated — outside the U.S. ({country}): this tracker covers U.S. federal law "
            f"and the U.S. States and territories; check {country}'s own law for deadlines and "
            "recipients (these people still count in the total affected for HIPAA)",
        )
        for country, count in facts.affected_outside_us
    )


__all__ = ["compute", "not_evaluated"]
