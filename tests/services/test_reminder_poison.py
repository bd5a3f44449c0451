"""One bad record cannot stop the reminders (architecture.md §1.8), against a real SMTP server
(aiosmtpd) with an injected clock: a message that cannot be composed fails on its own and is
retried with back-off; a name holding a line break goes out on one line and adds no header
(RFC 5322 section 2.2); reminders that keep failing, claims older than their lease and a tick
that raised show on /healthz ("degraded", still 200) and on the home page of privacy officers
and admins, never with a name, an address or an error's text.

Incidents are created at Monday 2026-11-23 09:00 UTC; discovered 2026-09-20, F1 (individuals,
164.404(b)) was due 2026-11-19, so each has one "late" reminder due now.
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import Reminder, SchedulerState, SentEmail, User, UserPreference
from incident_tracker.services import organisation
from tests import backends
from tests.conftest import make_user, sign_in
from tests.services.test_dispatch import (
    MESSAGE_ID,
    SMTPServer,
    create,
    dispatcher,
    ledger,
    smtp,  # noqa: F401  (the fixture)
    trusted,
)

POISON = "Evil Co\r\nBcc: x@evil.test"
LATE = date(2026, 9, 20)


def due_now(engine: Engine, clock: FixedClock) -> list[int]:
    with Session(engine) as session:
        query = select(Reminder.id).where(
            Reminder.status == "pending", col(Reminder.send_at) <= clock.now()
        )
        return [i or 0 for i in session.exec(query)]


def reminder(engine: Engine, reminder_id: int) -> Reminder:
    with Session(engine) as session:
        found = session.get(Reminder, reminder_id)
        assert found is not None
        return found


def poison_address(engine: Engine, user: User) -> None:
    """An address an old record holds, written past the form's check as an import would."""
    with engine.begin() as db:
        db.execute(
            text("UPDATE app_user SET email = :email WHERE id = :id"),
            {"email": f"{user.email}\r\nBcc: x@evil.test", "id": user.id},
        )


def health(client: FlaskClient) -> dict[str, object]:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body, dict)
    return body


def home(client: FlaskClient) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_fifty_good_reminders_go_and_one_that_cannot_be_composed_fails_alone_and_shows(
    settings: Settings,
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    clock: FixedClock,
    smtp: SMTPServer,  # noqa: F811
    officer: User,
) -> None:
    """The poisoned reminder sits mid-chunk (25 good before it, 25 after): the other 50 are
    delivered once each in the same tick, and it goes back to pending with an attempt counted,
    its send_at 2 then 4 minutes on, and an error naming only the class and the stage. It never
    holds up a later reminder. On its third failure (notifications.FAILURE_THRESHOLD) /healthz
    is degraded and the officer's home page warns; a legal reviewer's does not."""
    reviewer = make_user(settings, "reviewer@example.org", "legal_reviewer")
    for n in range(25):
        create(engine, clock, officer, discovered_on=LATE, title=f"Good {n}")
    team = {"assignee_ids": (reviewer.id,), "title": "Poisoned"}
    create(engine, clock, officer, discovered_on=LATE, **team)
    for n in range(25, 50):
        create(engine, clock, officer, discovered_on=LATE, title=f"Good {n}")
    due = due_now(engine, clock)
    assert len(due) == 51
    poisoned = due[25]
    poison_address(engine, reviewer)
    sign_in(client, officer.email)
    d = dispatcher(engine, clock, smtp.port)

    result = d.tick()
    assert (result.sent, result.failed, result.emails) == (50, 1, 50)
    delivered = [int(m.group(1)) for m in map(MESSAGE_ID.search, (r for _, r in smtp.raw)) if m]
    assert sorted(delivered) == sorted(i for i in due if i != poisoned)
    assert all(rcpt == [officer.email] for rcpt, _ in smtp.raw)
    assert not any(b"evil" in raw for _, raw in smtp.raw)
    row = reminder(engine, poisoned)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.send_at == clock.now() + timedelta(minutes=2)
    assert row.last_error == "Uncomposable: failed composing the message"
    assert result.errors == [f"reminder {poisoned}: Uncomposable: failed composing the message"]
    assert health(client)["status"] == "ok"  # one failure may be passing: not yet a warning

    clock.advance(minutes=2)
    create(engine, clock, officer, discovered_on=LATE, title="Later")
    result = d.tick()
    assert (result.sent, result.failed) == (1, 1)  # the later one is not held up
    assert [r.offset for r in ledger(engine) if r.status == "sent"] == ["late"] * 51
    assert reminder(engine, poisoned).send_at == clock.now() + timedelta(minutes=4)
    clock.advance(minutes=4)
    assert (d.tick().sent, reminder(engine, poisoned).attempts) == (0, 3)

    body = health(client)
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["problems"] == ["1 reminder failed 3 or more times"]
    page = home(client)
    assert "1 reminder failed to send 3 or more times" in page
    assert "<code>Uncomposable</code>" in page
    assert "evil" not in page.lower()
    with Session(engine) as session:
        assert len(session.exec(select(SentEmail)).all()) == 51
    counsel = app.test_client()
    sign_in(counsel, make_user(settings, "counsel@example.org", "legal_reviewer").email)
    assert "failed to send" not in home(counsel)


