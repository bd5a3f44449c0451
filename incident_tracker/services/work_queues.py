"""What waits for whom: "My reviews" (notices in legal review for this reviewer), "Changes
requested" (notices sent back to this officer) and "My duties" (obligations given to this user).

Each list is one query over the incidents the user may see (a restricted incident is not listed
for anyone else), most urgent first by the duty's due date (undated duties last).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from incident_tracker.core import lifecycle
from incident_tracker.core.notices.kinds import KINDS, kind_for_rule
from incident_tracker.core.parsing import whole_number
from incident_tracker.core.permissions import Action, Role, can
from incident_tracker.core.review import LABELS, ReviewState
from incident_tracker.db.models import Incident, Notice, Notification, ObligationRecord, User
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed
from incident_tracker.services.incidents import assignees_of
from incident_tracker.services.register import local_today, visible

LIMIT = 200  # a queue longer than this is a staffing problem, not a page
Reviewer = aliased(User, name="reviewer")  # the notice's named reviewer, if any


@dataclass(frozen=True)
class QueueRow:
    incident_id: int
    number: str
    obligation_id: int
    rule_id: str
    state: str  # the US State of the duty, if any
    title: str  # the notice kind's or the duty's name
    due: date | None
    overdue: bool
    review_label: str
    since: datetime | None  # when the notice last moved
    assigned: bool = True  # False: in review with no reviewer named (any reviewer may take it)
    next_action: str = ""
    # The named reviewer can no longer review (deactivated, or no longer a legal reviewer): the
    # notice is unassigned in effect, and any reviewer may take it.
    reviewer_gone: str = ""  # why: "deactivated", or "no longer a legal reviewer"


def _title(record: ObligationRecord) -> str:
    kind = kind_for_rule(record.rule_id)
    return KINDS[kind].title if kind else record.rule_id


def _due_order() -> tuple[Any, Any]:
    """Dated duties first, soonest first; undated ones last (the same on both backends)."""
    return col(ObligationRecord.due).is_(None), col(ObligationRecord.due)


def _gone(reviewer: User | None) -> str:
    """Why the notice's named reviewer can no longer review it, or ""."""
    if reviewer is None:
        return ""
    if not reviewer.is_active:
        return "deactivated"
    return "" if reviewer.role == Role.LEGAL_REVIEWER.value else "no longer a legal reviewer"


def _notices(call: Call, state: ReviewState, mine: ColumnElement[bool]) -> list[QueueRow]:
    today = local_today(call)
    rows = call.session.exec(
        select(Notice, ObligationRecord, Incident, Reviewer)
        .join(ObligationRecord, col(ObligationRecord.id) == Notice.obligation_id)
        .join(Incident, col(Incident.id) == Notice.incident_id)
        .outerjoin(Reviewer, col(Reviewer.id) == Notice.reviewer_id)
        .where(
            col(Notice.state) == state.value,
            col(ObligationRecord.live).is_(True),
            col(Incident.status).in_(lifecycle.OPEN_STATUSES),
            visible(call),
            mine,
        )
        .order_by(*_due_order(), col(Notice.updated_at), col(Notice.id))
        .limit(LIMIT)
    ).all()
    return [
        QueueRow(
            incident.id or 0,
            incident.number,
            record.id or 0,
            record.rule_id,
            record.state,
            _title(record),
            record.due,
            record.due is not None and record.due < today,
            LABELS[ReviewState(notice.state)],
            notice.updated_at,
            notice.reviewer_id is not None and not _gone(reviewer),
            reviewer_gone=_gone(reviewer),
        )
        for notice, record, incident, reviewer in rows
    ]


def my_reviews(call: Call) -> list[QueueRow]:
    """Notices in legal review waiting for this reviewer, those with no reviewer named, and
    those whose reviewer can no longer review (deactivated, or moved to another role): without
    these, a departed reviewer's notices would wait in nobody's list."""
    call.require(Action.APPROVE_NOTICE)
    me = call.actor.user_id
    gone = or_(col(Reviewer.is_active).is_(False), col(Reviewer.role) != Role.LEGAL_REVIEWER.value)
    return _notices(
        call,
        ReviewState.IN_REVIEW,
        or_(col(Notice.reviewer_id) == me, col(Notice.reviewer_id).is_(None), gone),
    )


