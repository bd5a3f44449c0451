"""An incident's life through the web: statuses, closing and voiding, done dates feeding the
engine, the audit of views (HIPAA 164.312(b)), read-only GETs, the deadline board and the register
(filters, pages, search without PHI in URLs; ASVS 5.0 14.2.1)."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, Incident, ObligationRecord, User, UserMfa
from incident_tracker.services import evidence, incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.services.test_obligation_versions import NY_600

# Tables a GET must never change (user_session is left out: every request refreshes last_seen_at).
INCIDENT_TABLES = ("incident", "incident_state", "incident_assignee", "law_enforcement_hold")
OTHER_TABLES = ("attachment", "app_user", "organisation", "facility", "covered_entity_client")
DATA_TABLES = (*INCIDENT_TABLES, "obligation", "obligation_version", *OTHER_TABLES)
HREF = re.compile(r'\bhref="([^"]*)"')


def seed(settings: Settings, clock: FixedClock, *many: IncidentValues) -> list[int]:
    """Incidents created cheaply through the services by a trusted actor, in one transaction."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            return [incidents.create(call, values).id or 0 for values in many]
    finally:
        engine.dispose()


def obligation_ids(app: Flask, incident_id: int) -> dict[str, int]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        query = select(ObligationRecord).where(ObligationRecord.incident_id == incident_id)
        return {
            r.rule_id + (f" {r.state}" if r.state else ""): r.id or 0 for r in session.exec(query)
        }


def audit_actions(app: Flask, incident_id: int) -> list[str]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        query = select(AuditEvent).where(
            AuditEvent.object_type == "incident", AuditEvent.object_id == str(incident_id)
        )
        return [e.action for e in session.exec(query.order_by(col(AuditEvent.id)))]


def stored(app: Flask, incident_id: int) -> Incident:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        found = session.get(Incident, incident_id)
        assert found is not None
        return found


def obligation_row(page: str, obligation_id: int) -> str:
    """The text of one obligation's row, tags removed and spaces collapsed."""
    found = re.search(rf'<tr id="obligation-{obligation_id}".*?</tr>', page, re.S)
    assert found, f"obligation {obligation_id} is not on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def history_of(page: str, obligation_id: int) -> str:
    """The text of one obligation's computations on the history page."""
    found = re.search(
        rf'<details class="duty-history" id="history-{obligation_id}".*?</details>', page, re.S
    )
    assert found, f"obligation {obligation_id} has no history on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def move(client: FlaskClient, incident_id: int, status: str, **extra: str) -> Any:
    token = csrf_token(client, f"/incidents/{incident_id}")
    data = {"csrf_token": token, "status": status, "note": "", **extra}
    return client.post(f"/incidents/{incident_id}/status", data=data)


