"""The register after its speed work: the same rows, the same refusals and one
pooled connection per request, each unit of work still its own transaction.

The register reads its page from the covering index first and only then the 25 rows; the request
keeps one connection for its units of work (runtime.call). These tests pin what must not change
with that: restricted incidents hidden on every page and from the count, the
server-side session checked on every request (HIPAA 164.312(a)(2)(iii), (d)), CSRF on the search
form, and one transaction per use case (architecture.md §1.4).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import BEGINS, make_engine, unit_of_work
from incident_tracker.db.models import User
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from incident_tracker.web import runtime
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in

SEEDER = Actor(None, "seed", trusted=True)
ROW = re.compile(r'<a href="/incidents/(\d+)">(INC-[0-9-]+)</a>')
HIDDEN = (0, 10, 20)  # restricted to the colleague, the officer not assigned
ASSIGNED = 5  # restricted to the colleague, the officer assigned: visible to the officer


@pytest.fixture
def colleague(settings: Settings) -> User:
    return make_user(settings, "colleague@example.org", "privacy_officer")


def seed_thirty(settings: Settings, clock: FixedClock, officer: User, colleague: User) -> None:
    """Incidents 0-29, incident n discovered 1 Aug 2026 + n days (so the register, newest first,
    lists 29 down to 0); 0, 10, 20 and 5 restricted to the colleague, the officer assigned to 5."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, SEEDER, clock.now(), AUDIT_KEY)
            for n in range(30):
                restricted = n in (*HIDDEN, ASSIGNED)
                incidents.create(
                    call,
                    IncidentValues(
                        title=f"Register row {n}",
                        discovered_on=date(2026, 8, 1) + timedelta(days=n),
                        breach_type="unauthorized_access_disclosure",
                        location="email",
                        states={"NY": 10 + n},
                        data_elements=("name", "ssn"),
                        acquired=True,
                        phi_encrypted=False,
                        risk_assessment="not_low_probability",
                        restricted=restricted,
                        owner_id=colleague.id if restricted else officer.id,
                        assignee_ids=(officer.id or 0,) if n == ASSIGNED else (),
                    ),
                )
    finally:
        engine.dispose()


def titles(client: FlaskClient, path: str) -> tuple[list[int], str]:
    """The row numbers n ("Register row n") listed on a page, in order, and the page."""
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    return [int(n) for n in re.findall(r"<td>Register row (\d+)</td>", page)], page


def test_restricted_incidents_are_missing_from_every_page_and_from_the_count(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User, admin: User
) -> None:
    """0, 10 and 20 are restricted to the colleague, so the officer sees 27 of 30
    (5 is restricted too, but the officer is assigned); page 1 holds the 25 newest of those
    (29-21, 19-11, 9-3), page 2 the last two (2, 1). The admin has no standing access to
    restricted incidents (45 CFR 164.502(b)): 26 (not 0, 5, 10, 20), 1 on page 2."""
    seed_thirty(settings, clock, officer, colleague)
    as_officer, as_admin = app.test_client(), app.test_client()
    sign_in(as_officer, officer.email)
    sign_in(as_admin, admin.email)

    first, page = titles(as_officer, "/incidents")
    second, _ = titles(as_officer, "/incidents?page=2")
    assert "27 incidents." in page and "Page 1 of 2" in page
    assert first == [*range(29, 20, -1), *range(19, 10, -1), *range(9, 2, -1)]
    assert second == [2, 1]
    assert titles(as_officer, "/incidents?page=3")[0] == []
    admin_second, admin_page = titles(as_admin, "/incidents?page=2")
    assert "26 incidents." in admin_page and admin_second == [1]
    restricted_tags = page.count('<span class="tag">restricted</span>')
    assert restricted_tags == 1  # incident 5, the officer's by assignment
    links = ROW.findall(page)
    assert len(links) == 25 and all(number.startswith("INC-") for _, number in links)


