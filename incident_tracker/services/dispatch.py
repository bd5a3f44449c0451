"""The dispatcher the scheduler ticks: claim due reminders, send them, record what was sent.

Due reminders are claimed CHUNK at a time with a conditional UPDATE (status pending -> claimed),
so two dispatchers never both send one; a claim older than the lease (a dispatcher killed
mid-send) goes back to pending. The chunk's messages are prepared with a few queries, then each
reminder is sent and recorded as sent (SentEmail, Notification, audit row, the next weekly step) in
its own transaction, committed before the SMTP server accepts the next message. That commit runs
in a second thread while the next message is built and transferred up to the final "." of its
data, which is sent only once the commit has returned (mail.py): the fsync is hidden, the
guarantee unchanged. A failed send is retried with backoff and never dropped; so is a message
that cannot be composed or prepared (an old record holding what no e-mail header can carry): it
fails on its own, and the rest of its chunk goes on. A tick that raises is recorded in the
scheduler_state row for /healthz and the home page. Delivery is
at-least-once: a crash between the SMTP server accepting a message and the `sent` commit can
repeat that one message, recognisable by its deterministic Message-ID (architecture.md §1.8).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, col, select

from incident_tracker.core import lifecycle
from incident_tracker.core import reminders as ladder
from incident_tracker.core.notices.kinds import KINDS, kind_for_rule
from incident_tracker.core.parsing import without_control_characters
from incident_tracker.core.permissions import Role
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import (
    Incident,
    IncidentAssignee,
    Notification,
    ObligationRecord,
    Organisation,
    Reminder,
    SchedulerState,
    SentEmail,
    User,
)
from incident_tracker.mail import compose, failure
from incident_tracker.services import audit, handoffs
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from incident_tracker.services.digest import send_digests

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 500  # reminders per tick at most
CHUNK = 50  # claimed together; a dispatcher killed mid-chunk leaves these to the lease
DEFAULT_ZONE = "America/New_York"
OPEN_STATUSES = lifecycle.OPEN_STATUSES


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
    lease: timedelta = LEASE

    def tick(self, batch: int = BATCH) -> TickResult:
        """One pass over the due reminders. If it raises (the database refused a write), that is
        recorded before the exception goes on: claims left behind wait for their lease."""
        now = self.now()
        try:
            return self._tick(now, batch)
        except Exception as exc:
            self._record_raised(now, exc)
            raise

    def _tick(self, now: datetime, batch: int) -> TickResult:
        result = TickResult()
        result.requeued = self._requeue_stale(now)
        with ExitStack() as stack:
            connection: list[Any] = []
            left = batch
            while left > 0:
                claimed = self._claim(now, min(CHUNK, left))
                if not claimed:
                    break
                left -= len(claimed)
                if not self._send_chunk(claimed, now, result, stack, connection):
                    break  # the SMTP server cannot be reached: the rest waits for a later tick
        try:
            result.digests = send_digests(
                self.engine, self.audit_key, self.mailer, self.sender, self.base_url, now
            )
        except Exception as exc:  # a digest that cannot go now goes on a later tick
            result.errors.append(f"digest: {failure(exc, 'sending the digests')}")
        self._heartbeat(now, result.summary())
        return result

    def _requeue_stale(self, now: datetime) -> int:
        with unit_of_work(self.engine) as session:
            stale = session.exec(
                update(Reminder)
                .where(
                    col(Reminder.status) == "claimed", col(Reminder.claimed_at) < now - self.lease
                )
                .values(status="pending", claimed_at=None)
            )
            return int(stale.rowcount or 0)

    def _claim(self, now: datetime, limit: int) -> list[int]:
        """Claim up to `limit` due reminders in one conditional UPDATE (pending -> claimed): a row
        another dispatcher claimed first is not returned, so it is sent by one of them only."""
        with unit_of_work(self.engine) as session:
            ids = due_ids(session, now, limit)
            if not ids:
                return []
            claimed = set(
                session.execute(
                    update(Reminder)
                    .where(col(Reminder.id).in_(ids), col(Reminder.status) == "pending")
                    .values(status="claimed", claimed_at=self.now())
                    .returning(col(Reminder.id))
                    .execution_options(synchronize_session=False)
                ).scalars()
            )
        return [i for i in ids if i in claimed]

    def _send_chunk(
        self,
        claimed: list[int],
        now: datetime,
        result: TickResult,
        stack: ExitStack,
        connection: list[Any],
    ) -> bool:
        """Send claimed reminders one by one, each recorded as sent in its own transaction before
        the server accepts the next message, so a crash repeats at most the message in flight.

        The recording runs in a second thread so that its commit (an fsync) overlaps the next
        message: that message is built and handed to the server up to the final "." of its data
        meanwhile, and the "." goes only once the commit has returned. Returns False when no SMTP
        connection can be opened (the unsent ones are retried later)."""
        with unit_of_work(self.engine, read_only=True) as session:
            org = session.get(Organisation, 1)
            today = now.astimezone(ZoneInfo(org.time_zone if org else DEFAULT_ZONE)).date()
            unprepared: dict[int, Exception] = {}
            prepared = prepare_many(session, claimed, self.sender, self.base_url, today, unprepared)
        retired = [i for i in claimed if i in prepared and prepared[i] is None]
        if retired:
            self._cancel(retired, now)
            result.cancelled += len(retired)
        for reminder_id, exc in unprepared.items():  # a record it cannot read: retried later
            self._fail(reminder_id, now, failure(exc, "preparing the message"), result)
        ready = [(i, p) for i, p in prepared.items() if p is not None]
        recording: Future[None] | None = None

        def recorded() -> None:
            """Wait for the previous reminder's record; a failed one raises (every time)."""
            nonlocal recording
            if recording is not None:
                recording.result()
                recording = None

        with (
            self.engine.connect() as db,
            ThreadPoolExecutor(1, thread_name_prefix="reminder-recorder") as recorder,
        ):
            for position, (reminder_id, message_set) in enumerate(ready):
                try:
                    messages = message_set.compose()
                except Exception as exc:  # a header value or address no e-mail can carry
                    recorded()
                    self._fail(reminder_id, now, failure(exc, "composing the message"), result)
                    continue
                if not connection:
                    recorded()
                    try:
                        connection.append(stack.enter_context(self.mailer.connection()))
                    except Exception as exc:  # SMTP down: retry later, never drop
                        unsent = [i for i, _ in ready[position:]]
                        error = failure(exc, "connecting to the SMTP server")
                        self._retry(unsent, now, error)
                        result.failed += len(unsent)
                        result.errors.append(f"SMTP connection: {error}")
                        return False
                try:
                    deliver(connection[0], messages, recorded)
                except Exception as exc:  # refused, timed out, disconnected: retry later
                    connection.clear()
                    recorded()  # unless it is the previous record that failed: that goes up
                    self._fail(reminder_id, now, failure(exc, "sending the message"), result)
                    continue
                recorded()
                recording = recorder.submit(
                    self._finish, db, reminder_id, now, message_set, messages
                )
                result.sent += 1
                result.emails += len(messages)
            recorded()
        return True

    def _fail(self, reminder_id: int, now: datetime, error: str, result: TickResult) -> None:
        """One reminder failed on its own: retried later, the rest of the chunk goes on."""
        self._retry([reminder_id], now, error)
        result.failed += 1
        result.errors.append(f"reminder {reminder_id}: {error}")

    def _retry(self, reminder_ids: list[int], now: datetime, error: str) -> None:
        """Back to pending with a later send_at (2, 4, 8 ... 60 minutes) and the error (its
        class and what failed, never a value); a reminder cancelled while it was being sent
        (its date moved, the duty done) stays cancelled."""
        with unit_of_work(self.engine) as session:
            rows = session.exec(
                select(Reminder).where(
                    col(Reminder.id).in_(reminder_ids), col(Reminder.status) == "claimed"
                )
            )
            for row in rows:
                row.attempts += 1
                row.status, row.claimed_at = "pending", None
                row.send_at = now + timedelta(minutes=min(60, 2**row.attempts))
                row.last_error = error[:500]
                session.add(row)

    def _cancel(self, reminder_ids: list[int], now: datetime) -> None:
        with unit_of_work(self.engine) as session:
            session.execute(
                update(Reminder)
                .where(col(Reminder.id).in_(reminder_ids), col(Reminder.status) == "claimed")
                .values(status="cancelled", claimed_at=None)
                .execution_options(synchronize_session=False)
            )
            call = Call(session, SYSTEM, now, self.audit_key)
            for reminder_id in reminder_ids:
                call.audit(
                    "reminder.cancelled",
                    object_type="reminder",
                    object_id=reminder_id,
                    detail="the duty is done, retired or its incident closed",
                )

    def _finish(
        self,
        connection: Connection,
        reminder_id: int,
        now: datetime,
        prepared: Prepared,
        messages: list[EmailMessage],
    ) -> None:
        """Record one sent reminder in its own write transaction, on the chunk's Core connection
        with statements built once (no ORM session): it runs once per message."""
        with connection.begin():
            # Still claimed: the ladder goes on. Cancelled while in flight (a moved date, a duty
            # done): the message did leave, so it is history, but nothing follows it.
            params = {"reminder_id": reminder_id, "now": now}
            chain = connection.execute(_SENT_IF_CLAIMED, params).rowcount == 1
            if not chain:
                connection.execute(_SENT, params)
            sent = list(zip(prepared.people, messages, strict=True))
            if sent:  # no one to tell (owner inactive): history, no rows
                connection.execute(
                    _SENT_EMAIL,
                    [
                        {
                            "reminder_id": reminder_id,
                            "user_id": user.id,
                            "to_address": str(message["To"]),
                            "subject": prepared.subject,
                            "body": prepared.body,
                            "message_id": str(message["Message-ID"]),
                            "sent_at": now,
                        }
                        for user, message in sent
                    ],
                )
                if prepared.in_app:
                    connection.execute(
                        _NOTIFICATION,
                        [
                            {
                                "user_id": user.id or 0,
                                "reminder_id": reminder_id,
                                "incident_id": prepared.incident_id,
                                "subject": prepared.subject,
                                "created_at": now,
                            }
                            for user, _ in sent
                        ],
                    )
            audit.append(
                connection,
                self.audit_key,
                SYSTEM,
                "reminder.sent",
                now,
                object_type="reminder",
                object_id=reminder_id,
                new={"to": [u.email for u in prepared.people], "offset": prepared.offset},
                detail=prepared.subject,
            )
            following = (
                ladder.next_step(prepared.offset, now, self.ladder_settings) if chain else None
            )
            if following is not None:
                step = {
                    "obligation_id": prepared.obligation_id,
                    "offset": following.offset,
                    "due_for": prepared.due_for,
                }
                if connection.execute(_STEP_EXISTS, step).first() is None:
                    connection.execute(
                        _NEW_STEP,
                        {
                            **step,
                            "kind": following.kind,
                            "send_at": following.send_at,
                            "status": "pending",
                            "attempts": 0,
                            "last_error": "",
                            "created_at": now,
                        },
                    )

    def _heartbeat(self, now: datetime, summary: str) -> None:
        with unit_of_work(self.engine) as session:
            state = session.get(SchedulerState, 1) or SchedulerState(id=1)
            state.last_tick_at, state.pid, state.last_result = now, os.getpid(), summary[:200]
            session.add(state)

    def _record_raised(self, now: datetime, exc: Exception) -> None:
        """The tick that raised, for /healthz and the home page: its time and the exception's
        class only (a database error's message can quote a statement)."""
        try:
            with unit_of_work(self.engine) as session:
                state = session.get(SchedulerState, 1) or SchedulerState(id=1)
                state.last_error_at, state.last_error = now, type(exc).__name__[:200]
                session.add(state)
        except Exception as unrecorded:  # the database is gone: the caller's error says so
            log.warning("could not record the failed tick: %s", type(unrecorded).__name__)


