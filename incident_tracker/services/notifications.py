"""In-app notifications, the outbox of sent reminder e-mails and the warning
about reminders that keep failing (item 4). Each list runs a constant number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, update
from sqlmodel import col, func, select

from incident_tracker.core.permissions import Action, can
from incident_tracker.db.models import (
    Incident,
    Notification,
    ObligationRecord,
    Reminder,
    SentEmail,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound
from incident_tracker.services.register import visible

PAGE_SIZE = 25
OUTBOX_PAGE_SIZE = 25
FAILURE_THRESHOLD = 3  # failed attempts before the home page warns
_CLASS_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,99}")


def _own(call: Call) -> int:
    """Notifications are personal: a call without a user has none."""
    if call.actor.user_id is None:
        raise NotFound("no such notification")
    return call.actor.user_id


@dataclass(frozen=True)
class NotificationRow:
    id: int
    subject: str
    incident_id: int | None
    created_at: datetime
    read_at: datetime | None


def page(call: Call, number: int) -> tuple[list[NotificationRow], int]:
    """The signed-in user's notifications, newest first: one count and one page query."""
    user_id = _own(call)
    total = int(
        call.session.exec(
            select(func.count()).select_from(Notification).where(Notification.user_id == user_id)
        ).one()
    )
    rows = call.session.exec(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return [
        NotificationRow(n.id or 0, n.subject, n.incident_id, n.created_at, n.read_at) for n in rows
    ], total


def unread_count(call: Call) -> int:
    """The header's badge, on every page: one statement built once, run without the ORM."""
    if call.actor.user_id is None:
        return 0
    user = call.actor.user_id
    return call.remember(
        ("unread", user),
        lambda: int(call.session.connection().execute(_UNREAD, {"user": user}).scalar_one()),
    )


_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(col(Notification.user_id) == bindparam("user"), col(Notification.read_at).is_(None))
)


def mark_read(call: Call, notification_id: int) -> None:
    """Only the user's own: anyone else's is "not found" (it is not theirs to see)."""
    user_id = _own(call)
    note = call.session.exec(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    ).first()
    if note is None:
        raise NotFound("no such notification")
    if note.read_at is not None:
        return
    note.read_at = call.now
    call.session.add(note)
    call.audit("notification.read", object_type="notification", object_id=notification_id)


def mark_all_read(call: Call) -> int:
    user_id = _own(call)
    result = call.session.exec(
        update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
        .values(read_at=call.now)
    )
    count = int(result.rowcount or 0)
    if count:
        call.audit("notification.read_all", new={"count": count})
    return count


def outbox(call: Call, number: int) -> tuple[list[SentEmail], int]:
    """Every e-mail the reminders sent, newest first (admins; the messages carry no PHI)."""
    call.require(Action.VIEW_OUTBOX)
    total = int(call.session.exec(select(func.count()).select_from(SentEmail)).one())
    rows = call.session.exec(
        select(SentEmail)
        .order_by(col(SentEmail.sent_at).desc(), col(SentEmail.id).desc())
        .offset((number - 1) * OUTBOX_PAGE_SIZE)
        .limit(OUTBOX_PAGE_SIZE)
    ).all()
    return list(rows), total


@dataclass(frozen=True)
class DeliveryFailures:
    count: int
    error_class: str  # the exception's class only: the message could name an address


def _error_class(last_error: str) -> str:
    name = last_error.split(":", 1)[0].strip()
    return name if _CLASS_NAME.fullmatch(name) else "unknown error"


def delivery_failures(call: Call) -> DeliveryFailures | None:
    """Reminders still pending after FAILURE_THRESHOLD failed sends, among the incidents the user
    may see (a restricted incident is not counted for anyone else): the count and the class of
    the latest error, or None when there are none. Two queries."""
    if not (call.actor.trusted or can(call.actor.role, Action.SEE_DELIVERY_FAILURES)):
        return None
    failing = and_(
        col(Reminder.status) == "pending",
        col(Reminder.attempts) >= FAILURE_THRESHOLD,
        visible(call),
    )
    base = (
        select(Reminder)
        .join(ObligationRecord, col(ObligationRecord.id) == Reminder.obligation_id)
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .where(failing)
    )
    count = int(call.session.exec(select(func.count()).select_from(base.subquery())).one())
    if not count:
        return None
    # A failed send is re-queued `2**attempts` minutes (at most an hour) after it failed, so the
    # latest failure is the one with the latest retry time.
    latest = call.session.exec(
        base.order_by(col(Reminder.send_at).desc(), col(Reminder.id).desc()).limit(1)
    ).first()
    return DeliveryFailures(count, _error_class(latest.last_error if latest else ""))