def test_a_client_name_with_a_line_break_goes_out_on_one_line_and_adds_no_recipient(
    engine: Engine,
    clock: FixedClock,
    smtp: SMTPServer,  # noqa: F811
    officer: User,
) -> None:
    """A business associate's client whose stored name holds CR LF (written before the forms
    refused it): its contractual deadline's reminder names it in the subject, which goes out as
    one line; the server is asked to deliver to the officer only, and no Bcc header exists."""
    with unit_of_work(engine) as session:
        client_id = organisation.add_client(trusted(session, clock), "Evil Co", "5", False, "").id
    with engine.begin() as db:
        db.execute(
            text("UPDATE covered_entity_client SET name = :name WHERE id = :id"),
            {"name": POISON, "id": client_id},
        )
    ba = {
        "entity_type": "business_associate",
        "hipaa_covered_entity": False,
        "ba_is_agent_of_ce": False,
        "ba_agency_answered": True,
        "client_id": client_id,
    }
    create(engine, clock, officer, discovered_on=LATE, **ba)
    result = dispatcher(engine, clock, smtp.port).tick()
    assert result.failed == 0 and result.sent >= 1
    assert {r for rcpt, _ in smtp.raw for r in rcpt} == {officer.email}
    subjects = [str(m["Subject"]) for m in smtp.messages]
    assert any("Agreement with Evil Co Bcc: x@evil.test: tell the" in s for s in subjects)
    for message in smtp.messages:
        assert message["Bcc"] is None
    for _, raw in smtp.raw:
        headers = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        assert not [h for h in headers if h.lower().startswith(b"bcc")]
        assert b"Evil Co\r\n" not in raw  # nor a broken line in the body
    with Session(engine) as session:
        stored = [e.subject for e in session.exec(select(SentEmail))]
    assert any("Evil Co Bcc" in s for s in stored) and not any("\n" in s for s in stored)


def test_a_tick_that_raised_and_the_claims_it_left_show_until_they_are_dealt_with(
    settings: Settings,
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    clock: FixedClock,
    smtp: SMTPServer,  # noqa: F811
    officer: User,
) -> None:
    """The database refuses the record of the first of two reminders: the tick raises, and the
    raise is recorded (time and class). /healthz and the officer's kept home page show it at
    once; 6 minutes later (the lease is 5) the two claims it left show too (and only because
    the warnings are part of the kept page's key: no data changed meanwhile). The next tick
    re-queues and sends them; an hour after the raise /healthz is "ok" and the page is clear."""
    for n in range(2):
        create(engine, clock, officer, discovered_on=LATE, title=f"Late {n}")
    assert len(due_now(engine, clock)) == 2
    sign_in(client, officer.email)
    assert health(client)["status"] == "ok"
    assert "scheduler needs attention" not in home(client)  # kept for this generation
    with engine.begin() as db:
        backends.refuse_inserts(db, "notification", "disk full")
    with pytest.raises(DBAPIError) as failed:
        dispatcher(engine, clock, smtp.port).tick()
    error = type(failed.value).__name__  # IntegrityError on SQLite
    with Session(engine) as session:
        state = session.get(SchedulerState, 1)
        assert state is not None
        assert (state.last_error, state.last_error_at) == (error, clock.now())
    raised = f"the last tick raised {error} at 2026-11-23T09:00:00+00:00"
    assert health(client)["problems"] == [raised]
    assert raised in home(client)

    clock.advance(minutes=6)
    body = health(client)
    assert body["status"] == "degraded"
    assert body["problems"] == ["2 claims are older than their lease", raised]
    page = home(client)
    assert "2 claims are older than their lease" in page and raised in page
    other = app.test_client()
    sign_in(other, make_user(settings, "reviewer@example.org", "legal_reviewer").email)
    assert "scheduler needs attention" not in home(other)

    with engine.begin() as db:
        on = " ON notification" if db.dialect.name == "postgresql" else ""
        db.execute(text(f"DROP TRIGGER refuse_notification{on}"))
    result = dispatcher(engine, clock, smtp.port).tick()
    assert (result.requeued, result.sent) == (2, 2)
    assert health(client)["problems"] == [raised]
    clock.set(datetime(2026, 11, 23, 10, 0, 1, tzinfo=UTC))
    assert health(client) | {"scheduler": None} == {
        "status": "ok",
        "database": "ok",
        "problems": [],
        "scheduler": None,
    }
    sign_in(client, officer.email)  # the session timed out meanwhile
    assert "scheduler needs attention" not in home(client)


def test_a_digest_that_cannot_be_composed_does_not_hold_up_the_others(
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    smtp: SMTPServer,  # noqa: F811
) -> None:
    """Two users want the daily digest; the first one's stored address holds a line break: the
    second one's digest still goes, and the first is tried again on the next tick (its day is
    not marked done)."""
    first = make_user(settings, "first@example.org", "read_only")
    second = make_user(settings, "second@example.org", "read_only")
    with unit_of_work(engine) as session:
        for user in (first, second):
            session.add(UserPreference(user_id=user.id or 0, daily_digest=True))
    poison_address(engine, first)
    clock.set(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))  # 09:00 in New York
    result = dispatcher(engine, clock, smtp.port).tick()
    assert result.digests == 1 and result.errors == []
    assert [rcpt for rcpt, _ in smtp.raw] == [[second.email]]
    with Session(engine) as session:
        days = {p.user_id: p.last_digest_on for p in session.exec(select(UserPreference))}
    assert days == {first.id: None, second.id: date(2026, 11, 23)}
