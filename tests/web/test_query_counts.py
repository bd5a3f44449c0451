"""The number of SQL statements a page runs does not grow with the number of rows:
no N+1 queries on the register, the deadline board or the incident page).

Statements are counted with an SQLAlchemy `before_cursor_execute` listener on the app's engine,
for whole requests through the test client: the session check, the permission check, the audit
row of an incident view and the page's own queries are all included.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlmodel import select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import BEGINS, make_engine, unit_of_work
from incident_tracker.db.models import ObligationRecord, User
from incident_tracker.services import evidence, incidents, sending
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, make_user, sign_in

SEEDER = Actor(None, "seed", trusted=True)
STATE_MIXES: tuple[dict[str, int], ...] = (
    {"NY": 600},
    {"NJ": 1200, "CA": 40},
    {"CA": 700, "TX": 5},
    {"PA": 20},
    {"NY": 6000, "NJ": 30, "FL": 3},
)
TEN_STATES = ("NY", "NJ", "CA", "TX", "PA", "FL", "OH", "DC", "PR", "MA")
INCIDENT_LINK = re.compile(r'href="/incidents/(\d+)"')


@dataclass(frozen=True)
class People:
    officer: User
    colleague: User
    reviewer: User


@pytest.fixture
def people(settings: Settings) -> People:
    return People(
        make_user(settings, "officer@example.org", "privacy_officer"),
        make_user(settings, "colleague@example.org", "privacy_officer"),
        make_user(settings, "reviewer@example.org", "legal_reviewer"),
    )


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends to SQLite, in order."""
    seen: list[str] = []
    engine = app.extensions["incident_tracker.engine"]

    def record(*args: Any) -> None:
        seen.append(args[2])  # (conn, cursor, statement, parameters, context, executemany)

    app.extensions["incident_tracker.kept"].resize(0)  # every request cold: worst case
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def officer_client(client: FlaskClient, people: People) -> FlaskClient:
    sign_in(client, people.officer.email)
    return client


def values(n: int, people: People, **over: Any) -> IncidentValues:
    """Incident `n` of a varied register: discovered over 120 days (some overdue, some due this
    week, some later), different States, owners and assignees; every tenth restricted to a
    colleague, so the officer must not see it."""
    restricted = n % 10 == 0
    data: dict[str, Any] = {
        "title": f"Incident {n}",
        "discovered_on": date(2026, 7, 25) + timedelta(days=(n * 7) % 120),
        "breach_type": "unauthorized_access_disclosure",
        "location": "network_server",
        "states": STATE_MIXES[n % len(STATE_MIXES)],
        "data_elements": ("name", "ssn", "diagnosis"),
        "acquired": True,
        "phi_encrypted": False,
        "risk_assessment": "not_low_probability",
        "restricted": restricted,
        "owner_id": people.colleague.id if restricted or n % 3 == 0 else people.officer.id,
        "assignee_ids": () if restricted else ((people.reviewer.id or 0),) * (n % 2),
    }
    data.update(over)
    return IncidentValues(**data)


