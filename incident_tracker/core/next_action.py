"""What an incident needs next: its soonest open duty and the step that duty is waiting for.

One definition for every page that shows a next step (the deadline board, the incident page).
Until the risk assessment is done the step is "assess": 45 CFR 164.402(2) presumes a breach, so
the duties stand, but whether they are owed at all is what the assessment decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Step(StrEnum):
    ASSESS = "assess"
    DRAFT = "draft"
    SEND_FOR_REVIEW = "send_for_review"
    APPROVE = "approve"
    RECORD_SENT = "record_sent"


STEP_WORDS: dict[Step, str] = {
    Step.ASSESS: "complete and sign the risk assessment",
    Step.DRAFT: "draft the notice",
    Step.SEND_FOR_REVIEW: "send the notice for legal review",
    Step.APPROVE: "legal review: approve the notice",
    Step.RECORD_SENT: "record the notice as sent",
}

# The review states of core.review that a notice may be in, and the step each waits for.
_BY_REVIEW_STATE: dict[str | None, Step] = {
    None: Step.DRAFT,
    "draft": Step.SEND_FOR_REVIEW,
    "changes_requested": Step.SEND_FOR_REVIEW,
    "in_review": Step.APPROVE,
    "approved": Step.RECORD_SENT,
    "sent": Step.RECORD_SENT,
}


@dataclass(frozen=True, slots=True)
class OpenDuty:
    """One open legal duty of an incident and where its notice stands (None: no notice yet)."""

    obligation_id: int
    rule_id: str
    state: str
    party: str
    recipient: str
    due: date | None
    notice_state: str | None


@dataclass(frozen=True, slots=True)
class NextAction:
    duty: OpenDuty
    step: Step

    @property
    def words(self) -> str:
        return STEP_WORDS[self.step]


def step_for(assessed: bool, notice_state: str | None) -> Step:
    """The step one open duty waits for."""
    if not assessed:
        return Step.ASSESS
    return _BY_REVIEW_STATE.get(notice_state, Step.DRAFT)


def next_action(assessed: bool, duties: Iterable[OpenDuty]) -> NextAction | None:
    """The soonest open duty (dated before undated, then by id) and its step; None when no
    legal duty is open."""
    ordered = sorted(duties, key=lambda d: (d.due is None, d.due or date.min, d.obligation_id))
    if not ordered:
        return None
    return NextAction(ordered[0], step_for(assessed, ordered[0].notice_state))


def party_words(party: str) -> str:
    """Whose duty it is, in words: the business associate's own duty to tell the covered entity
    (164.410) or a covered entity's duty (164.404-408 and the State laws); a business
    associate's incident names the client covered entity."""
    if party == "business_associate":
        return "business associate's duty"
    if party in ("", "covered_entity"):
        return "covered entity's duty"
    return f"covered entity's duty ({party})"
