"""Reminders in the app: each user's notifications, the admins' outbox of
sent e-mails, the home page's warning after repeated failed sends, and each obligation's
reminders on the incident page. Reminders come from the real dispatcher with a mail double, on
incidents created through the services, with the clock injected.

Access follows HIPAA 164.312(a)(1) and ASVS 5.0 8.2.2 (a user reaches only their own
notifications; the outbox is for admins; restricted incidents count for no one else)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, Notification, SentEmail, User
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.dispatch import Dispatcher, TickResult
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, START, csrf_token, make_user, sign_in

TRUSTED = Actor(None, "test", trusted=True)
UNREAD = re.compile(r'id="unread-count">(\d+) unread<')
ROW = re.compile(r'<tr id="notification-(\d+)">')


@dataclass
class Recording:
    """A mail server double that accepts everything."""

    sent: list[EmailMessage] = field(default_factory=list)

    @contextmanager
    def connection(self) -> Iterator[Recording]:
        yield self

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


class Down:
    """A mail server that refuses connections."""

    @contextmanager
    def connection(self) -> Iterator[Any]:
        raise ConnectionRefusedError(111, "Connection refused by smtp.internal.example:25")
        yield  # pragma: no cover


@dataclass(frozen=True)
class Team:
    officer: User  # owns INC-2026-0001
    colleague: User  # owns the restricted INC-2026-0002
    reviewer: User  # legal reviewer with no part in either
    admin: User


@pytest.fixture
def team(settings: Settings, clock: FixedClock) -> Team:
    """Two incidents of the same shape discovered 55 days ago, so their 60-day duties are on the
    short ladder and each has its "when the duty arose" reminders due now."""
    people = Team(
        make_user(settings, "officer@example.org", "privacy_officer"),
        make_user(settings, "colleague@example.org", "privacy_officer"),
        make_user(settings, "reviewer@example.org", "legal_reviewer"),
        make_user(settings, "admin@example.org", "admin"),
    )
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, TRUSTED, clock.now(), AUDIT_KEY)
            for owner, restricted in ((people.officer, False), (people.colleague, True)):
                incidents.create(
                    call,
                    IncidentValues(
                        title="Stolen laptop",
                        discovered_on=START.date() - timedelta(days=55),
                        states={"NY": 600},
                        data_elements=("name", "ssn", "diagnosis"),
                        acquired=True,
                        phi_encrypted=False,
                        risk_assessment="not_low_probability",
                        restricted=restricted,
                        owner_id=owner.id,
                    ),
                )
    finally:
        engine.dispose()
    return people


def tick(app: Flask, clock: FixedClock, mailer: Any) -> TickResult:
    engine = app.extensions["incident_tracker.engine"]
    return Dispatcher(
        engine=engine,
        audit_key=AUDIT_KEY,
        mailer=mailer,
        sender="reminders@example.org",
        base_url="http://localhost",
        now=clock.now,
    ).tick()


def client_for(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user.email)
    return client


def unread(page: str) -> int:
    found = UNREAD.search(page)
    return int(found.group(1)) if found else 0


def test_each_user_sees_only_their_own_notifications_with_an_unread_count_in_the_header(
    app: Flask, clock: FixedClock, team: Team
) -> None:
    """Notifications are personal (HIPAA 164.312(a)(1)): the officer sees the reminders e-mailed
    to them, the colleague only those of their restricted incident, the reviewer none; the header
    counts the unread ones on every page."""
    mailer = Recording()
    assert tick(app, clock, mailer).sent > 0
    to_officer = [m for m in mailer.sent if m["To"] == team.officer.email]
    to_colleague = [m for m in mailer.sent if m["To"] == team.colleague.email]
    assert to_officer and to_colleague

    officer = client_for(app, team.officer)
    page = officer.get("/notifications").get_data(as_text=True)
    assert len(ROW.findall(page)) == len(to_officer) and "[INC-2026-0001]" in page
    assert "[INC-2026-0002]" not in page
    assert unread(officer.get("/").get_data(as_text=True)) == len(to_officer)

    colleague = client_for(app, team.colleague).get("/notifications").get_data(as_text=True)
    assert len(ROW.findall(colleague)) == len(to_colleague) and "[INC-2026-0001]" not in colleague

    reviewer = client_for(app, team.reviewer)
    assert "No notifications yet." in reviewer.get("/notifications").get_data(as_text=True)
    assert unread(reviewer.get("/").get_data(as_text=True)) == 0


def test_marking_read_works_on_ones_own_notifications_only(
    app: Flask, clock: FixedClock, team: Team
) -> None:
    """Mark read is a POST with CSRF, audited; another user's notification is
    404 and stays unread (ASVS 5.0 8.2.2); "mark all" touches only the user's own."""
    tick(app, clock, Recording())
    engine = app.extensions["incident_tracker.engine"]
    with Session(engine) as session:
        mine = session.exec(select(Notification).where(Notification.user_id == team.officer.id))
        theirs = session.exec(
            select(Notification).where(Notification.user_id == team.colleague.id)
        ).first()
        own_ids = [n.id for n in mine]
    assert theirs is not None and len(own_ids) >= 2

    officer = client_for(app, team.officer)
    token = csrf_token(officer, "/notifications")
    answer = officer.post(f"/notifications/{own_ids[0]}/read", data={"csrf_token": token})
    assert answer.status_code == 302
    assert unread(officer.get("/notifications").get_data(as_text=True)) == len(own_ids) - 1
    other = officer.post(f"/notifications/{theirs.id}/read", data={"csrf_token": token})
    assert other.status_code == 404
    officer.post("/notifications/read-all", data={"csrf_token": token})
    assert unread(officer.get("/notifications").get_data(as_text=True)) == 0

    with Session(engine) as session:
        still = session.get(Notification, theirs.id)
        assert still is not None and still.read_at is None
        reads = session.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("notification.read"))
        ).all()
        assert [e.action for e in reads] == ["notification.read", "notification.read_all"]
        assert all(e.actor_email == team.officer.email for e in reads)


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = app.extensions["incident_tracker.engine"]

    def record(*args: Any) -> None:
        seen.append(args[2])

    app.extensions["incident_tracker.kept"].resize(0)  # every request cold: worst case
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def add_notifications(settings: Settings, user: User, numbers: range) -> None:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            for n in numbers:
                session.add(
                    Notification(
                        user_id=user.id or 0,
                        subject=f"Notice number {n:03d}",
                        created_at=START + timedelta(minutes=n),
                    )
                )
    finally:
        engine.dispose()


