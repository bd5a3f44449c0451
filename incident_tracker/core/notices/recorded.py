"""Answers the filings and letters take from what is already recorded, where the notice details
leave them blank (an answer typed in the notice details always wins).

The incident records the OCR portal's answers (core/portal.py: type of breach, location,
safeguards, corrective actions, the breach's last day); the organisation profile the covered-entity
type; the signed risk assessment the mitigation (factor (iv), 45 CFR 164.402(2)(iv)) and New York's
written determination (N.Y. Gen. Bus. Law § 899-aa(2)(a)). A change to any of them changes what a
notice prints, so a drafted notice is flagged stale and offered a Redraft (core/notices/printed.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from incident_tracker.core import portal
from incident_tracker.core.assessment.steps import FACTOR_IV
from incident_tracker.core.notices.context import join_words
from incident_tracker.core.notices.details import NoticeDetails, clean_text

# The factor (iv) answers that are not a step taken.
_NOT_A_STEP = frozenset({"none", "other"})


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the incident, the profile and the signed assessment record for the notices."""

    breach_type: str | None = None  # the portal's label
    location: str | None = None  # the portal's label, or "Other: ..."
    covered_entity_type: str | None = None  # the portal's label
    breach_end: date | None = None
    safeguards: Sequence[str] = ()  # core.portal.SAFEGUARDS codes
    corrective_actions: Sequence[str] = ()  # core.portal.CORRECTIVE_ACTIONS codes
    assessment: Mapping[str, object] | None = None  # the signed assessment's answers


def _mitigation(answers: Mapping[str, object]) -> list[str]:
    chosen = answers.get("fiv_steps")
    if not isinstance(chosen, list):
        return []
    q = FACTOR_IV.question("fiv_steps")
    return [f"{q.label_of(str(v))}." for v in chosen if str(v) not in _NOT_A_STEP]


def _actions(codes: Sequence[str]) -> str | None:
    labels = [portal.label(portal.CORRECTIVE_ACTIONS, c) for c in codes if c != "other"]
    if not labels:
        return None
    return "We have " + join_words([x[0].lower() + x[1:] for x in labels]) + "."


def what_we_are_doing(r: Recorded) -> str | None:
    """The mitigation the assessment records and the corrective actions on the incident."""
    parts = _mitigation(r.assessment or {})
    actions = _actions(r.corrective_actions)
    if actions:
        parts.append(actions)
    return " ".join(parts) or None


def determination_basis(r: Recorded) -> str | None:
    text = (r.assessment or {}).get("ny_determination_text")
    return (clean_text(text) or None) if isinstance(text, str) else None


def with_recorded(details: NoticeDetails, r: Recorded) -> NoticeDetails:
    """`details` with every blank the record answers filled in."""
    safeguards = tuple(portal.label(portal.SAFEGUARDS, s) for s in r.safeguards)
    return replace(
        details,
        breach_type=details.breach_type or r.breach_type,
        breach_location=details.breach_location or r.location,
        covered_entity_type=details.covered_entity_type or r.covered_entity_type,
        breach_end_date=details.breach_end_date or r.breach_end,
        safeguards=details.safeguards or safeguards,
        what_we_are_doing=details.what_we_are_doing or what_we_are_doing(r),
        determination_basis=details.determination_basis or determination_basis(r),
    )
