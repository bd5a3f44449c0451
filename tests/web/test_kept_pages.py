"""Pages kept in memory per data generation (services/kept.py, web/fragments.py).

Keeping a page must never show a viewer something stale or somebody else's: every change moves
`data_generation` (database triggers, so a change made by another process or in plain SQL counts
too), keys name the viewer, role, badge and date, each response carries its own session's CSRF
token, and the access check and the audit row of an incident view run on every request.
"""

from __future__ import annotations

import re
import threading

import pytest
from flask import Flask
from sqlalchemy import text

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import User
from incident_tracker.services.audit import Actor
from incident_tracker.services.kept import Store, read_generation
from incident_tracker.web import runtime
from tests import backends
from tests.conftest import csrf_token, make_user, sign_in
from tests.web.test_register_pages import seed_thirty, titles

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def colleague(settings: Settings) -> User:
    return make_user(settings, "colleague@example.org", "privacy_officer")


def kept(app: Flask) -> Store:
    store: Store = app.extensions["incident_tracker.kept"]
    return store


def sql(settings: Settings, statement: str, **values: object) -> None:
    """A change made outside the app (another process, an operator's SQL)."""
    with backends.raw(settings.db_url) as db:
        db.execute(text(statement), values)
        db.commit()


def test_a_change_made_in_plain_sql_shows_on_the_next_request(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """The register page was kept; an UPDATE outside the app moves the generation (trigger), so
    the very next request renders afresh. The board and the incident page likewise."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)
    assert "Register row 29" in titles(client, "/incidents")[1]
    assert len(kept(app)) > 0
    sql(settings, "UPDATE incident SET title = 'Renamed in SQL' WHERE title = 'Register row 29'")
    page = titles(client, "/incidents")[1]
    assert "Renamed in SQL" in page and "Register row 29" not in page
    incident_id = re.search(r'<a href="/incidents/(\d+)">', page)
    assert incident_id
    path = f"/incidents/{incident_id.group(1)}"
    assert "Renamed in SQL" in client.get(path).get_data(as_text=True)
    sql(settings, "UPDATE incident SET title = 'Renamed again' WHERE title = 'Renamed in SQL'")
    assert "Renamed again" in client.get(path).get_data(as_text=True)


def test_a_kept_register_page_is_never_served_to_another_viewer(
    app: Flask,
    settings: Settings,
    clock: FixedClock,
    officer: User,
    colleague: User,
    admin: User,
) -> None:
    """Incidents 0, 10 and 20 are restricted to the colleague. After the colleague's page 2 is
    kept, the officer's page 2 still lacks them, and so does the admin's (no standing access:
    5, the officer's by assignment, is missing too)."""
    seed_thirty(settings, clock, officer, colleague)
    as_colleague, as_officer, as_admin = app.test_client(), app.test_client(), app.test_client()
    sign_in(as_colleague, colleague.email)
    sign_in(as_officer, officer.email)
    sign_in(as_admin, admin.email)
    for _ in range(2):
        assert titles(as_colleague, "/incidents?page=2")[0] == [4, 3, 2, 1, 0]
        assert titles(as_officer, "/incidents?page=2")[0] == [2, 1]
        assert titles(as_admin, "/incidents?page=2")[0] == [1]


def test_a_restricted_incident_page_kept_for_its_owner_is_still_404_for_others(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """The access check runs before the kept page is looked up."""
    seed_thirty(settings, clock, officer, colleague)
    as_colleague, as_officer = app.test_client(), app.test_client()
    sign_in(as_colleague, colleague.email)
    sign_in(as_officer, officer.email)
    page = titles(as_colleague, "/incidents?page=2")[1]
    hidden = re.findall(r'<a href="(/incidents/\d+)">', page)[-1]  # incident 0
    for _ in range(2):
        assert as_colleague.get(hidden).status_code == 200
        assert as_officer.get(hidden).status_code == 404


def test_every_view_of_a_kept_incident_page_is_audited(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """The page may come from memory; its view is still an audit row, one per request."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)
    path = re.findall(r'<a href="(/incidents/\d+)">', titles(client, "/incidents")[1])[0]
    with backends.raw(settings.db_url) as db:

        def views() -> int:
            found = "SELECT count(*) FROM audit_event WHERE action = 'incident.view'"
            count = int(db.execute(text(found)).scalar_one())
            db.commit()  # the next count reads what committed since
            return count

        before = views()
        for _ in range(3):
            assert client.get(path).status_code == 200
        assert views() == before + 3


def test_each_session_gets_its_own_csrf_token_in_a_kept_page(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """Two browsers of the same officer: the second is served the page kept for the first, with
    its own token in every form, and its search POST is accepted; the first's token is not
    valid in the second session."""
    seed_thirty(settings, clock, officer, colleague)
    first, second = app.test_client(), app.test_client()
    sign_in(first, officer.email)
    sign_in(second, officer.email)
    first_tokens = set(TOKEN.findall(titles(first, "/incidents")[1]))
    second_tokens = set(TOKEN.findall(titles(second, "/incidents")[1]))
    assert len(first_tokens) == len(second_tokens) == 1 and first_tokens != second_tokens
    (token,) = second_tokens
    found = second.post("/incidents/search", data={"q": "Register row 7", "csrf_token": token})
    assert found.status_code == 200 and "Register row 7" in found.get_data(as_text=True)
    (stranger,) = first_tokens
    refused = second.post("/incidents/search", data={"q": "x", "csrf_token": stranger})
    assert refused.status_code == 400


def test_search_terms_are_not_kept(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """Titles may carry sensitive words: a search is answered, never kept, even in memory."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)
    token = csrf_token(client, "/incidents")
    response = client.post("/incidents/search", data={"q": "Register row 12", "csrf_token": token})
    assert "Register row 12" in response.get_data(as_text=True)
    assert "Register row 12" not in repr(list(kept(app)._entries))


def test_a_flashed_message_is_shown_once_and_not_kept(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """A page with a flashed message is rendered, not kept: the next request has no message."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)
    assert titles(client, "/incidents")[0]  # kept without a message
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Saved just now.")]
    assert "Saved just now." in client.get("/incidents").get_data(as_text=True)
    assert "Saved just now." not in client.get("/incidents").get_data(as_text=True)


def test_days_left_follow_the_organisations_date(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """The organisation's date is part of every key: the page kept yesterday is not served
    today (nothing else changed)."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)
    before = re.findall(r"\((\d+) days (?:left|overdue)\)", titles(client, "/incidents")[1])
    clock.advance(days=1)
    sign_in(client := app.test_client(), officer.email)
    after = re.findall(r"\((\d+) days (?:left|overdue)\)", titles(client, "/incidents")[1])
    assert before and after and before != after


def test_the_store_keeps_only_the_newest_generation() -> None:
    """A newer generation drops everything; an older one is answered but not kept; the least
    recently used entry goes first when the store is full."""
    store = Store(max_entries=2)
    calls: list[str] = []

    def build(value: str) -> str:
        calls.append(value)
        return value

    assert store.get(5, "a", lambda: build("a5")) == "a5"
    assert store.get(5, "a", lambda: build("again")) == "a5"
    assert store.get(4, "a", lambda: build("a4")) == "a4"  # an older snapshot
    assert store.get(5, "a", lambda: build("again")) == "a5"
    assert store.get(6, "a", lambda: build("a6")) == "a6"
    store.get(6, "b", lambda: build("b6"))
    store.get(6, "a", lambda: build("again"))  # a is now the most recent
    store.get(6, "c", lambda: build("c6"))  # evicts b
    assert store.get(6, "b", lambda: build("b6 again")) == "b6 again"
    assert calls == ["a5", "a4", "a6", "b6", "c6", "b6 again"]


def test_after_its_own_write_a_request_keys_by_the_new_generation(
    app: Flask, officer: User
) -> None:
    """A request that changed data (a unit of work that wrote) must not be answered from what
    was kept before its change: the unit re-reads the generation before it commits."""
    writer = Actor(officer.id, officer.email, "privacy_officer", trusted=True)
    with app.test_request_context("/incidents"):
        with runtime.call(writer, read_only=True) as c:
            runtime.note_generation(c.session.connection())
        assert runtime.remember("answer", lambda: "before") == "before"
        assert runtime.remember("answer", lambda: "not asked") == "before"
        with runtime.call(writer) as c:
            c.session.execute(
                text("INSERT INTO user_preference (user_id, daily_digest) VALUES (:u, true)"),
                {"u": officer.id},
            )
        assert runtime.remember("answer", lambda: "after") == "after"


def test_a_view_s_audit_row_keeps_the_generation_the_request_read(
    app: Flask, officer: User
) -> None:
    """An incident view's audit-only unit does not read the generation again (web/runtime.py):
    the audit trail has no generation trigger (migration 0010), so what was kept still holds."""
    viewer = Actor(officer.id, officer.email, "privacy_officer", trusted=True)
    with app.test_request_context("/incidents/1"):
        with runtime.call(viewer, read_only=True) as c:
            runtime.note_generation(c.session.connection())
            before = read_generation(c.session.connection())
        assert runtime.remember("answer", lambda: "before") == "before"
        with runtime.call(viewer, audit_only=True) as c:
            c.audit("incident.view", object_type="incident", object_id=1)
        with runtime.call(viewer, read_only=True) as c:
            assert read_generation(c.session.connection()) == before
        assert runtime.remember("answer", lambda: "not asked") == "before"


def test_an_older_snapshot_can_render_kept_fragments_inside_a_kept_page() -> None:
    """A page built for a request that read an older generation (another thread wrote since)
    renders its kept fragments through the same store: the build runs outside the store's lock,
    or the thread would wait for itself and hold its database transaction forever."""
    store = Store()
    store.get(7, "newer", lambda: "from a request that read generation 7")

    def page() -> str:
        return "page with " + store.get(6, "fragment", lambda: "fragment")

    answers: list[str] = []
    worker = threading.Thread(
        target=lambda: answers.append(store.get(6, "page", page)), daemon=True
    )
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the build waited for the store's lock"
    assert answers == ["page with fragment"]
    assert store.get(7, "page", lambda: "built again") == "built again"  # 6's was not kept


def test_the_store_holds_at_most_its_byte_budget() -> None:
    """Pages are text: the least recently used go first once their total passes the budget."""
    store = Store(max_entries=100, max_bytes=10)
    store.get(1, "a", lambda: "aaaaaa")
    store.get(1, "b", lambda: "bbbbbb")  # 12 bytes: a goes
    assert len(store) == 1
    assert store.get(1, "b", lambda: "not asked") == "bbbbbb"
    assert store.get(1, "a", lambda: "fresh") == "fresh"  # 11 bytes: b goes
    assert len(store) == 1


def test_a_remembered_cookie_is_still_refused_after_sign_out(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, colleague: User
) -> None:
    """The decoded cookie is remembered for a minute (web/cookies.py), but the server-side
    session decides: replaying the cookie after sign-out is a redirect to sign in (ASVS 7.4.1),
    and changing the remembered copy does not change what the next request decodes."""
    seed_thirty(settings, clock, officer, colleague)
    sign_in(client := app.test_client(), officer.email)
    assert client.get("/incidents").status_code == 200
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    with client.session_transaction() as session:
        session["scratch"] = "changed in one request only"
    client.set_cookie(cookie.key, cookie.value)
    with client.session_transaction() as session:
        assert "scratch" not in session
    token = csrf_token(client, "/incidents")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie(cookie.key, cookie.value)
    response = replay.get("/incidents")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