def test_the_notifications_page_is_paginated_newest_first_with_constant_queries(
    app: Flask, settings: Settings, team: Team, statements: list[str]
) -> None:
    """No N+1: 3 or 60 notifications take the same number of SQL
    statements per page; 25 per page, newest first."""
    officer = client_for(app, team.officer)
    add_notifications(settings, team.officer, range(3))
    statements.clear()
    few = officer.get("/notifications").get_data(as_text=True)
    few_count = len(statements)
    add_notifications(settings, team.officer, range(3, 60))
    statements.clear()
    first = officer.get("/notifications").get_data(as_text=True)
    assert len(statements) == few_count
    last = officer.get("/notifications?page=3").get_data(as_text=True)

    assert len(ROW.findall(few)) == 3 and len(ROW.findall(first)) == 25
    assert len(ROW.findall(last)) == 10 and "Page 3 of 3" in last
    numbers = [int(n) for n in re.findall(r"Notice number (\d{3})", first)]
    assert numbers == list(range(59, 34, -1))
    assert "Notice number 000" in last and unread(first) == 60


def test_the_outbox_is_for_admins_and_shows_what_was_sent_as_text(
    app: Flask, clock: FixedClock, team: Team
) -> None:
    """Admins read what was sent (to, subject, Message-ID, time, body) on the
    Outbox page; others are refused with 403 (ASVS 5.0 8.2.1); bodies are shown as text, never
    as HTML."""
    mailer = Recording()
    tick(app, clock, mailer)
    with unit_of_work(app.extensions["incident_tracker.engine"]) as session:
        session.add(
            SentEmail(
                to_address="x@example.org",
                subject="Markup test",
                body="<b>not bold</b>",
                message_id="<markup@example.org>",
                sent_at=clock.now(),
            )
        )
    for someone in (team.officer, team.reviewer):
        assert client_for(app, someone).get("/admin/outbox").status_code == 403

    page = client_for(app, team.admin).get("/admin/outbox").get_data(as_text=True)
    first = mailer.sent[0]
    assert f"{len(mailer.sent) + 1} e-mails." in page
    assert str(first["To"]) in page and str(first["Subject"]) in page
    assert str(first["Message-ID"]).replace("<", "&lt;").replace(">", "&gt;") in page
    assert "Open the incident: http://localhost/incidents/1" in page
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page and "<b>not bold</b>" not in page
    assert START.strftime("%Y-%m-%d %H:%M:%S") in page


