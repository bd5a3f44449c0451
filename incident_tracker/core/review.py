"""The legal review of a notice as data: states, the events that move it and who may cause each.

draft -> in_review -> changes_requested -> approved -> sent. Every text change is
an EDIT event: it keeps the state while the notice is being worked on, and sends an approved
notice back to draft, because the new version needs approval again. A sent notice is the record
of what went out (45 CFR 164.530(j)): its text never changes; only withdrawing a mistaken
record-sent entry (UNDO_SENT, audited) takes it back to approved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from incident_tracker.core.permissions import Action, Role, can


class ReviewState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SENT = "sent"


class Event(StrEnum):
    EDIT = "edit"  # a new version of the text (typed or regenerated)
    SUBMIT = "submit"  # ask legal to review
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    MARK_SENT = "mark_sent"
    UNDO_SENT = "undo_sent"  # the record-sent entry was a mistake and is withdrawn


@dataclass(frozen=True, slots=True)
class Transition:
    event: Event
    source: ReviewState
    target: ReviewState
    action: Action  # the permission (core.permissions) the actor needs


S = ReviewState
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Event.EDIT, S.DRAFT, S.DRAFT, Action.EDIT_NOTICE),
    Transition(Event.EDIT, S.IN_REVIEW, S.IN_REVIEW, Action.EDIT_NOTICE),
    Transition(Event.EDIT, S.CHANGES_REQUESTED, S.CHANGES_REQUESTED, Action.EDIT_NOTICE),
    Transition(Event.EDIT, S.APPROVED, S.DRAFT, Action.EDIT_NOTICE),
    Transition(Event.SUBMIT, S.DRAFT, S.IN_REVIEW, Action.EDIT_NOTICE),
    Transition(Event.SUBMIT, S.CHANGES_REQUESTED, S.IN_REVIEW, Action.EDIT_NOTICE),
    Transition(Event.REQUEST_CHANGES, S.IN_REVIEW, S.CHANGES_REQUESTED, Action.APPROVE_NOTICE),
    Transition(Event.APPROVE, S.IN_REVIEW, S.APPROVED, Action.APPROVE_NOTICE),
    Transition(Event.MARK_SENT, S.APPROVED, S.SENT, Action.RECORD_SENT),
    Transition(Event.UNDO_SENT, S.SENT, S.APPROVED, Action.RECORD_SENT),
)
_BY_KEY: Mapping[tuple[Event, ReviewState], Transition] = {
    (t.event, t.source): t for t in TRANSITIONS
}

VERBS: Mapping[Event, str] = {
    Event.EDIT: "edited",
    Event.SUBMIT: "submitted for review",
    Event.REQUEST_CHANGES: "sent back for changes",
    Event.APPROVE: "approved",
    Event.MARK_SENT: "recorded as sent",
    Event.UNDO_SENT: "taken back from sent",
}
LABELS: Mapping[ReviewState, str] = {
    S.DRAFT: "Draft",
    S.IN_REVIEW: "In legal review",
    S.CHANGES_REQUESTED: "Changes requested",
    S.APPROVED: "Approved",
    S.SENT: "Sent",
}


def transition(state: ReviewState | str, event: Event) -> Transition | None:
    """The transition `event` causes from `state`, or None when the workflow does not allow it."""
    return _BY_KEY.get((event, ReviewState(state)))


def refusal(state: ReviewState | str, event: Event) -> str:
    """Why the workflow refuses `event` now, in words."""
    return f"a notice that is {LABELS[ReviewState(state)].lower()} cannot be {VERBS[event]}"


def allowed(role: Role | str | None, state: ReviewState | str, event: Event) -> bool:
    found = transition(state, event)
    return found is not None and can(role, found.action)


def events_for(role: Role | str | None, state: ReviewState | str) -> list[Event]:
    """The buttons to show: events the workflow allows now and the role may cause."""
    return [e for e in Event if allowed(role, state, e)]


def self_approval_refusal() -> str:
    """Why the editor of a version may not approve it, in words (the disabled button says it)."""
    return (
        "you wrote this version, and the organisation profile asks another legal reviewer to "
        "approve it; an administrator can allow the editor to approve with an attestation "
        "(organisation profile, notice review)"
    )


def approval_problems(
    *,
    approver_id: int | None,
    last_editor_id: int | None,
    approver_may_be_editor: bool,
    missing: Sequence[str],
    override: bool,
    reason: str,
    attested: bool = False,
) -> dict[str, str]:
    """Why an approval must be refused, by form field; empty when it may go ahead.

    The approver is not the last editor unless the organisation allows it (four eyes), and then
    only with their attestation; a notice missing a required element is approved only with a
    written override reason.
    """
    problems: dict[str, str] = {}
    wrote_it = approver_id is not None and approver_id == last_editor_id
    if wrote_it and not approver_may_be_editor:
        problems["approve"] = self_approval_refusal()
    elif wrote_it and not attested:
        problems["attest"] = "you wrote this version: tick the attestation to approve it yourself"
    if missing:
        if not override:
            problems["override"] = (
                f"{len(missing)} required element(s) missing; tick override and give a reason "
                "to approve anyway"
            )
        elif not reason.strip():
            problems["reason"] = "write why the notice may go without the missing element(s)"
    return problems
