"""The notice review workflow as data: draft -> in review -> changes requested
-> approved -> sent; which role may cause each move; the approval refusals."""

from __future__ import annotations

import pytest

from incident_tracker.core.review import (
    TRANSITIONS,
    Event,
    ReviewState,
    allowed,
    approval_problems,
    events_for,
    refusal,
    transition,
)

D, R, C, A, S = (
    ReviewState.DRAFT,
    ReviewState.IN_REVIEW,
    ReviewState.CHANGES_REQUESTED,
    ReviewState.APPROVED,
    ReviewState.SENT,
)

# Every (event, from) -> to the workflow allows, written out by hand.
EXPECTED = {
    (Event.EDIT, D): D,
    (Event.EDIT, R): R,
    (Event.EDIT, C): C,
    (Event.EDIT, A): D,  # an edit after approval needs approval again
    (Event.SUBMIT, D): R,
    (Event.SUBMIT, C): R,
    (Event.REQUEST_CHANGES, R): C,
    (Event.APPROVE, R): A,
    (Event.MARK_SENT, A): S,
    (Event.UNDO_SENT, S): A,  # a mistaken record-sent entry withdrawn
}


@pytest.mark.parametrize("event", list(Event))
@pytest.mark.parametrize("state", list(ReviewState))
def test_each_event_moves_exactly_as_the_table_says(event: Event, state: ReviewState) -> None:
    found = transition(state, event)
    assert (found.target if found else None) == EXPECTED.get((event, state))


def test_a_sent_notice_is_never_edited() -> None:
    """The sent notice is the record of what went out (45 CFR 164.530(j)): no edit, and its only
    move is back to approved when the record-sent entry itself is withdrawn."""
    assert [e for e in Event if transition(S, e)] == [Event.UNDO_SENT]
    assert refusal(S, Event.EDIT) == "a notice that is sent cannot be edited"


def test_no_duplicate_transitions() -> None:
    keys = [(t.event, t.source) for t in TRANSITIONS]
    assert len(keys) == len(set(keys)) == len(EXPECTED)


# The buttons each role sees in each state.
BUTTONS = {
    ("privacy_officer", D): [Event.EDIT, Event.SUBMIT],
    ("privacy_officer", R): [Event.EDIT],
    ("privacy_officer", C): [Event.EDIT, Event.SUBMIT],
    ("privacy_officer", A): [Event.EDIT, Event.MARK_SENT],
    ("privacy_officer", S): [Event.UNDO_SENT],
    ("legal_reviewer", D): [Event.EDIT, Event.SUBMIT],
    ("legal_reviewer", R): [Event.EDIT, Event.REQUEST_CHANGES, Event.APPROVE],
    ("legal_reviewer", C): [Event.EDIT, Event.SUBMIT],
    ("legal_reviewer", A): [Event.EDIT],
    ("legal_reviewer", S): [],
}


@pytest.mark.parametrize(("role", "state"), list(BUTTONS))
def test_who_may_do_what_in_each_state(role: str, state: ReviewState) -> None:
    """Legal reviewers approve and request changes; privacy officers record what was sent
    (core.permissions: APPROVE_NOTICE, RECORD_SENT); both edit and submit (EDIT_NOTICE)."""
    assert events_for(role, state) == BUTTONS[(role, state)]


@pytest.mark.parametrize("role", ["admin", "read_only", None, "nobody"])
def test_admins_readers_and_unknown_roles_move_nothing(role: str | None) -> None:
    assert all(not allowed(role, s, e) for s in ReviewState for e in Event)


def test_the_last_editor_may_not_approve_unless_allowed() -> None:
    same = dict(approver_id=7, last_editor_id=7, missing=[], override=False, reason="")
    assert list(approval_problems(approver_may_be_editor=False, **same)) == ["approve"]  # type: ignore[arg-type]
    assert approval_problems(approver_may_be_editor=False, attested=True, **same) != {}  # type: ignore[arg-type]
    assert approval_problems(approver_may_be_editor=True, attested=True, **same) == {}  # type: ignore[arg-type]
    other = dict(approver_id=8, last_editor_id=7, missing=[], override=False, reason="")
    assert approval_problems(approver_may_be_editor=False, **other) == {}  # type: ignore[arg-type]


def test_an_allowed_editor_approves_only_with_the_attestation() -> None:
    """One-lawyer organisations: the profile allows it, and the editor attests in words."""
    same = dict(approver_id=7, last_editor_id=7, missing=[], override=False, reason="")
    assert list(approval_problems(approver_may_be_editor=True, **same)) == ["attest"]  # type: ignore[arg-type]
    refused = approval_problems(approver_may_be_editor=False, **same)  # type: ignore[arg-type]
    assert "organisation profile" in refused["approve"]
    assert "NOTICE_APPROVER_MAY_BE_EDITOR" not in refused["approve"]


def test_a_missing_element_needs_an_override_and_a_reason() -> None:
    def problems(override: bool, reason: str) -> dict[str, str]:
        return approval_problems(
            approver_id=8,
            last_editor_id=7,
            approver_may_be_editor=False,
            missing=["the date of the breach (45 CFR 164.404(c)(1)(A))"],
            override=override,
            reason=reason,
        )

    assert list(problems(False, "")) == ["override"]
    assert list(problems(False, "a reason without the tick")) == ["override"]
    assert list(problems(True, "   ")) == ["reason"]
    assert problems(True, "Date unknown; OCR guidance allows notice without it") == {}