def test_filters_and_search_keep_their_meaning(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """The same statements serve every filter shape with the values bound: status and owner
    narrow the 27 the officer may see; a title search finds only visible incidents, and an
    incident number in lower case finds that incident."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)

    owned, page = titles(client, f"/incidents?owner={colleague.id}")
    assert owned == [5] and "1 incident." in page
    mine, page = titles(client, f"/incidents?owner={officer.id}&status=intake")
    assert "26 incidents." in page and len(mine) == 25  # 30 less the 4 the colleague owns
    assert titles(client, f"/incidents?owner={officer.id}&status=closed")[0] == []
    token = csrf_token(client, "/incidents")
    for typed in ("Register row 2", "REGISTER ROW 2"):  # letter case ignored on both backends
        found = client.post("/incidents/search", data={"csrf_token": token, "q": typed})
        page = found.get_data(True)
        listed = [int(n) for n in re.findall(r"<td>Register row (\d+)</td>", page)]
        assert listed == [29, 28, 27, 26, 25, 24, 23, 22, 21, 2]  # not 20, restricted to another
    number = ROW.findall(titles(client, "/incidents")[1])[0][1]
    by_number = client.post("/incidents/search", data={"csrf_token": token, "q": number.lower()})
    assert re.findall(r"<td>Register row (\d+)</td>", by_number.get_data(True)) == ["29"]


def test_the_search_form_still_needs_its_csrf_token_and_pages_carry_the_headers(
    client: FlaskClient, officer: User
) -> None:
    """ASVS 5.0 3.5.1: the POST search without a token is refused (400); the register is
    served with the security headers and `no-store` (ASVS 3.4)."""
    sign_in(client, officer.email)
    assert client.post("/incidents/search", data={"q": "x"}).status_code == 400
    response = client.get("/incidents")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_revoked_or_idle_session_gets_no_register_page(
    app: Flask, clock: FixedClock, officer: User
) -> None:
    """HIPAA 164.312(a)(2)(iii) automatic logoff and (d): the session row is read on every
    request. A cookie replayed after sign-out, and a session idle for 15 minutes, are sent to
    the sign-in page instead of the register."""
    replayed, idle = app.test_client(), app.test_client()
    sign_in(replayed, officer.email)
    sign_in(idle, officer.email)
    cookie = replayed.get_cookie("session")
    assert cookie is not None and replayed.get("/incidents").status_code == 200
    replayed.post("/logout", data={"csrf_token": csrf_token(replayed, "/")})
    replayed.set_cookie("session", cookie.value)
    refused = replayed.get("/incidents")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]

    clock.advance(minutes=14, seconds=59)
    assert idle.get("/incidents").status_code == 200
    clock.advance(minutes=15, seconds=1)
    ended = idle.get("/incidents")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]


# One bound parameter as the statement shows it: SQLite's `?`, psycopg's `%(name)s::TYPE`.
PARAM = r"(\?|%\(\w+\)s(::\w+)?)"


@pytest.fixture
def pool_and_transactions(app: Flask) -> Iterator[dict[str, Any]]:
    """Pool check-outs, BEGINs and COMMITs on the app's engine, and the statements run."""
    counts: dict[str, Any] = {"checkout": 0, "begin": 0, "commit": 0, "statements": []}
    engine = app.extensions["incident_tracker.engine"]

    def checkout(*_: Any) -> None:
        counts["checkout"] += 1

    begins = BEGINS[engine.dialect.name]

    def statement(*args: Any) -> None:
        counts["begin"] += args[2].strip() in begins
        counts["statements"].append(args[2])

    def commit(*_: Any) -> None:
        counts["commit"] += 1

    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    yield counts
    event.remove(engine.pool, "checkout", checkout)
    event.remove(engine, "before_cursor_execute", statement)
    event.remove(engine, "commit", commit)


def test_a_register_request_reuses_the_workers_connection_and_commits_each_unit_of_work(
    app: Flask,
    settings: Settings,
    clock: FixedClock,
    officer: User,
    colleague: User,
    pool_and_transactions: dict[str, Any],
) -> None:
    """architecture.md §1.4, one transaction per use case: the register and the header badge
    each begin and commit their own transaction (the session check is one statement outside any),
    on the connection the worker keeps between requests: no pool check-out at all once it has
    one (it was three check-outs, one per unit of work). A deep page runs the very statements of
    the first (no per-row queries), its ids aside."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)
    client.get("/incidents")
    app.extensions["incident_tracker.kept"].resize(0)  # nothing kept: every unit queries
    ran = {}
    for path in ("/incidents", "/incidents?page=2"):
        pool_and_transactions.update(checkout=0, begin=0, commit=0, statements=[])
        assert client.get(path).status_code == 200
        assert pool_and_transactions["checkout"] == 0
        assert pool_and_transactions["begin"] == pool_and_transactions["commit"] >= 2
        ran[path] = [
            re.sub(rf"IN \({PARAM}(, {PARAM})*\)", "IN (...)", sql)  # the page's ids, 25 or fewer
            for sql in pool_and_transactions["statements"]
        ]
    assert ran["/incidents"] == ran["/incidents?page=2"]


def test_a_unit_of_work_opened_inside_another_is_a_transaction_of_its_own(
    app: Flask, officer: User
) -> None:
    """The request's connection is lent only while idle: a unit of work opened while another is
    open (a template rendering inside a view's transaction) runs on a pool connection and does
    not see the outer one's uncommitted row; after the outer commits, a new unit sees it."""
    writer = Actor(officer.id, officer.email, "privacy_officer", trusted=True)
    count = text("SELECT count(*) FROM scheduler_state WHERE pid = 4242")
    with app.test_request_context("/incidents"):
        with runtime.call(writer) as outer:
            outer.session.execute(
                text("INSERT INTO scheduler_state (pid, last_result) VALUES (4242, '')")
            )
            with runtime.call(writer, read_only=True) as inner:
                assert inner.session.connection() is not outer.session.connection()
                assert inner.session.execute(count).scalar() == 0
        with runtime.call(writer, read_only=True) as after:
            assert after.session.execute(count).scalar() == 1


def test_a_unit_of_work_on_a_held_connection_commits_or_rolls_back_only_itself(
    settings: Settings,
) -> None:
    """db.unit_of_work on a Connection: committed at the end, rolled back on an error, and
    refused on a connection already inside a transaction (it could not be its own)."""
    engine = make_engine(settings.db_url)
    add = text("INSERT INTO scheduler_state (pid, last_result) VALUES (:n, '')")
    try:
        with engine.connect() as held:
            with unit_of_work(held) as session:
                session.execute(add, {"n": 1})
            with pytest.raises(ZeroDivisionError), unit_of_work(held) as session:
                session.execute(add, {"n": 2})
                _ = 1 / 0
            assert not held.in_transaction()
            with unit_of_work(held, read_only=True) as session:
                pids = session.execute(text("SELECT pid FROM scheduler_state")).scalars().all()
            assert pids == [1]
            held.begin()
            with pytest.raises(RuntimeError), unit_of_work(held):
                pass
            held.rollback()
    finally:
        engine.dispose()
