"""The dispatcher against a real SMTP server (aiosmtpd on 127.0.0.1) with an injected clock
(architecture.md §1.8): each reminder is delivered once, whatever the
ticks, threads and outages; recomputes and done duties keep the ledger in step; no PHI leaves the
machine (HIPAA 164.312(e)(1) transmission security, 164.502(b) minimum necessary); restricted
incidents reach only the people who may see them (164.312(a)(1) access control).

Incidents are created at Monday 2026-11-23 09:00 UTC through the services. Discovered 2026-11-20,
a breach of 100 PA residents owes F1 (individuals) on 2027-01-19, whose reminders go out at 09:00
New York time (14:00 UTC): d-14 on 01-05, d-7 01-12, d-3 01-16, d-1 01-18, d0 01-19, o+1..o+3
01-20..01-22, o+w1 01-29. Discovered 2026-09-20, F1 was due 2026-11-19: one "late" message now.
"""

from __future__ import annotations

import json
import re
import smtplib
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import (
    Incident,
    Notification,
    ObligationRecord,
    Reminder,
    SentEmail,
    User,
)
from incident_tracker.mail import MailSettings, SMTPMailer
from incident_tracker.services import incidents, obligations, sending, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.dispatch import Dispatcher
from incident_tracker.services.incidents import IncidentValues
from tests import backends
from tests.conftest import AUDIT_KEY, make_user