def seed(settings: Settings, clock: FixedClock, people: People, numbers: range) -> None:
    """Incidents created through the service, so each has its computed obligations."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, SEEDER, clock.now(), AUDIT_KEY)
            for n in numbers:
                incidents.create(call, values(n, people))
    finally:
        engine.dispose()


def measure(client: FlaskClient, statements: list[str], path: str) -> tuple[list[str], str]:
    """The statements run by one GET of `path`, and the page (to check it shows what it should)."""
    statements.clear()
    response = client.get(path)
    assert response.status_code == 200, path
    return list(statements), response.get_data(as_text=True)


def explain(small: list[str], large: list[str]) -> str:
    """The statements the larger page ran more often (`IN (?, ?, ...)` lists folded together)."""
    fold = [re.sub(r"\(\?(?:, \?)*\)", "(?...)", s) for s in (*small, *large)]
    extra = Counter(fold[len(small) :]) - Counter(fold[: len(small)])
    return f"{len(small)} vs {len(large)} statements; extra: {extra.most_common(3)}"


def test_register_and_board_run_the_same_number_of_queries_for_5_and_60_incidents(
    settings: Settings,
    clock: FixedClock,
    people: People,
    officer_client: FlaskClient,
    statements: list[str],
) -> None:
    """No N+1 on /incidents (pages 1 and 2) or on / (the deadline board): the statements of each
    request are the same in number with 5 incidents and with 60, while the pages list more."""
    paths = ("/incidents", "/incidents?page=2", "/")
    seed(settings, clock, people, range(5))
    few = {path: measure(officer_client, statements, path) for path in paths}
    seed(settings, clock, people, range(5, 60))
    many = {path: measure(officer_client, statements, path) for path in paths}

    for path in paths:
        assert len(many[path][0]) == len(few[path][0]), f"{path}: " + explain(
            few[path][0], many[path][0]
        )
    # 4 of the first 5 and 54 of 60 are visible (every tenth is restricted to a colleague).
    assert len(INCIDENT_LINK.findall(few["/incidents"][1])) == 4
    assert len(INCIDENT_LINK.findall(few["/incidents?page=2"][1])) == 0
    assert "54 incidents." in many["/incidents"][1]
    assert len(INCIDENT_LINK.findall(many["/incidents"][1])) == 25
    assert len(INCIDENT_LINK.findall(many["/incidents?page=2"][1])) == 25
    assert len(INCIDENT_LINK.findall(many["/"][1])) > len(INCIDENT_LINK.findall(few["/"][1])) > 0


def detailed(settings: Settings, clock: FixedClock, people: People, size: int) -> int:
    """One incident with `size` States, law-enforcement statements, attachments and assignees,
    and its F1 recorded as done (so the page names who recorded it)."""
    storage: Path = settings.instance_path / "attachments"
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, SEEDER, clock.now(), AUDIT_KEY)
            states = {s: 100 * (i + 1) for i, s in enumerate(TEN_STATES[:size])}
            assignees = (people.officer.id or 0, people.reviewer.id or 0)[: min(size, 2)]
            incident = incidents.create(
                call,
                values(1, people, states=states, assignee_ids=assignees, title=f"{size} of each"),
            )
            for i in range(size):
                document = evidence.attach(
                    call, incident, storage, f"statement-{i}.txt", b"statement", "letter"
                )
                evidence.add_hold(
                    call,
                    incident,
                    evidence.HoldInput(
                        form="written",
                        statement_date=incident.discovered_on + timedelta(days=i + 1),
                        delay_until=incident.discovered_on + timedelta(days=30 + i),
                        official=f"Detective {i}",
                        agency="NYPD",
                        notices_affected="all",
                        attachment_id=document.id,
                    ),
                )
            f1 = session.exec(
                select(ObligationRecord).where(
                    ObligationRecord.incident_id == incident.id, ObligationRecord.rule_id == "F1"
                )
            ).one()
            officer = Actor(
                people.officer.id, people.officer.email, "privacy_officer", trusted=True
            )
            sending.record_sent(
                Call(session, officer, clock.now(), AUDIT_KEY),
                incident,
                f1.id or 0,
                sending.SentInput(clock.now().date(), "mail", None, ""),
            )
            return incident.id or 0
    finally:
        engine.dispose()


SECTIONS = ("", "/obligations", "/notices", "/assessment", "/facts", "/evidence", "/people")
SECTIONS += ("/history",)


def test_incident_summary_and_each_section_run_the_same_number_of_queries_for_1_and_10_rows(
    settings: Settings,
    clock: FixedClock,
    people: People,
    officer_client: FlaskClient,
    statements: list[str],
) -> None:
    """No N+1 on /incidents/<id> (the summary) or on any of its sections: one State, statement,
    attachment and assignee, or ten States, ten statements and ten attachments (and more
    obligations, each with versions), run the same number of statements on each page, the audit
    row of the view (HIPAA 164.312(b)) included."""
    small_id = detailed(settings, clock, people, 1)
    large_id = detailed(settings, clock, people, 10)
    small: dict[str, str] = {}
    large: dict[str, str] = {}
    for section in SECTIONS:
        few, small[section] = measure(officer_client, statements, f"/incidents/{small_id}{section}")
        many, large[section] = measure(
            officer_client, statements, f"/incidents/{large_id}{section}"
        )
        assert len(many) == len(few), section + ": " + explain(few, many)
        assert any(s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT") for s in many)

    evidence_small, evidence_large = small["/evidence"], large["/evidence"]
    assert evidence_small.count("Detective ") == 1 and evidence_large.count("Detective ") == 10
    assert evidence_small.count("statement-") == 2  # listed, and offered for a new statement
    assert evidence_large.count("statement-") == 20
    assert "MA 1,000" in large["/people"] and "reviewer@example.org" in large["/people"]
    assert large["/obligations"].count('id="obligation-') > small["/obligations"].count(
        'id="obligation-'
    )
    assert "by mail (officer@example.org)" in small["/obligations"]
    # Discovered 2026-08-01 (2026-07-25 + 7 days); statement i delays until 2026-08-31 + i days,
    # so the last ends 2026-09-09, before today (2026-11-23): none in force, each on the timeline.
    assert "No law-enforcement hold in force" in small[""]
    assert "No law-enforcement hold in force" in large[""]
    assert small[""].count("written law-enforcement statement") == 1
    assert large[""].count("written law-enforcement statement") == 10


def write_locks(statements: list[str], backend: str) -> int:
    return sum(s.strip() == BEGINS[backend][1] for s in statements)


def read_begins(statements: list[str], backend: str) -> int:
    return sum(s.strip() == BEGINS[backend][0] for s in statements)


def test_pages_that_only_read_take_no_write_lock_and_a_view_takes_it_once_for_its_audit_row(
    settings: Settings,
    clock: FixedClock,
    people: People,
    officer_client: FlaskClient,
    statements: list[str],
) -> None:
    """Readers never queue for SQLite's write lock (architecture.md §1.4: writes still begin
    IMMEDIATE): the register and the board begin deferred; an incident page takes the lock once,
    for its audit row (HIPAA 164.312(b)); the session's last_seen is written (under the lock) only
    once it is 15 s old (ASVS 5.0 7.3.1 idle timeout still counts activity)."""
    seed(settings, clock, people, range(3))
    incident_id = int(
        INCIDENT_LINK.findall(measure(officer_client, statements, "/incidents")[1])[0]
    )
    backend = make_url(settings.db_url).get_backend_name()

    for path in ("/incidents", "/incidents?page=2", "/"):
        run, _ = measure(officer_client, statements, path)
        assert write_locks(run, backend) == 0 and read_begins(run, backend) > 0, path
    viewed, _ = measure(officer_client, statements, f"/incidents/{incident_id}")
    assert write_locks(viewed, backend) == 1
    assert sum(s.lstrip().upper().startswith("INSERT INTO AUDIT_EVENT") for s in viewed) == 1

    clock.advance(seconds=14)
    assert write_locks(measure(officer_client, statements, "/incidents")[0], backend) == 0
    clock.advance(seconds=2)
    touched, _ = measure(officer_client, statements, "/incidents")
    assert write_locks(touched, backend) == 1
    assert any(s.lstrip().upper().startswith("UPDATE USER_SESSION") for s in touched)
    assert write_locks(measure(officer_client, statements, "/incidents")[0], backend) == 0
