"""The dispatcher the scheduler ticks: claim due reminders, send them, record what was sent.

Each reminder is claimed with a conditional UPDATE (status pending -> claimed), so two dispatchers
never both send it; a claim older than the lease (a dispatcher killed mid-send) goes back to
pending. A failed send is retried with backoff and never dropped. Delivery is at-least-once: a
crash between the SMTP server accepting a message and the `sent` commit can repeat that one
message, recognisable by its deterministic Message-ID (architecture.md §1.8).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.core import reminders as ladder
from incident_tracker.core.permissions import Role
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import (
    Incident,
    IncidentAssignee,
    Notification,
    ObligationRecord,
    Reminder,
    SchedulerState,
    SentEmail,
    User,
)
from incident_tracker.mail import compose
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from incident_tracker.services.digest import send_digests

LEASE = timedelta(minutes=5)
BATCH = 500
OPEN_STATUSES = ("intake", "assessment", "notification")


@dataclass
class TickResult:
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    requeued: int = 0
    emails: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"sent {self.sent}, failed {self.failed}, cancelled {self.cancelled}, "
            f"requeued {self.requeued}, e-mails {self.emails}"
        )


@dataclass(frozen=True)
class Dispatcher:
    engine: Engine
    audit_key: str
    mailer: Any  # incident_tracker.mail.SMTPMailer or a test double with .connection()
    sender: str
    base_url: str
    now: Callable[[], datetime]
    ladder_settings: ladder.LadderSettings = field(default_factory=ladder.LadderSettings)

    def tick(self, batch: int = BATCH) -> TickResult:
        result = TickResult()
        now = self.now()
        result.requeued = self._requeue_stale(now)
        due = self._due_ids(now, batch)
        with ExitStack() as stack:
            connection: list[Any] = []
            for reminder_id in due:
                self._one(reminder_id, now, result, stack, connection)
        try:
            result.digests = send_digests(
                self.engine, self.audit_key, self.mailer, self.sender, self.base_url, now
            )
        except Exception as exc:  # a digest that cannot go now goes on a later tick
            result.errors.append(f"digest: {exc}")
        self._heartbeat(now, result.summary())
        return result

    def _requeue_stale(self, now: datetime) -> int:
        with unit_of_work(self.engine) as session:
            stale = session.exec(
                update(Reminder)
                .where(col(Reminder.status) == "claimed", col(Reminder.claimed_at) < now - LEASE)
                .values(status="pending", claimed_at=None)
            )
            return int(stale.rowcount or 0)

    def _due_ids(self, now: datetime, batch: int) -> list[int]:
        with unit_of_work(self.engine, read_only=True) as session:
            return [
                i or 0
                for i in session.exec(
                    select(Reminder.id)
                    .where(Reminder.status == "pending", Reminder.send_at <= now)
                    .order_by(col(Reminder.send_at), col(Reminder.id))
                    .limit(batch)
                )
            ]

    def _claim(self, reminder_id: int, now: datetime) -> bool:
        with unit_of_work(self.engine) as session:
            claimed = session.exec(
                update(Reminder)
                .where(col(Reminder.id) == reminder_id, col(Reminder.status) == "pending")
                .values(status="claimed", claimed_at=now)
            )
            return bool(claimed.rowcount == 1)

    def _one(
        self,
        reminder_id: int,
        now: datetime,
        result: TickResult,
        stack: ExitStack,
        connection: list[Any],
    ) -> None:
        if not self._claim(reminder_id, now):
            return
        with unit_of_work(self.engine, read_only=True) as session:
            prepared = prepare(session, reminder_id, self.sender, self.base_url)
        if prepared is None:
            self._finish(reminder_id, now, "cancelled", [], None)
            result.cancelled += 1
            return
        try:
            if not connection:
                connection.append(stack.enter_context(self.mailer.connection()))
            for _, message in prepared.messages:
                connection[0].send(message)
        except Exception as exc:  # SMTP down, refused, timed out: retry later, never drop
            connection.clear()
            self._retry(reminder_id, now, exc)
            result.failed += 1
            result.errors.append(f"reminder {reminder_id}: {exc}")
            return
        self._finish(reminder_id, now, "sent", prepared.messages, prepared)
        result.sent += 1
        result.emails += len(prepared.messages)

    def _retry(self, reminder_id: int, now: datetime, exc: Exception) -> None:
        with unit_of_work(self.engine) as session:
            row = session.get(Reminder, reminder_id)
            if row is None:
                return
            row.attempts += 1
            row.status, row.claimed_at = "pending", None
            row.send_at = now + timedelta(minutes=min(60, 2**row.attempts))
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            session.add(row)

    def _finish(
        self,
        reminder_id: int,
        now: datetime,
        status: str,
        messages: list[tuple[User, EmailMessage]],
        prepared: Prepared | None,
    ) -> None:
        with unit_of_work(self.engine) as session:
            row = session.get(Reminder, reminder_id)
            if row is None:
                return
            row.status, row.sent_at = status, now if status == "sent" else None
            session.add(row)
            call = Call(session, SYSTEM, now, self.audit_key)
            if prepared is None:
                call.audit(
                    "reminder.cancelled",
                    object_type="reminder",
                    object_id=reminder_id,
                    detail="the duty is done, retired or its incident closed",
                )
                return
            for user, message in messages:
                session.add(
                    SentEmail(
                        reminder_id=reminder_id,
                        user_id=user.id,
                        to_address=str(message["To"]),
                        subject=str(message["Subject"]),
                        body=message.get_content(),
                        message_id=str(message["Message-ID"]),
                        sent_at=now,
                    )
                )
                session.add(
                    Notification(
                        user_id=user.id or 0,
                        reminder_id=reminder_id,
                        incident_id=prepared.incident_id,
                        subject=str(message["Subject"]),
                        created_at=now,
                    )
                )
            call.audit(
                "reminder.sent",
                object_type="reminder",
                object_id=reminder_id,
                new={"to": [u.email for u, _ in messages], "offset": row.offset},
                detail=prepared.subject,
            )
            following = ladder.next_step(row.offset, now, self.ladder_settings)
            if following is not None:
                exists = session.exec(
                    select(Reminder).where(
                        Reminder.obligation_id == row.obligation_id,
                        Reminder.offset == following.offset,
                        Reminder.due_for == row.due_for,
                    )
                ).first()
                if exists is None:
                    session.add(
                        Reminder(
                            obligation_id=row.obligation_id,
                            offset=following.offset,
                            due_for=row.due_for,
                            kind=following.kind,
                            send_at=following.send_at,
                            created_at=now,
                        )
                    )

    def _heartbeat(self, now: datetime, summary: str) -> None:
        with unit_of_work(self.engine) as session:
            state = session.get(SchedulerState, 1) or SchedulerState(id=1)
            state.last_tick_at, state.pid, state.last_result = now, os.getpid(), summary[:200]
            session.add(state)


@dataclass(frozen=True)
class Prepared:
    incident_id: int
    subject: str
    messages: list[tuple[User, EmailMessage]]


def recipients(session: Session, incident: Incident, overdue: bool) -> list[User]:
    """Owner and assignees; when overdue, also privacy officers and admins who may see it
    (a restricted incident escalates only to admins)."""
    ids = {incident.owner_id} | {
        a.user_id
        for a in session.exec(
            select(IncidentAssignee).where(IncidentAssignee.incident_id == incident.id)
        )
    }
    people = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))}
    if overdue:
        roles = (
            [Role.ADMIN.value]
            if incident.restricted
            else [Role.ADMIN.value, Role.PRIVACY_OFFICER.value]
        )
        for user in session.exec(select(User).where(col(User.role).in_(roles))):
            people[user.id] = user
    return sorted((u for u in people.values() if u.is_active), key=lambda u: u.email)


def _when(terms: dict[str, Any], today: date) -> str:
    if terms.get("due_at"):
        return f"due at {terms['due_at']}"
    if not terms.get("due"):
        return f"no fixed date: {terms.get('standard') or 'without unreasonable delay'}"
    due = date.fromisoformat(terms["due"])
    days = (due - today).days
    if days < 0:
        return f"was due {due} ({-days} days overdue)"
    return f"due {due} ({'today' if days == 0 else f'in {days} days'})"


def prepare(session: Session, reminder_id: int, sender: str, base_url: str) -> Prepared | None:
    """The messages for one reminder, or None when the duty no longer needs reminding."""
    reminder = session.get(Reminder, reminder_id)
    record = session.get(ObligationRecord, reminder.obligation_id) if reminder else None
    incident = session.get(Incident, record.incident_id) if record else None
    if (
        reminder is None
        or record is None
        or incident is None
        or not record.live
        or record.done_on is not None
        or incident.status not in OPEN_STATUSES
    ):
        return None
    terms: dict[str, Any] = json.loads(record.terms)
    overdue = reminder.kind == "overdue"
    label = {"internal": "Internal target", "contractual": "Contractual deadline"}.get(
        terms["kind"], "Legal deadline"
    )
    rule = f"{record.rule_id}{' ' + record.state if record.state else ''}"
    when = _when(terms, reminder.send_at.date())
    prefix = {"overdue": "OVERDUE", "nudge": "Reminder", "due": "Due today"}.get(
        reminder.kind, "Due soon"
    )
    subject = f"[{incident.number}] {prefix}: {rule} {terms['recipient']}"[:300]
    link = f"{base_url.rstrip('/')}/incidents/{incident.id}"
    body = "\n".join(
        [
            f"{label}: {rule} — {terms['recipient']}",
            f"Incident: {incident.number}",
            f"When: {when}",
            f"Citation: {terms['citation']}",
            "",
            f"Open the incident: {link}",
            "",
            "This message contains no patient information. Sign in to see the details.",
        ]
    )
    domain = sender.rsplit("@", 1)[-1] or "incident-tracker"
    messages = [
        (
            user,
            compose(
                sender, user.email, subject, body, f"<reminder-{reminder_id}-{user.id}@{domain}>"
            ),
        )
        for user in recipients(session, incident, overdue)
    ]
    return Prepared(incident.id or 0, subject, messages)