def lease_from_env(env: Mapping[str, str]) -> timedelta:
    """How long a claim may stay unsent before a tick re-queues it (a scheduler killed
    mid-send): REMINDER_LEASE_SECONDS, default 300; shorter only for tests and benchmarks."""
    raw = env.get("REMINDER_LEASE_SECONDS", "").strip()
    try:
        seconds = float(raw) if raw else 0.0
    except ValueError:
        seconds = 0.0
    return timedelta(seconds=seconds) if 0 < seconds <= 86_400 else LEASE


# Statements of the per-reminder transaction, built once (it runs once per message sent).
_REMINDER = SQLModel.metadata.tables[str(Reminder.__tablename__)]
_SENT = (
    update(_REMINDER)
    .where(_REMINDER.c.id == bindparam("reminder_id"))
    .values(status="sent", sent_at=bindparam("now"), claimed_at=None)
)
_SENT_IF_CLAIMED = _SENT.where(_REMINDER.c.status == "claimed")
_STEP_EXISTS = select(_REMINDER.c.id).where(
    _REMINDER.c.obligation_id == bindparam("obligation_id"),
    _REMINDER.c.offset == bindparam("offset"),
    _REMINDER.c.due_for == bindparam("due_for"),
)
_NEW_STEP = insert(_REMINDER)
_SENT_EMAIL = insert(SQLModel.metadata.tables[str(SentEmail.__tablename__)])
_NOTIFICATION = insert(SQLModel.metadata.tables[str(Notification.__tablename__)])


