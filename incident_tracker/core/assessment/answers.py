"""What a walk knows: the officer's answers (flat, JSON-ready) and the incident's situation.

Answers are keyed by question; a multiple-choice answer is a list. The situation comes from the
incident's recorded facts (the incident JSON format (README.md, Calculator)), so the walk shows a
State's step only where that State's
law can apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from incident_tracker.core.context import Context
from incident_tracker.core.facts import EntityType, IncidentFacts, Medium
from incident_tracker.core.jurisdictions.new_jersey import rules as new_jersey
from incident_tracker.core.jurisdictions.new_york import scope as new_york
from incident_tracker.core.jurisdictions.registry import EVALUATED_STATES
from incident_tracker.core.vocabulary import CA_MEDICAL_INFORMATION

Answers = Mapping[str, object]


def one(answers: Answers, key: str) -> str:
    """A single answer as text ('' when unanswered)."""
    value = answers.get(key)
    return value.strip() if isinstance(value, str) else ""


def many(answers: Answers, key: str) -> tuple[str, ...]:
    """A multiple-choice answer as a tuple (empty when unanswered)."""
    value = answers.get(key)
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (value,) if isinstance(value, str) and value else ()


@dataclass(frozen=True, slots=True)
class Situation:
    """The incident facts the walk turns on; the answers never change these."""

    electronic: bool
    # Affected residents of each State whose own law a folder here evaluates, by code.
    residents: Mapping[str, int] = field(default_factory=dict)
    # N.Y. Gen. Bus. Law § 899-aa(1)(b) private information present (docs/law/new-york.md).
    ny_private_information: bool = False
    # N.J.S.A. 56:8-161 personal information present (docs/law/new-jersey.md).
    nj_personal_information: bool = False
    # A CDPH-licensed clinic, facility, home health agency or hospice whose patients' medical
    # information was involved, reporting for itself (H&S 1280.15; 22 CCR 79902(a);
    # docs/law/california.md).
    cdph_facility: bool = False
    data_elements: frozenset[str] = frozenset()

    def residents_of(self, code: str) -> int:
        return self.residents.get(code, 0)


def situation_of(facts: IncidentFacts) -> Situation:
    ctx = Context.build(facts)
    return Situation(
        electronic=facts.medium is Medium.ELECTRONIC,
        residents={code: facts.residents(code) for code in sorted(EVALUATED_STATES)},
        ny_private_information=bool(new_york.private_information(ctx)[0]),
        nj_personal_information=bool(new_jersey.personal_information(ctx)),
        cdph_facility=facts.ca_licensed_health_facility
        and facts.entity_type is not EntityType.BUSINESS_ASSOCIATE
        and bool(facts.data_elements & CA_MEDICAL_INFORMATION),
        data_elements=facts.data_elements,
    )