SENDER = "tracker@example.org"
PATIENT, SSN, DIAGNOSIS = "Zebulon Quackenbush", "078-05-1120", "acute xylophonitis"
TITLE = "Chart of Q. left on the Xylo ward printer"
NARRATIVE = f"Patient {PATIENT} (SSN {SSN}), diagnosis {DIAGNOSIS}. Narrative marker N4RR4T1VE."
SECRETS = (PATIENT, "Quackenbush", SSN, SSN.replace("-", ""), DIAGNOSIS, TITLE, "N4RR4T1VE")
# No risk assessment recorded: a breach is presumed (164.402(2)). Clinical data without an SSN:
# Pennsylvania's own law (73 P.S. 2302) does not reach it, so F1's ladder is the only one.
PA_100 = IncidentValues(
    title=TITLE,
    narrative=NARRATIVE,
    discovered_on=date(2026, 11, 20),
    location_other=f"{PATIENT}'s room",
    states={"PA": 100},
    data_elements=("name", "diagnosis"),
    sanctions=f"Staff member warned about {PATIENT}",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SMTPServer:
    """A real aiosmtpd server on 127.0.0.1 that keeps every message; it can be stopped and
    started again on the same port to simulate an outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.raw: list[tuple[list[str], bytes]] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(r, EmailMessage, policy=policy.default) for _, r in self.raw]

    def ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def owner(settings: Settings) -> User:
    return make_user(settings, "owner@example.org", "privacy_officer")


def trusted(session: Session, clock: FixedClock) -> Call:
    return Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)


def create(engine: Engine, clock: FixedClock, owner: User, **over: Any) -> int:
    with unit_of_work(engine) as session:
        values = replace(PA_100, owner_id=owner.id, **over)
        return incidents.create(trusted(session, clock), values).id or 0


def act(engine: Engine, clock: FixedClock, incident_id: int, do: Callable[..., object]) -> None:
    """Run a use case on the incident in one transaction, as the web layer does."""
    with unit_of_work(engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        do(trusted(session, clock), incident)


def update(engine: Engine, clock: FixedClock, incident_id: int, **over: Any) -> None:
    def edit(call: Call, incident: Incident) -> None:
        incidents.update(call, incident, replace(incidents.values_of(call, incident), **over))

    act(engine, clock, incident_id, edit)


def dispatcher(engine: Engine, clock: FixedClock, port: int, drill_to: str = "") -> Dispatcher:
    mail = MailSettings(host="127.0.0.1", port=port, sender=SENDER, drill_to=drill_to, timeout=5)
    return Dispatcher(engine, AUDIT_KEY, SMTPMailer(mail), SENDER, "https://it.example", clock.now)


def ledger(engine: Engine, rule: str = "F1") -> list[Reminder]:
    """The reminders of every obligation with this rule id, by send_at."""
    query = select(Reminder).join(
        ObligationRecord, col(ObligationRecord.id) == Reminder.obligation_id
    )
    query = query.where(ObligationRecord.rule_id == rule)
    with Session(engine) as session:
        return list(session.exec(query.order_by(col(Reminder.send_at), col(Reminder.id))))


def by_status(engine: Engine, rule: str = "F1") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in ledger(engine, rule):
        out.setdefault(r.status, []).append(r.offset)
    return out


def test_each_reminder_is_delivered_exactly_once_however_often_the_dispatcher_ticks(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User, admin: User
) -> None:
    """Twice every 12 hours for 80 days: F1's ladder and its weekly chain go out once each; the
    SMTP server, the ledger and the outbox agree message for message, and every Message-ID is
    the deterministic <reminder-ID-USER@sender domain> (so a repeat would be recognisable)."""
    create(engine, clock, owner)
    d = dispatcher(engine, clock, smtp.port)
    for _ in range(160):
        d.tick()
        d.tick()
        clock.advance(hours=12)
    ids = smtp.ids()
    assert len(ids) == len(set(ids)) > 0
    sent = [r for r in ledger(engine) if r.status == "sent"]
    assert [r.offset for r in sent] == [
        *("d-14", "d-7", "d-3", "d-1", "d0", "o+1", "o+2", "o+3", "o+w1", "o+w2")
    ]
    people = {"due_soon": [owner], "due": [owner], "overdue": [owner, admin]}
    want = {f"<reminder-{r.id}-{u.id}@example.org>" for r in sent for u in people[r.kind]}
    assert set(ids) == want
    with Session(engine) as session:
        outbox = sorted(e.message_id for e in session.exec(select(SentEmail)))
    assert outbox == sorted(ids)
    overdue = [m for m in smtp.messages if "OVERDUE" in str(m["Subject"])]
    assert {str(m["To"]) for m in overdue} == {owner.email, admin.email}  # escalated


def test_two_dispatchers_at_once_still_send_each_message_once(
    settings: Settings, engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """Two dispatchers (own engines, as two processes would have) tick in two threads from a
    barrier, claiming two reminders at a time: the conditional claim lets only one send each."""
    for n in range(12):
        create(engine, clock, owner, discovered_on=date(2026, 9, 20), title=f"Late {n}")
    barrier = threading.Barrier(2)

    def run() -> None:
        own = make_engine(settings.db_url)
        d = dispatcher(own, clock, smtp.port)
        barrier.wait()
        while d.tick(batch=2).sent:
            pass
        own.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    ids = smtp.ids()
    assert len(ids) == 12 and len(set(ids)) == 12
    assert by_status(engine)["sent"] == ["late"] * 12


def test_reminders_due_while_the_scheduler_was_down_go_once_each_when_it_resumes(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """Down from 11-23 to 2027-01-17 15:00 UTC: d-14, d-7 and d-3 go out once each (none lost,
    none repeated); the text counts days from the day it is sent (2 days left), not from the
    missed send_at. Down again until 01-23: d-1, d0 and o+1..o+3 follow, once each."""
    create(engine, clock, owner)
    d = dispatcher(engine, clock, smtp.port)
    d.tick()
    assert smtp.raw == []
    clock.set(datetime(2027, 1, 17, 15, 0, tzinfo=UTC))
    d.tick()
    d.tick()
    assert by_status(engine)["sent"] == ["d-14", "d-7", "d-3"]
    assert len(smtp.raw) == 3
    assert all("due 2027-01-19 (in 2 days)" in m.get_content() for m in smtp.messages)
    clock.set(datetime(2027, 1, 23, 15, 0, tzinfo=UTC))
    d.tick()
    d.tick()
    assert by_status(engine)["sent"] == ["d-14", "d-7", "d-3", "d-1", "d0", "o+1", "o+2", "o+3"]
    assert by_status(engine)["pending"] == ["o+w1"]
    assert Counter(smtp.ids()).most_common(1)[0][1] == 1


def test_a_recompute_that_leaves_the_date_alone_changes_no_reminder(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """A fact change that leaves F1's date alone, then a recompute after F1's wording changed (as
    when a rule's text is revised: a new version of F1 with the same due date): the ledger is
    exactly as it was, row for row."""
    incident_id = create(engine, clock, owner)
    before = [(r.id, r.offset, r.status, r.send_at, r.due_for) for r in ledger(engine)]
    clock.advance(days=2)
    update(
        engine, clock, incident_id, narrative="More detail", states={"PA": 120}, total_affected=120
    )

    def reworded(call: Call, incident: Incident) -> None:
        record = call.session.exec(select(ObligationRecord).where(ObligationRecord.rule_id == "F1"))
        f1 = record.one()
        version, f1.terms = f1.version, json.dumps({**json.loads(f1.terms), "reason": "old text"})
        obligations.recompute(call, incident, "rule text revised")
        assert f1.version == version + 1  # F1 was recomputed (a new version), same date

    act(engine, clock, incident_id, reworded)
    assert [(r.id, r.offset, r.status, r.send_at, r.due_for) for r in ledger(engine)] == before


def test_a_moved_date_cancels_unsent_reminders_plans_new_ones_and_keeps_sent_history(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """d-14 is sent on 2027-01-05; then discovery is corrected to 11-22 (F1 due 01-21): the
    unsent steps for 01-19 are cancelled, a ladder for 01-21 is planned from d-14 (01-07), and
    only it is sent. Corrected back to 11-20: the old ladder's unsent steps return, d-14 does
    not go twice."""
    incident_id = create(engine, clock, owner)
    d = dispatcher(engine, clock, smtp.port)
    clock.set(datetime(2027, 1, 5, 15, 0, tzinfo=UTC))
    d.tick()
    update(engine, clock, incident_id, discovered_on=date(2026, 11, 22))
    rows = ledger(engine)
    old = [(r.offset, r.status) for r in rows if r.due_for == "2027-01-19"]
    assert old[0] == ("d-14", "sent") and {s for _, s in old[1:]} == {"cancelled"}
    new = [r for r in rows if r.due_for == "2027-01-21"]
    assert (new[0].offset, new[0].send_at) == ("d-14", datetime(2027, 1, 7, 14, 0, tzinfo=UTC))
    clock.set(datetime(2027, 1, 7, 15, 0, tzinfo=UTC))
    d.tick()
    assert [m["Message-ID"] for m in smtp.messages][1:] == [
        f"<reminder-{new[0].id}-{owner.id}@example.org>"
    ]
    update(engine, clock, incident_id, discovered_on=date(2026, 11, 20))
    old = {r.offset: r.status for r in ledger(engine) if r.due_for == "2027-01-19"}
    assert old["d-14"] == "sent" and old["d-7"] == old["o+w1"] == "pending"
    assert {r.status for r in ledger(engine) if r.due_for == "2027-01-21"} <= {"sent", "cancelled"}


def test_marking_a_duty_done_cancels_its_pending_reminders_and_a_void_incident_sends_none(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """Done: cancelled in the same transaction. Void (or closed): cancelled when they come due."""
    void_id = create(engine, clock, owner, discovered_on=date(2026, 9, 20))
    act(engine, clock, void_id, lambda c, i: incidents.set_status(c, i, "void", "dup", False))
    incident_id = create(engine, clock, owner)
    clock.advance(days=1)
    f1 = ledger(engine)[-1].obligation_id  # the second incident's (due 2027-01-19)
    done = sending.SentInput(date(2026, 11, 24), "mail", 100, "letters")
    act(engine, clock, incident_id, lambda call, i: sending.record_sent(call, i, f1, done))
    assert {r.status for r in ledger(engine) if r.obligation_id == f1} == {"cancelled"}
    clock.set(datetime(2027, 2, 15, 0, 0, tzinfo=UTC))
    assert dispatcher(engine, clock, smtp.port).tick().cancelled == 2  # the void one's late, o+w1
    assert not any("F1" in str(m["Subject"]) for m in smtp.messages)
    assert set(by_status(engine)) == {"cancelled"}


def test_smtp_down_backs_off_and_retries_without_losing_the_reminder(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """Nobody listening on the port, then the server stopped: each failed tick counts an attempt
    and moves send_at 2, then 4 minutes on; a tick before then does nothing. Server back:
    delivered once."""
    create(engine, clock, owner, discovered_on=date(2026, 9, 20))
    assert dispatcher(engine, clock, free_port()).tick().failed == 1
    late = ledger(engine)[0]
    assert (late.offset, late.status, late.attempts) == ("late", "pending", 1) and late.last_error
    assert late.send_at == clock.now() + timedelta(minutes=2)
    d = dispatcher(engine, clock, smtp.port)
    smtp.stop()
    assert d.tick().failed == 0  # not yet due again
    clock.advance(minutes=2)
    assert d.tick().failed == 1
    late = ledger(engine)[0]
    assert (late.attempts, late.send_at) == (2, clock.now() + timedelta(minutes=4))
    smtp.start()
    clock.advance(minutes=4)
    assert d.tick().sent == 1
    d.tick()
    assert len(smtp.raw) == 1 and ledger(engine)[0].status == "sent"


def test_a_reminder_cancelled_while_in_flight_stays_cancelled_when_its_send_fails(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """While "late" is being sent, discovery is corrected (F1 due 11-21, a new ladder) and then
    the send fails: the retry must not bring the cancelled reminder back (two "late" e-mails)."""
    incident_id = create(engine, clock, owner, discovered_on=date(2026, 9, 20))

    class DateMovesDuringSend:
        @contextmanager
        def connection(self) -> Iterator[DateMovesDuringSend]:
            yield self

        def send(self, message: EmailMessage) -> None:
            update(engine, clock, incident_id, discovered_on=date(2026, 9, 22))
            raise smtplib.SMTPServerDisconnected("connection lost")

    Dispatcher(engine, AUDIT_KEY, DateMovesDuringSend(), SENDER, "", clock.now).tick()
    rows = ledger(engine)
    assert {r.status for r in rows if r.due_for == "2026-11-19"} == {"cancelled"}
    assert {r.due_for for r in rows if r.status == "pending"} == {"2026-11-21"}


def test_no_email_carries_patient_names_ssns_diagnoses_titles_or_narratives(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User, admin: User
) -> None:
    """HIPAA 164.514 / 164.312(e): due-soon, due, overdue and nudge messages (an NY 600 breach
    has duties waiting on others) carry the incident number, duty, date and link only; the
    outbox and the in-app notifications neither."""
    create(engine, clock, owner)
    create(engine, clock, owner, states={"NY": 600}, discovered_on=date(2026, 11, 16))
    d = dispatcher(engine, clock, smtp.port)
    for _ in range(70):
        clock.advance(days=1)
        d.tick()
    kinds = {str(m["Subject"]).split("] ")[1].split(":")[0] for m in smtp.messages}
    assert kinds == {"Due soon", "Due today", "OVERDUE", "Reminder"}
    with Session(engine) as session:
        stored = [e.subject + e.body for e in session.exec(select(SentEmail))]
        stored += [n.subject for n in session.exec(select(Notification))]
    texts = [raw.decode("utf-8", "replace") for _, raw in smtp.raw]
    texts += [str(m["Subject"]) + m.get_content() for m in smtp.messages]
    assert all("INC-2026-" in text for text in texts)
    for text in texts + stored:
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), secret


@pytest.mark.parametrize("restricted", [True, False])
def test_recipients_owner_and_assignees_overdue_escalates_restricted_only_to_admins(
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    smtp: SMTPServer,
    owner: User,
    admin: User,
    restricted: bool,
) -> None:
    """Due soon: owner and assignee. Overdue: plus admins, and privacy officers unless the
    incident is restricted (then no one who may not see it, ASVS 5.0 V8.2); never a read-only
    user who is not on the incident."""
    assignee = make_user(settings, "assignee@example.org", "legal_reviewer")
    other = make_user(settings, "other-officer@example.org", "privacy_officer")
    make_user(settings, "reader@example.org", "read_only")
    team = {"restricted": restricted, "assignee_ids": (assignee.id,)}
    create(engine, clock, owner, discovered_on=date(2026, 9, 30), **team)  # due 11-29: soon
    create(engine, clock, owner, discovered_on=date(2026, 9, 20), **team)  # late
    dispatcher(engine, clock, smtp.port).tick()
    to: dict[str, set[str]] = {}
    for recipients, raw in smtp.raw:
        kind = "overdue" if b"OVERDUE" in raw else "soon"
        to.setdefault(kind, set()).update(recipients)
    assert to["soon"] == {owner.email, assignee.email}
    escalated = {admin.email} if restricted else {admin.email, other.email}
    assert to["overdue"] == {owner.email, assignee.email} | escalated


def test_drill_mode_sends_every_message_to_the_drill_address(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User, admin: User
) -> None:
    create(engine, clock, owner, discovered_on=date(2026, 9, 20))
    dispatcher(engine, clock, smtp.port, drill_to="drill@example.org").tick()
    assert [r for r, _ in smtp.raw] == [["drill@example.org"]] * 2
    assert {str(m["To"]) for m in smtp.messages} == {"drill@example.org"}
    with Session(engine) as session:
        assert {e.to_address for e in session.exec(select(SentEmail))} == {"drill@example.org"}


def test_weekly_overdue_reminders_and_nudges_chain_after_each_is_sent(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """F1 due 11-19 (late now; o+w1 on 11-29) then weekly from each sending; F4 (HHS, 500+)
    waits on the individual notice: a nudge 7 days after creation, then weekly."""
    create(engine, clock, owner, discovered_on=date(2026, 9, 20), states={"NY": 600})
    d = dispatcher(engine, clock, smtp.port)
    d.tick()
    clock.set(datetime(2026, 11, 29, 14, 0, tzinfo=UTC))
    d.tick()
    clock.advance(days=7)
    d.tick()
    assert by_status(engine, "F1") == {"sent": ["late", "o+w1", "o+w2"], "pending": ["o+w3"]}
    (pending,) = [r for r in ledger(engine, "F1") if r.status == "pending"]
    assert pending.send_at == clock.now() + timedelta(days=7)
    assert by_status(engine, "F4") == {"sent": ["n1"], "pending": ["n2"]}
    assert ledger(engine, "F4")[-1].send_at == datetime(2026, 12, 13, 14, 0, tzinfo=UTC)


def test_a_reminder_nobody_can_receive_is_recorded_and_the_batch_goes_on(
    settings: Settings, engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """The owner of the first incident is disabled (not overdue: no escalation): its reminder is
    history with no e-mail, and the next incident's reminder in the same batch still goes."""
    other = make_user(settings, "other@example.org", "privacy_officer")
    create(engine, clock, owner, discovered_on=date(2026, 9, 30))
    create(engine, clock, other, discovered_on=date(2026, 9, 30))
    with unit_of_work(engine) as session:
        users.set_active(trusted(session, clock), owner.id or 0, False)
    result = dispatcher(engine, clock, smtp.port).tick()
    assert (result.sent, result.emails) == (2, 1)
    assert [r for r, _ in smtp.raw] == [["other@example.org"]]


def test_a_reopened_incident_gets_one_reminder_for_an_overdue_duty_not_a_burst(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """164.404(b): F1 due 2026-11-19 is overdue. Closed on 11-23, its reminders are cancelled when
    they come due; reopened on 2027-01-04, F1 reminds once more (one pending step), not once per
    step that passed while it was closed."""
    incident_id = create(engine, clock, owner, discovered_on=date(2026, 9, 20))
    act(engine, clock, incident_id, lambda c, i: incidents.set_status(c, i, "closed", "done", True))
    clock.set(datetime(2027, 1, 4, 15, 0, tzinfo=UTC))
    dispatcher(engine, clock, smtp.port).tick()
    assert "pending" not in by_status(engine) and smtp.messages == []
    reopen = lambda c, i: incidents.set_status(c, i, "notification", "", False)  # noqa: E731
    act(engine, clock, incident_id, reopen)
    pending = by_status(engine).get("pending", [])
    assert len(pending) == 1
    dispatcher(engine, clock, smtp.port).tick()
    assert len(smtp.messages) == 1 and "F1" in str(smtp.messages[0]["Subject"])


class RecordCheckingServer(SMTPServer):
    """Asks the ledger, at the moment it accepts each message, which of the reminders it
    accepted before are recorded as sent."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self.accepted: list[int] = []
        self.unrecorded: list[list[int]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = MESSAGE_ID.search(bytes(envelope.content))
        assert found is not None
        with unit_of_work(self.engine, read_only=True) as db:  # a snapshot: no write lock
            sent = set(db.exec(select(Reminder.id).where(Reminder.status == "sent")))
        self.unrecorded.append([i for i in self.accepted if i not in sent])
        self.accepted.append(int(found.group(1)))
        return await super().handle_DATA(server, session, envelope)


MESSAGE_ID = re.compile(rb"Message-ID: <reminder-(\d+)-\d+@")


def test_each_message_is_accepted_only_after_the_previous_one_is_recorded_as_sent(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """architecture.md §1.8: the record of a sent reminder is committed before the SMTP server
    accepts the next message (the recording overlaps the next message's transfer, but not its
    final "."), so a crash can repeat at most the one message in flight. Each record is made
    slow (a trigger doing busy work), so that a message accepted too early would be seen."""
    for n in range(8):
        create(engine, clock, owner, discovered_on=date(2026, 9, 20), title=f"Late {n}")
    with engine.begin() as db:
        backends.slow_inserts(db, "notification")
    server = RecordCheckingServer(engine)
    server.start()
    try:
        assert dispatcher(engine, clock, server.port).tick().sent == 8
    finally:
        server.stop()
    assert len(server.accepted) == len(set(server.accepted)) == 8
    assert server.unrecorded == [[]] * 8


def test_a_record_that_fails_stops_the_batch_and_repeats_only_the_message_in_flight(
    engine: Engine, clock: FixedClock, smtp: SMTPServer, owner: User
) -> None:
    """The database refuses the record of the second of four reminders after the server took
    its message: the tick fails, the third message (already handed over up to its final ".")
    is not delivered, and once the claims' lease has passed the next tick sends the second
    again (the one repeat, same Message-ID), the third and the fourth: none lost."""
    for n in range(4):
        create(engine, clock, owner, discovered_on=date(2026, 9, 20), title=f"Late {n}")
    due = [r.id for r in ledger(engine) if r.status == "pending" and r.send_at <= clock.now()]
    assert len(due) == 4
    with engine.begin() as db:
        backends.refuse_inserts(db, "notification", "disk full", when=f"NEW.reminder_id = {due[1]}")
    with pytest.raises(DBAPIError, match="disk full"):
        dispatcher(engine, clock, smtp.port).tick()
    sent_ids = [int(m.group(1)) for m in map(MESSAGE_ID.search, (r for _, r in smtp.raw)) if m]
    assert sent_ids == due[:2]
    assert [r.status for r in ledger(engine) if r.id in due] == ["sent"] + ["claimed"] * 3
    with engine.begin() as db:
        backends.drop_trigger(db, "notification", "refuse_notification")
    clock.advance(minutes=6)
    assert dispatcher(engine, clock, smtp.port).tick().sent == 3
    sent_ids = [int(m.group(1)) for m in map(MESSAGE_ID.search, (r for _, r in smtp.raw)) if m]
    assert sent_ids == [due[0], due[1], due[1], due[2], due[3]]
    assert [r.status for r in ledger(engine) if r.id in due] == ["sent"] * 4