def deliver(connection: Any, messages: list[EmailMessage], ready: Callable[[], None]) -> None:
    """Send one reminder's messages; the server may accept the first only after `ready()` has
    returned. An SMTP connection with `send_after` hands it over up to the end of its data
    meanwhile; any other (a test double) gets nothing before."""
    send_after = getattr(connection, "send_after", None)
    if not messages or send_after is None:
        ready()
    else:
        send_after(messages[0], ready)
        messages = messages[1:]
    for message in messages:
        connection.send(message)


def due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    """The oldest due pending reminders (the ix_reminder_due index: status, send_at)."""
    return [
        i or 0
        for i in session.exec(
            select(Reminder.id)
            .where(Reminder.status == "pending", Reminder.send_at <= now)
            .order_by(col(Reminder.send_at), col(Reminder.id))
            .limit(limit)
        )
    ]


@dataclass(frozen=True)
class Prepared:
    """One reminder's text and recipients; its e-mails are built just before they are sent."""

    incident_id: int
    subject: str
    body: str
    people: list[User]
    sender: str
    reminder_id: int
    obligation_id: int = 0
    offset: str = ""
    due_for: str = ""
    in_app: bool = True  # a hand-off's in-app notification was written with the move itself

    def compose(self) -> list[EmailMessage]:
        """One message per person, each with a deterministic Message-ID."""
        domain = self.sender.rsplit("@", 1)[-1] or "incident-tracker"
        return [
            compose(
                self.sender,
                user.email,
                self.subject,
                self.body,
                f"<reminder-{self.reminder_id}-{user.id}@{domain}>",
            )
            for user in self.people
        ]