def test_status_moves_through_the_lifecycle_and_every_transition_is_audited(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """Intake -> assessment -> notification; closing needs a note, and with legal duties still
    open the confirm box (the 422 names the count: F1, F3 NY, F4, NY1, NY3 x3, NY5 = 8); void
    needs a reason; reopening from closed or void is `incident.reopen`. Each change is one audit
    row (HIPAA 164.312(b)); a refused change writes none."""
    (incident_id,) = seed(settings, clock, replace(NY_600, owner_id=officer.id))
    sign_in(client, officer.email)
    assert stored(app, incident_id).status == "intake"
    for status in ("assessment", "notification"):
        assert move(client, incident_id, status).status_code == 302
        assert stored(app, incident_id).status == status

    no_note = move(client, incident_id, "closed")
    assert no_note.status_code == 422
    assert "write a closing note: what was done and why it ends" in no_note.get_data(as_text=True)
    unconfirmed = move(client, incident_id, "closed", note="Letters and filings complete")
    assert unconfirmed.status_code == 422
    assert "8 legal obligation(s) are not recorded as done; tick to close anyway" in (
        unconfirmed.get_data(as_text=True)
    )
    assert stored(app, incident_id).status == "notification"
    closed = move(
        client, incident_id, "closed", note="Letters and filings complete", confirm_open="1"
    )
    assert closed.status_code == 302
    assert (stored(app, incident_id).status, stored(app, incident_id).closing_note) == (
        "closed",
        "Letters and filings complete",
    )
    assert move(client, incident_id, "assessment").status_code == 302  # reopen from closed

    no_reason = move(client, incident_id, "void")
    assert no_reason.status_code == 422
    assert "give the reason the incident is void" in no_reason.get_data(as_text=True)
    assert move(client, incident_id, "void", note="Duplicate of an earlier log").status_code == 302
    assert stored(app, incident_id).void_reason == "Duplicate of an earlier log"
    assert move(client, incident_id, "intake").status_code == 302  # reopen from void
    assert stored(app, incident_id).status == "intake"

    changes = [a for a in audit_actions(app, incident_id) if a not in ("incident.view",)]
    assert changes == [
        "incident.create",
        "incident.status",
        "incident.status",
        "incident.close",
        "incident.reopen",
        "incident.void",
        "incident.reopen",
    ]


def test_hhs_done_date_entered_on_the_page_moves_ny5_and_undo_restores_it(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """GBL § 899-aa(9): HHS notified Fri 2026-11-06 -> NY AG due Mon 2026-11-16 (9, 10, Veterans'
    Day 11 skipped under GCL § 24, 12, 13, 16), outer limit the earlier 2026-11-20; undo puts
    2026-11-20 back. The page shows the dates and the history of versions."""
    (incident_id,) = seed(settings, clock, replace(NY_600, owner_id=officer.id))
    ids = obligation_ids(app, incident_id)
    sign_in(client, officer.email)
    duties = f"/incidents/{incident_id}/obligations"
    history = f"/incidents/{incident_id}/history"
    before = obligation_row(client.get(duties).get_data(as_text=True), ids["NY5"])
    assert "2026-11-20" in before
    assert "waiting on the report to HHS (45 CFR 164.408(b)) [F4]" in before
    token = csrf_token(client, f"/incidents/{incident_id}")
    done = client.post(
        f"/incidents/{incident_id}/obligations/{ids['F4']}/done",
        data={"csrf_token": token, "done_on": "2026-11-06", "method": "portal"},
    )
    assert done.status_code == 302
    page = client.get(duties).get_data(as_text=True)
    ny5 = obligation_row(page, ids["NY5"])
    assert "2026-11-16" in ny5 and "outer limit was 2026-11-20" in ny5
    computed = history_of(client.get(history).get_data(as_text=True), ids["NY5"])
    assert "2 versions" in computed and "F4 recorded as done on 2026-11-06" in computed
    assert "2026-11-06 by portal (officer@example.org)" in obligation_row(page, ids["F4"])
    undo = client.post(
        f"/incidents/{incident_id}/obligations/{ids['F4']}/undo", data={"csrf_token": token}
    )
    assert undo.status_code == 302
    ny5 = obligation_row(client.get(duties).get_data(as_text=True), ids["NY5"])
    assert "2026-11-20" in ny5 and "outer limit" not in ny5
    assert "3 versions" in history_of(client.get(history).get_data(as_text=True), ids["NY5"])


def test_a_done_date_in_the_future_or_before_discovery_is_a_422_next_to_that_obligation(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """The injected clock says 2026-11-23: a notice "sent" 2026-11-24, or before the 2026-09-14
    discovery, is refused with the reason shown in that obligation's row; nothing is recorded."""
    (incident_id,) = seed(settings, clock, replace(NY_600, owner_id=officer.id))
    ids = obligation_ids(app, incident_id)
    sign_in(client, officer.email)
    token = csrf_token(client, f"/incidents/{incident_id}")
    for day, message in (
        ("2026-11-24", "cannot be in the future"),
        ("2026-09-13", "cannot be before discovery (2026-09-14)"),
    ):
        response = client.post(
            f"/incidents/{incident_id}/obligations/{ids['F1']}/done",
            data={"csrf_token": token, "done_on": day, "method": "mail"},
        )
        assert response.status_code == 422
        assert message in obligation_row(response.get_data(as_text=True), ids["F1"])
    assert "obligation.done" not in audit_actions(app, incident_id)
    with Session(app.extensions["incident_tracker.engine"]) as session:
        f1 = session.get(ObligationRecord, ids["F1"])
        assert f1 is not None and f1.done_on is None and f1.version == 1


def test_every_view_of_an_incident_page_is_audited(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """HIPAA 164.312(b), ASVS 16.2.1: each GET of an incident page writes one `incident.view` row
    naming the viewer; the register list does not count as viewing one incident."""
    (incident_id,) = seed(settings, clock, replace(NY_600, owner_id=officer.id))
    sign_in(client, officer.email)
    client.get("/incidents")
    for _ in range(2):
        clock.advance(minutes=1)
        assert client.get(f"/incidents/{incident_id}").status_code == 200
    with Session(app.extensions["incident_tracker.engine"]) as session:
        views = session.exec(select(AuditEvent).where(AuditEvent.action == "incident.view")).all()
    assert [(v.object_id, v.actor_email) for v in views] == [(str(incident_id), officer.email)] * 2
    assert views[0].at < views[1].at


def data_snapshot(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as conn:
            return {
                t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))]
                for t in DATA_TABLES
            }
    finally:
        engine.dispose()


def crawl(client: FlaskClient, start: list[str]) -> set[str]:
    """Every same-site page reachable by following links (GET only, no sign-out)."""
    seen: set[str] = set()
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in seen or not url.startswith("/") or url.startswith(("//", "/static/")):
            continue
        seen.add(url)
        with client.get(url) as response:
            assert response.status_code == 200, url
            page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        for link in HREF.findall(page.replace("&amp;", "&")):
            parts = urlsplit(link)
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_a_crawl_of_every_get_page_changes_no_data(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, admin: User
) -> None:
    """ASVS 5.0 8.2 / RFC 9110 safe methods: crawling every linked page, the export, the download
    and filtered registers as a privacy officer and an admin leaves incident, obligation,
    obligation_version and every other data table byte-for-byte unchanged; the only new audit
    rows are views, exports and downloads (the two-step sign-in page, too, stores nothing: its
    seed waits in the visitor's session until a code proves it)."""
    (incident_id,) = seed(settings, clock, replace(NY_600, owner_id=officer.id))
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        hold = evidence.HoldInput("oral", date(2026, 9, 20), None, "Det. Ruiz", "NYPD", "F1")
        evidence.add_hold(call, incident, hold)
        folder = settings.instance_path / "attachments"
        evidence.attach(call, incident, folder, "police.pdf", b"%PDF-1.7 statement", "letter")
    engine.dispose()
    clients = {user.email: app.test_client() for user in (officer, admin)}
    for email, client in clients.items():
        sign_in(client, email)
    before = data_snapshot(settings)
    with Session(app.extensions["incident_tracker.engine"]) as session:
        last_audit = max(e.id or 0 for e in session.exec(select(AuditEvent)))
    filtered = "/incidents?status=intake&owner=1&overdue=1&due_within=7&jurisdiction=NY"
    visited = crawl(clients[officer.email], ["/", filtered, "/incidents/new?type=lost_device"])
    visited |= crawl(clients[admin.email], ["/", filtered, "/incidents?page=2"])
    assert {
        f"/incidents/{incident_id}",
        f"/incidents/{incident_id}/edit",
        f"/incidents/{incident_id}/export.json",
        "/incidents",
        "/admin/audit",
    } <= visited
    assert any(re.fullmatch(rf"/incidents/{incident_id}/attachments/\d+", u) for u in visited)
    assert data_snapshot(settings) == before
    with Session(app.extensions["incident_tracker.engine"]) as session:
        new = session.exec(select(AuditEvent).where(col(AuditEvent.id) > last_audit)).all()
    # Reads are audited (HIPAA 164.312(b)): views, exports and downloads, nothing else.
    assert {e.action for e in new} == {
        "incident.view",
        "incident.export",
        "attachment.download",
        "assessment.view",
        "access_review.export",
        "register.export",  # the register CSV
        "annual_log.export",  # the HHS annual log CSV
    }
    assert "/account/mfa" in visited
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert session.exec(select(UserMfa)).all() == []


def board_sections(page: str) -> dict[str, set[str]]:
    """Rule ids (with State) per board section, as the home page groups them."""
    out = {}
    for name in ("overdue", "week", "later", "waiting", "none"):
        found = re.search(rf'<section aria-labelledby="{name}-h">(.*?)</section>', page, re.S)
        assert found, name
        out[name] = set(re.findall(r"· rule ([A-Z0-9-]+(?: [A-Z]{2})?)</span>", found.group(1)))
    return out


def test_the_home_board_groups_open_legal_duties_and_moves_them_when_time_passes(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """Discovered Thu 2026-10-01, 600 NY + 50 NJ residents. On Mon 2026-11-23: F1, F3 NY and
    NY1 fall on 2026-11-30 (+60 days, 164.404(b)) -> next 7 days; F4 waits on F1, NY3 on NY1, NY5
    on F4 (2026-12-07) -> waiting; NJ1/NJ2 have no fixed date (56:8-163). On 2026-12-01 the
    2026-11-30 duties are overdue. F8 (a record, not a notice) is never on the board."""
    values = replace(NY_600, discovered_on=date(2026, 10, 1), occurred_on=date(2026, 9, 28))
    seed(settings, clock, replace(values, states={"NY": 600, "NJ": 50}, owner_id=officer.id))
    sign_in(client, officer.email)
    assert board_sections(client.get("/").get_data(as_text=True)) == {
        "overdue": set(),
        "week": {"F1", "F3 NY", "NY1"},
        "later": set(),
        "waiting": {"F4", "NY3-AG", "NY3-DOS", "NY3-SP", "NY5"},
        "none": {"NJ1", "NJ2"},
    }
    clock.set(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    sign_in(client, officer.email)  # the old session ended long ago
    assert board_sections(client.get("/").get_data(as_text=True)) == {
        "overdue": {"F1", "F3 NY", "NY1", "F4", "NY3-AG", "NY3-DOS", "NY3-SP"},
        "week": set(),
        "later": set(),
        "waiting": {"NY5"},
        "none": {"NJ1", "NJ2"},
    }


def shown(client: FlaskClient, url: str, form: dict[str, str] | None = None) -> set[int]:
    """Incident ids the register lists (GET with filters, or the POST search)."""
    response = client.post(url, data=form) if form else client.get(url)
    assert response.status_code == 200, url
    return {int(i) for i in re.findall(r'href="/incidents/(\d+)"', response.get_data(as_text=True))}


def test_register_filters_by_status_owner_overdue_due_window_and_jurisdiction(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """On 2026-11-23: A (NY, discovered 09-14) has every duty overdue; B (NJ 50, discovered
    10-01) owes F1 on 11-30, within 7 days, and NJ duties; C (PA 100, discovered 11-20, another
    owner, in assessment) owes nothing before 2027-01-19 (164.404(b))."""
    other = make_user(settings, "other@example.org", "privacy_officer")
    a, b, c = seed(
        settings,
        clock,
        replace(NY_600, title="Overdue A", owner_id=officer.id),
        replace(
            NY_600,
            title="Soon B",
            discovered_on=date(2026, 10, 1),
            states={"NJ": 50},
            owner_id=officer.id,
        ),
        replace(
            NY_600,
            title="Later C",
            discovered_on=date(2026, 11, 20),
            states={"PA": 100},
            owner_id=other.id,
        ),
    )
    sign_in(client, officer.email)
    assert move(client, c, "assessment").status_code == 302
    assert shown(client, "/incidents") == {a, b, c}
    assert shown(client, "/incidents?status=assessment") == {c}
    assert shown(client, f"/incidents?owner={other.id}") == {c}
    assert shown(client, "/incidents?overdue=1") == {a}
    assert shown(client, "/incidents?due_within=7") == {b}
    assert shown(client, "/incidents?due_within=3") == set()
    assert shown(client, "/incidents?jurisdiction=NJ") == {b}
    assert shown(client, "/incidents?jurisdiction=NY") == {a}
    assert shown(client, f"/incidents?jurisdiction=Federal&owner={officer.id}") == {a, b}


def test_register_pages_by_25_and_searches_by_post_without_titles_in_any_url(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """30 incidents: 25 on page 1, 5 on page 2. Search is a POST (by number, any case, or by part
    of the title), so neither a title nor a search term ever appears in a URL the pages link to
    (ASVS 5.0 14.2.1: no sensitive data in URLs)."""
    many = [
        replace(
            NY_600,
            title=f"Zebra claims {n:02d}",
            discovered_on=date(2026, 9, n),
            occurred_on=None,
            owner_id=officer.id,
        )
        for n in range(1, 31)
    ]
    ids = seed(settings, clock, *many)
    sign_in(client, officer.email)
    first = client.get("/incidents").get_data(as_text=True)
    assert "30 incidents." in first and "Page 1 of 2" in first
    page_1 = shown(client, "/incidents")
    page_2 = shown(client, "/incidents?page=2")
    assert (len(page_1), len(page_2)) == (25, 5)
    assert page_1 | page_2 == set(ids) and page_1.isdisjoint(page_2)
    assert page_2 == set(ids[:5])  # newest discovery first: 09-01 .. 09-05 come last
    token = csrf_token(client, "/incidents")
    number = stored(app, ids[6]).number
    assert shown(client, "/incidents/search", {"csrf_token": token, "q": number.lower()}) == {
        ids[6]
    }
    assert shown(client, "/incidents/search", {"csrf_token": token, "q": "claims 17"}) == {ids[16]}
    pages = [
        client.get(u).get_data(as_text=True)
        for u in ("/", "/incidents", "/incidents?page=2", f"/incidents/{ids[0]}")
    ]
    pages.append(
        client.post(
            "/incidents/search", data={"csrf_token": token, "q": "Zebra claims 1"}
        ).get_data(as_text=True)
    )
    urls = [u for page in pages for u in re.findall(r'\b(?:href|action|src)="([^"]*)"', page)]
    assert urls and not [u for u in urls if "zebra" in u.lower() or "claims" in u.lower()]
