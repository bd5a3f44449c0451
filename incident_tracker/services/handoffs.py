"""Hand-offs between the officer and legal: who is told when a notice moves, and how.

Each hand-off (submitted, re-submitted, comment, changes requested, approved) is written in the
transaction of the move itself: an in-app notification at once, and a reminder-ledger row of kind
"handoff" addressed to that one person, which the dispatcher sends as an e-mail with the ledger's
guarantees (claimed once, retried with backoff, never dropped, recorded as sent). The e-mail
carries no PHI: the incident number, the notice kind, the duty's due date and a link.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import col, select

from incident_tracker.core.notices.kinds import KINDS, NoticeKind
from incident_tracker.core.permissions import Role
from incident_tracker.db.models import Incident, Notice, Notification, Reminder, User
from incident_tracker.services.call import Call

KIND = "handoff"
PREFIX = "rv-"  # reminder offsets of hand-offs; never a step of the deadline ladder
WORDS = {
    "submitted": "submitted for your review",
    "resubmitted": "re-submitted for your review",
    "comment": "new comment",
    "changes": "changes requested",
    "approved": "approved",
}


def subject(number: str, kind_title: str, event: str) -> str:
    """The subject of the in-app notification and of the e-mail: no PHI."""
    return f"[{number}] {kind_title}: {WORDS[event]}"[:300]


def body(number: str, kind_title: str, event: str, due: date | None, link: str) -> str:
    """The e-mail's text: the incident number, the notice kind, the due date and a link only."""
    return "\n".join(
        [
            f"Notice: {kind_title} — {WORDS[event]}",
            f"Incident: {number}",
            f"Due: {due.isoformat() if due else 'no fixed date'}",
            "",
            f"Open the notice: {link}",
            "",
            "This message contains no patient information. Sign in to see the details.",
        ]
    )


def notify(
    call: Call, incident: Incident, notice: Notice, event: str, people: Iterable[int | None]
) -> list[int]:
    """Tell `people` (not the actor) of `event` on `notice`: returns the user ids told. Inactive
    accounts are skipped; one query whatever the number of people."""
    wanted = {p for p in people if p is not None and p != call.actor.user_id}
    if not wanted:
        return []
    active = [
        u.id or 0
        for u in call.session.exec(
            select(User).where(col(User.id).in_(wanted), col(User.is_active).is_(True))
        )
    ]
    title = KINDS[NoticeKind(notice.kind)].title
    text = subject(incident.number, title, event)
    stamp = call.now.strftime("%Y%m%dT%H%M%S%f")
    offset = (PREFIX + event)[:20]
    keys = {user_id: f"{stamp}-{user_id}"[:40] for user_id in active}
    # Two hand-offs of one kind in the same instant (two quick comments) need one e-mail, not a
    # second ledger row on the same key: the in-app notification still records each.
    queued = set(
        call.session.exec(
            select(Reminder.due_for).where(
                Reminder.obligation_id == notice.obligation_id,
                Reminder.offset == offset,
                col(Reminder.due_for).in_(list(keys.values())),
            )
        )
    )
    for user_id in sorted(active):
        call.session.add(
            Notification(
                user_id=user_id,
                incident_id=incident.id,
                subject=text,
                created_at=call.now,
            )
        )
        if keys[user_id] in queued:
            continue
        call.session.add(
            Reminder(
                obligation_id=notice.obligation_id,
                offset=offset,
                due_for=keys[user_id],
                kind=KIND,
                send_at=call.now,
                created_at=call.now,
                recipient_id=user_id,
            )
        )
    if active:
        call.session.flush()
        call.audit(
            "notice.handoff",
            object_type="notice",
            object_id=notice.id,
            new={"event": event, "to": sorted(active)},
        )
    return sorted(active)


def officer_of(incident: Incident, notice: Notice) -> int:
    """Who waits for legal's answer: the submitter, else the incident's owner."""
    return notice.submitted_by or incident.owner_id


def commented(call: Call, incident: Incident, notice: Notice) -> None:
    """A comment or reply: the other side is told (the officer when legal writes, else the
    reviewer, or every legal reviewer when none is assigned). In the comment's transaction."""
    if call.actor.role == Role.LEGAL_REVIEWER or call.actor.user_id == notice.reviewer_id:
        people: list[int | None] = [officer_of(incident, notice)]
    elif notice.reviewer_id is not None:
        people = [notice.reviewer_id]
    else:
        return  # not yet submitted: nobody waits for it
    notify(call, incident, notice, "comment", people)