def recipients(session: Session, incident: Incident, overdue: bool) -> list[User]:
    """Owner and assignees; when overdue, also privacy officers and admins who may see it
    (a restricted incident escalates only to admins)."""
    return Recipients(session, [incident]).of(incident, overdue)


class Recipients:
    """The people of a batch of incidents, loaded with three queries whatever the batch size;
    `others` are people named by the reminders themselves (duty assignees, hand-off recipients)."""

    def __init__(
        self, session: Session, incidents: list[Incident], others: set[int] | None = None
    ) -> None:
        self.team: dict[int, set[int]] = {i.id or 0: {i.owner_id} for i in incidents}
        for a in session.exec(
            select(IncidentAssignee).where(col(IncidentAssignee.incident_id).in_(self.team))
        ):
            self.team[a.incident_id].add(a.user_id)
        wanted = (set().union(*self.team.values()) if self.team else set()) | (others or set())
        escalation = [Role.ADMIN.value, Role.PRIVACY_OFFICER.value]
        self.people = {
            u.id or 0: u
            for u in session.exec(
                select(User).where(col(User.id).in_(wanted) | col(User.role).in_(escalation))
            )
        }

    def of(self, incident: Incident, overdue: bool, assignee: int | None = None) -> list[User]:
        """A duty given to someone reminds them alone until it is overdue; then the existing
        escalation (owner, assignees, privacy officers, admins) is told as well."""
        if assignee is not None and not overdue:
            person = self.people.get(assignee)
            return [person] if person is not None and person.is_active else []
        ids = set(self.team.get(incident.id or 0, {incident.owner_id}))
        if assignee is not None:
            ids.add(assignee)
        if overdue:
            roles = {Role.ADMIN.value} | (
                set() if incident.restricted else {Role.PRIVACY_OFFICER.value}
            )
            ids |= {i for i, u in self.people.items() if u.role in roles}
        found = (self.people[i] for i in ids if i in self.people)
        return sorted((u for u in found if u.is_active), key=lambda u: u.email)


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


def prepare(
    session: Session, reminder_id: int, sender: str, base_url: str, today: date | None = None
) -> Prepared | None:
    """The messages for one reminder, or None when the duty no longer needs reminding."""
    return prepare_many(session, [reminder_id], sender, base_url, today)[reminder_id]


