"""Every jurisdiction the tracker evaluates, one line each, and the lists derived from them.

Adding a jurisdiction is one folder exporting a `Jurisdiction` and one line in `JURISDICTIONS`;
the rules, parameters, evaluated States, done feeds and notice kinds' rules follow. The order is
the evaluation order: federal first, whose dates (the HIPAA letter, the HHS report) anchor the
States'. The other U.S. jurisdictions are read from core/states (one module each over the
project's states.json) through its public entry points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from incident_tracker.core.jurisdictions import california, federal, new_jersey, new_york
from incident_tracker.core.jurisdictions.model import Jurisdiction, NoticeKindSpec
from incident_tracker.core.parameters import Parameter
from incident_tracker.core.rules.base import Rule

if TYPE_CHECKING:
    from incident_tracker.core.assessment.questions import Step
    from incident_tracker.core.risk import StateRisk
    from incident_tracker.core.states.model import Jurisdiction as StateJurisdiction

JURISDICTIONS: tuple[Jurisdiction, ...] = (
    federal.JURISDICTION,
    new_york.JURISDICTION,
    new_jersey.JURISDICTION,
    california.JURISDICTION,
)


@dataclass(frozen=True, slots=True)
class Derived:
    """The lists a tuple of jurisdictions gives (the constants below are those of
    `JURISDICTIONS`; a test derives them for a jurisdiction it adds)."""

    by_code: dict[str, Jurisdiction]
    rules: tuple[Rule, ...]
    parameters: tuple[Parameter, ...]
    # States whose own breach laws these rule sets evaluate (docs/law/conventions.md, last row).
    evaluated_states: frozenset[str]
    # An obligation recorded as done feeds the engine as the date that notice was sent:
    # {rule id: notices_sent key} (docs/law/conventions.md).
    done_feeds: dict[str, str]
    # Every notice kind the jurisdictions' own laws call for, in registry order
    # (core/notices/kinds.py makes each a `NoticeKind`).
    notice_kinds: tuple[NoticeKindSpec, ...]


def derive(jurisdictions: tuple[Jurisdiction, ...]) -> Derived:
    return Derived(
        by_code={j.code: j for j in jurisdictions},
        rules=tuple(r for j in jurisdictions for r in j.rules),
        parameters=tuple(p for j in jurisdictions for p in j.parameters),
        evaluated_states=frozenset(j.code for j in jurisdictions if j.state),
        done_feeds={rule: key for j in jurisdictions for rule, key in j.done_feeds},
        notice_kinds=tuple(k for j in jurisdictions for k in j.notice_kinds),
    )


_DERIVED = derive(JURISDICTIONS)
BY_CODE: dict[str, Jurisdiction] = _DERIVED.by_code
RULES: tuple[Rule, ...] = _DERIVED.rules
PARAMETERS: tuple[Parameter, ...] = _DERIVED.parameters
EVALUATED_STATES: frozenset[str] = _DERIVED.evaluated_states
DONE_FEEDS: dict[str, str] = _DERIVED.done_feeds
NOTICE_KINDS: tuple[NoticeKindSpec, ...] = _DERIVED.notice_kinds


def codes() -> tuple[str, ...]:
    """The jurisdictions with rule sets of their own here, as obligations name them (the
    register's jurisdiction filter)."""
    return tuple(j.code for j in JURISDICTIONS)


def in_words(federal: str) -> str:
    """The jurisdictions with rule sets here in words, federal law (the first) called `federal`:
    "Federal, New York, New Jersey and California" (pages and the rule catalogue)."""
    words = [federal, *(j.name for j in JURISDICTIONS[1:])]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def notice_rule_ids(kind: str) -> tuple[str, ...]:
    """The rules whose duty a notice of `kind` discharges, in evaluation order."""
    return tuple(r for j in JURISDICTIONS for k, rules in j.notices if k == kind for r in rules)


def met_by_hipaa_letter(rule_id: str, citation: str) -> bool:
    """Whether the duty of `rule_id`, in the version cited, is met by the HIPAA letter itself
    (N.Y. Gen. Bus. Law § 899-aa(2)(b) for a HIPAA covered entity)."""
    return any(
        rule_id == rule and fragment in citation
        for j in JURISDICTIONS
        for rule, fragment in j.met_by_hipaa_letter
    )


def in_force(day: date) -> tuple[Parameter, ...]:
    """Every parameter value that governs incidents discovered on `day`."""
    return tuple(p for p in PARAMETERS if p.in_force_on(day))


def value(name: str, day: date) -> int | None:
    """The value of `name` for an incident discovered on `day`; KeyError when none is in force."""
    for p in PARAMETERS:
        if p.name == name and p.in_force_on(day):
            return p.value
    raise KeyError(f"{name} has no value in force on {day}")


@cache
def other_jurisdictions() -> dict[str, StateJurisdiction]:
    """The other U.S. jurisdictions by code (core/states' registry of states.json entries)."""
    from incident_tracker.core.states import JURISDICTIONS as STATES

    return dict(STATES)


def every_code() -> frozenset[str]:
    """Every State or territory whose own law some rule set evaluates."""
    return EVALUATED_STATES | other_jurisdictions().keys()


def assessment_steps() -> tuple[Step, ...]:
    """The jurisdictions' own questions of the assessment walk, in registry order, after the
    HIPAA conclusion (core/assessment/steps.py)."""
    return tuple(s for j in JURISDICTIONS if j.assessment for s in j.assessment())


def state_risks() -> tuple[StateRisk, ...]:
    """The jurisdictions' parts of the assessment's conclusion, in registry order
    (core/risk.py)."""
    return tuple(j.risk() for j in JURISDICTIONS if j.risk)