def changes_requested(call: Call) -> list[QueueRow]:
    """Notices legal sent back to this officer (the submitter, else the incident's owner)."""
    call.require(Action.EDIT_NOTICE)
    me = call.actor.user_id
    return _notices(
        call,
        ReviewState.CHANGES_REQUESTED,
        or_(
            col(Notice.submitted_by) == me,
            col(Notice.submitted_by).is_(None) & (col(Incident.owner_id) == me),
        ),
    )


NEXT = {
    None: "Draft the notice",
    ReviewState.DRAFT.value: "Finish the draft and submit it for legal review",
    ReviewState.IN_REVIEW.value: "Waiting for legal review",
    ReviewState.CHANGES_REQUESTED.value: "Make the requested changes and re-submit",
    ReviewState.APPROVED.value: "Send the approved notice and record it as sent",
}


def my_duties(call: Call) -> list[QueueRow]:
    """Open duties given to this user, most urgent first, with what to do next."""
    me = call.actor.user_id
    if me is None:
        raise NotFound("no such list")
    today = local_today(call)
    rows = call.session.exec(
        select(ObligationRecord, Incident, Notice)
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .outerjoin(Notice, col(Notice.obligation_id) == ObligationRecord.id)
        .where(
            col(ObligationRecord.assignee_id) == me,
            col(ObligationRecord.live).is_(True),
            col(ObligationRecord.done_on).is_(None),
            col(Incident.status).in_(lifecycle.OPEN_STATUSES),
            visible(call),
        )
        .order_by(*_due_order(), col(ObligationRecord.id))
        .limit(LIMIT)
    ).all()
    out = []
    for record, incident, notice in rows:
        kind = kind_for_rule(record.rule_id)
        state = notice.state if notice is not None else None
        out.append(
            QueueRow(
                incident.id or 0,
                incident.number,
                record.id or 0,
                record.rule_id,
                record.state,
                KINDS[kind].title if kind else record.rule_id,
                record.due,
                record.due is not None and record.due < today,
                LABELS[ReviewState(state)] if state else ("Not drafted" if kind else ""),
                notice.updated_at if notice is not None else None,
                next_action=NEXT.get(state, "") if kind else "Do it and record it as done",
            )
        )
    return out


def assignable(call: Call, incident: Incident) -> list[User]:
    """Who a duty of this incident may be given to: active privacy officers and legal
    reviewers who may see it (a restricted incident: its owner and assignees only)."""
    team = {incident.owner_id, *assignees_of(call, incident)}
    roles = (Role.PRIVACY_OFFICER.value, Role.LEGAL_REVIEWER.value)
    people = call.session.exec(
        select(User)
        .where(col(User.is_active).is_(True), col(User.role).in_(roles))
        .order_by(col(User.display_name), col(User.email))
    ).all()
    return [u for u in people if not incident.restricted or u.id in team]


def assign(call: Call, incident: Incident, obligation_id: int, raw: str) -> User | None:
    """Give one duty of `incident` to someone (blank: to nobody). The new assignee is told in
    the app; the duty's reminders go to them from now on. Audited."""
    call.require(Action.EDIT_INCIDENT)
    record = call.session.get(ObligationRecord, obligation_id)
    if record is None or record.incident_id != incident.id:
        raise NotFound("no such obligation")
    person: User | None = None
    if raw.strip():
        chosen = whole_number(raw.strip())
        person = next((u for u in assignable(call, incident) if u.id == chosen), None)
        if person is None or not can(person.role, Action.VIEW_INCIDENT):
            raise ValidationFailed(
                {"assignee": "choose an active privacy officer or legal reviewer who can see it"}
            )
    before = record.assignee_id
    record.assignee_id = person.id if person else None
    call.session.add(record)
    call.session.flush()
    call.audit(
        "obligation.assign",
        object_type="obligation",
        object_id=record.id,
        old={"assignee_id": before},
        new={"assignee_id": record.assignee_id},
    )
    if person is not None and person.id != call.actor.user_id and person.id != before:
        call.session.add(
            Notification(
                user_id=person.id or 0,
                incident_id=incident.id,
                subject=f"[{incident.number}] duty {record.rule_id} assigned to you"[:300],
                created_at=call.now,
            )
        )
    return person