def prepare_many(
    session: Session,
    reminder_ids: list[int],
    sender: str,
    base_url: str,
    today: date | None = None,
    failures: dict[int, Exception] | None = None,
) -> dict[int, Prepared | None]:
    """The messages for each reminder (None when the duty no longer needs reminding), with one
    query per table for the whole batch. `today` is the local day they are sent on: days left
    are counted from it, not from a send_at that passed while the scheduler was down. Given
    `failures`, a reminder whose record cannot be read goes there instead of raising."""
    reminders = {
        r.id: r for r in session.exec(select(Reminder).where(col(Reminder.id).in_(reminder_ids)))
    }
    records = {
        r.id: r
        for r in session.exec(
            select(ObligationRecord).where(
                col(ObligationRecord.id).in_({r.obligation_id for r in reminders.values()})
            )
        )
    }
    incidents = {
        i.id: i
        for i in session.exec(
            select(Incident).where(col(Incident.id).in_({r.incident_id for r in records.values()}))
        )
    }
    named = {r.recipient_id for r in reminders.values() if r.recipient_id is not None}
    named |= {r.assignee_id for r in records.values() if r.assignee_id is not None}
    people = Recipients(session, list(incidents.values()), named)
    out: dict[int, Prepared | None] = {}
    for reminder_id in reminder_ids:
        reminder = reminders.get(reminder_id)
        record = records.get(reminder.obligation_id) if reminder else None
        incident = incidents.get(record.incident_id) if record else None
        if reminder is not None and reminder.kind == handoffs.KIND:
            person = people.people.get(reminder.recipient_id or 0)
            out[reminder_id] = (
                _handoff(reminder, record, incident, person, sender, base_url)
                if record is not None and incident is not None and person is not None
                else None
            )
            continue
        if (
            reminder is None
            or record is None
            or incident is None
            or not record.live
            or record.done_on is not None
            or incident.status not in OPEN_STATUSES
        ):
            out[reminder_id] = None
            continue
        to = people.of(incident, reminder.kind == "overdue", record.assignee_id)
        try:
            out[reminder_id] = _messages(reminder, record, incident, to, sender, base_url, today)
        except Exception as exc:  # terms an old version wrote, or hand-edited
            if failures is None:
                raise
            failures[reminder_id] = exc
    return out


def _handoff(
    reminder: Reminder,
    record: ObligationRecord,
    incident: Incident,
    person: User,
    sender: str,
    base_url: str,
) -> Prepared | None:
    """A hand-off e-mail to its one recipient (services/handoffs.py): no PHI, a link."""
    kind = kind_for_rule(record.rule_id)
    event = reminder.offset.removeprefix(handoffs.PREFIX)
    if kind is None or event not in handoffs.WORDS or not person.is_active:
        return None
    title = KINDS[kind].title
    link = f"{base_url.rstrip('/')}/incidents/{incident.id}/obligations/{record.id}/notice#review"
    return Prepared(
        incident.id or 0,
        handoffs.subject(incident.number, title, event),
        handoffs.body(incident.number, title, event, record.due, link),
        [person],
        sender,
        reminder.id or 0,
        reminder.obligation_id,
        reminder.offset,
        reminder.due_for,
        in_app=False,
    )


def _messages(
    reminder: Reminder,
    record: ObligationRecord,
    incident: Incident,
    people: list[User],
    sender: str,
    base_url: str,
    today: date | None,
) -> Prepared:
    reminder_id = reminder.id or 0
    terms: dict[str, Any] = json.loads(record.terms)
    label = {"internal": "Internal target", "contractual": "Contractual deadline"}.get(
        terms["kind"], "Legal deadline"
    )
    rule = f"{record.rule_id}{' ' + record.state if record.state else ''}"
    when = _when(terms, today or reminder.send_at.date())
    # The recipient can name a client; a record older than the forms' check may hold a line break.
    recipient = without_control_characters(str(terms["recipient"]))
    prefix = {"overdue": "OVERDUE", "nudge": "Reminder", "due": "Due today"}.get(
        reminder.kind, "Due soon"
    )
    subject = f"[{incident.number}] {prefix}: {rule} {recipient}"[:300]
    link = f"{base_url.rstrip('/')}/incidents/{incident.id}"
    body = "\n".join(
        [
            f"{label}: {rule} — {recipient}",
            f"Incident: {incident.number}",
            f"When: {when}",
            f"Citation: {terms['citation']}",
            "",
            f"Open the incident: {link}",
            "",
            "This message contains no patient information. Sign in to see the details.",
        ]
    )
    return Prepared(
        incident.id or 0,
        subject,
        body,
        people,
        sender,
        reminder_id,
        reminder.obligation_id,
        reminder.offset,
        reminder.due_for,
    )