def banner(app: Flask, user: User) -> str | None:
    page = client_for(app, user).get("/").get_data(as_text=True)
    found = re.search(r'<p class="notice" role="alert" id="delivery-failures">(.*?)</p>', page)
    return found.group(1) if found else None


def test_the_home_page_warns_after_three_failed_attempts_without_leaking_details(
    app: Flask, clock: FixedClock, team: Team
) -> None:
    """Repeated failure shows on the home page, for admins and privacy officers,
    with the count and the error's class only (no address, no PHI); a restricted incident's
    reminders count only for those who may see it (its owner and assignees: not the admin, who
    has no standing access, nor the officer who is not on it)."""
    first = tick(app, clock, Down())
    assert first.failed > 0 and first.failed % 2 == 0  # two incidents of the same shape
    clock.advance(minutes=2)
    assert tick(app, clock, Down()).failed == first.failed
    assert banner(app, team.admin) is None  # two failures are not yet a warning
    clock.advance(minutes=4)
    assert tick(app, clock, Down()).failed == first.failed

    for_admin, for_officer = banner(app, team.admin), banner(app, team.officer)
    assert for_admin is not None and for_officer is not None
    assert f"{first.failed // 2} reminders failed to send 3 or more times" in for_admin
    assert f"{first.failed // 2} reminders failed to send 3 or more times" in for_officer
    assert "ConnectionRefusedError" in for_officer and "smtp.internal" not in for_officer
    assert banner(app, team.reviewer) is None

    tick(app, clock, Recording())  # not yet due again: the retry waits 8 minutes
    clock.advance(minutes=8)
    assert tick(app, clock, Recording()).sent == first.failed
    assert banner(app, team.admin) is None


def test_the_incident_page_lists_each_obligations_upcoming_and_sent_reminders(
    app: Flask, clock: FixedClock, team: Team
) -> None:
    """Under each obligation on the incident's obligations page, its reminders with the step, the
    send time in the organisation's time zone (New York by default) and the status: upcoming, then
    sent; a failed send shows its attempts."""
    officer = client_for(app, team.officer)
    due = START.date() + timedelta(days=5)  # 60 days after discovery
    before = officer.get("/incidents/1/obligations").get_data(as_text=True)
    assert "when the duty arose: 2026-11-23 04:00 EST · upcoming" in before
    assert f"1 day before: {due - timedelta(days=1)} 09:00 EST · upcoming" in before
    assert f"on the due day: {due} 09:00 EST · upcoming" in before

    tick(app, clock, Down())
    failed = officer.get("/incidents/1/obligations").get_data(as_text=True)
    assert "(1 failed attempt, retrying)" in failed

    clock.advance(minutes=2)
    tick(app, clock, Recording())
    after = officer.get("/incidents/1/obligations").get_data(as_text=True)
    assert "when the duty arose: 2026-11-23 04:02 EST · sent" in after
    assert f"on the due day: {due} 09:00 EST · upcoming" in after
