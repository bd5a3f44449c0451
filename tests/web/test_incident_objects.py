"""Incidents as objects: who may see a restricted incident (HIPAA 164.312(a)(1); ASVS 5.0 8.2.2
object-level access, 8.3.1), what bad input on each incident form gives back (ASVS 2.2, 16.5),
and how attachments are kept (ASVS 5.2 file upload, 5.3 file storage, 5.4 file download)."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session, col, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Attachment, AuditEvent, Incident, ObligationRecord, User
from incident_tracker.services import evidence, incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.services.test_obligation_versions import NY_600
from tests.web.test_incidents import incident_form

# owner and assignee of the restricted incident; then four users with no tie to it
ROLES = dict(owner="privacy_officer", assignee="legal_reviewer", admin="admin")
ROLES |= dict(officer="privacy_officer", legal="legal_reviewer", reader="read_only")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
COUNTED = ("incident", "incident_state", "obligation", "obligation_version")
COUNTED += ("law_enforcement_hold", "attachment")


def row_counts(settings: Settings) -> dict[str, int]:
    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in COUNTED
            }
    finally:
        engine.dispose()


@pytest.fixture
def world(settings: Settings, clock: FixedClock) -> dict[str, Any]:
    """Six users; a restricted incident (owner, one assigned legal reviewer) with a statement and
    a document, and an open incident with a document, both discovered 2026-10-01 so their duties
    are on the board."""
    users = {name: make_user(settings, f"{name}@example.org", role) for name, role in ROLES.items()}
    base = replace(NY_600, discovered_on=date(2026, 10, 1), owner_id=users["owner"].id)
    secret = replace(base, title="Quokka psychiatry export", restricted=True)
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
        hidden = incidents.create(call, replace(secret, assignee_ids=(users["assignee"].id or 0,)))
        shared = incidents.create(call, replace(base, title="Wombat billing fax"))
        folder = settings.instance_path / "attachments"
        hold = evidence.add_hold(
            call, hidden, evidence.HoldInput("oral", date(2026, 10, 2), None, "Det. A", "NYPD", "")
        )
        files = [evidence.attach(call, i, folder, "a.pdf", PDF, "letter") for i in (hidden, shared)]
        obligation = session.exec(
            select(ObligationRecord).where(ObligationRecord.incident_id == hidden.id)
        ).first()
        assert obligation is not None
    engine.dispose()
    return {
        "users": users,
        "hidden": (hidden.id, hidden.number, hidden.title),
        "shared": (shared.id, shared.number, shared.title),
        "paths": {"obligation": obligation.id, "hold": hold.id, "file": files[0].id},
        "shared_file": files[1].id,
    }


def requests_on(incident_id: int, ids: dict[str, int], token: str) -> list[tuple[str, str, Any]]:
    """Every incident route, with a valid form for each POST."""
    base = f"/incidents/{incident_id}"
    upload = {"csrf_token": token, "kind": "letter", "file": (io.BytesIO(PDF), "b.pdf")}
    hold = {"csrf_token": token, "form": "oral", "statement_date": "2026-10-03", "official": "X"}
    sections = ("obligations", "notices", "assessment", "facts", "evidence", "people", "history")
    return [
        ("GET", base, None),
        *(("GET", f"{base}/{section}", None) for section in sections),
        ("GET", f"{base}/edit", None),
        ("GET", f"{base}/export.json", None),
        ("GET", f"{base}/attachments/{ids['file']}", None),
        ("POST", base, incident_form(token, title="Changed", lock_version="1")),
        ("POST", f"{base}/status", {"csrf_token": token, "status": "void", "note": "x"}),
        (
            "POST",
            f"{base}/obligations/{ids['obligation']}/done",
            {"csrf_token": token, "done_on": "2026-11-20", "method": "mail"},
        ),
        ("POST", f"{base}/obligations/{ids['obligation']}/undo", {"csrf_token": token}),
        ("POST", f"{base}/holds", hold),
        ("POST", f"{base}/holds/{ids['hold']}/void", {"csrf_token": token, "void_reason": "x"}),
        ("POST", f"{base}/attachments", upload),
    ]


def listed(client: FlaskClient, facts: tuple[int, str, str]) -> dict[str, bool]:
    """Whether the incident is linked from the register, both searches and the home board (the
    search box echoes the term, so the link, not the text, decides)."""
    incident_id, number, title = facts
    token = csrf_token(client, "/incidents")
    pages = {
        "register": client.get("/incidents"),
        "search by number": client.post(
            "/incidents/search", data={"csrf_token": token, "q": number}
        ),
        "search by title": client.post("/incidents/search", data={"csrf_token": token, "q": title}),
        "board": client.get("/"),
    }
    link = f'href="/incidents/{incident_id}"'
    return {name: link in page.get_data(as_text=True) for name, page in pages.items()}


@pytest.mark.parametrize("who", ["officer", "legal", "reader", "admin"])
def test_a_restricted_incident_does_not_exist_for_users_neither_owner_nor_assignee(
    app: Flask, client: FlaskClient, settings: Settings, world: dict[str, Any], who: str
) -> None:
    """ASVS 8.2.2 / 8.3.1, minimum necessary (45 CFR 164.502(b)): a privacy officer who is not
    owner or assignee gets 404 on the page, edit, export, download and every POST (valid forms;
    nothing changes); an admin has no standing access either; a legal reviewer, read-only user or
    admin gets 404 on what their role may reach and the role's 403 elsewhere, exactly
    as for an incident that does not exist, so nothing reveals it. It is absent from the register,
    the search and the board; each 404 is audited as security.permission_refused (ASVS 16.3.2)."""
    incident_id, number, title = world["hidden"]
    sign_in(client, world["users"][who].email)
    token = csrf_token(client, "/")
    before = row_counts(settings)
    answers, missing = [], []
    for (method, path, data), (_, ghost, ghost_data) in zip(
        requests_on(incident_id, world["paths"], token),
        requests_on(99_999, world["paths"], token),
        strict=True,
    ):
        with client.open(path, method=method, data=data) as response:
            body = response.get_data(as_text=True)
            answers.append(response.status_code)
        assert number not in body and title not in body
        with client.open(ghost, method=method, data=ghost_data) as response:
            missing.append(response.status_code)
    assert answers == missing
    if who == "officer":
        assert answers == [404] * 18
    else:  # the summary and its 7 sections are views: 404; edit and the writes: the role's 403
        assert answers == [404] * 8 + [403, 404, 404] + [403] * 7
    assert row_counts(settings) == before
    with Session(app.extensions["incident_tracker.engine"]) as session:
        stored = session.get(Incident, incident_id)
        assert stored is not None and (stored.title, stored.status) == (title, "intake")
        refused = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "security.permission_refused",
                AuditEvent.object_id == str(incident_id),
            )
        ).all()
    assert len(refused) == answers.count(404)
    assert {e.actor_email for e in refused} == {f"{who}@example.org"}
    assert not any(listed(client, world["hidden"]).values())


@pytest.mark.parametrize("who", ["owner", "assignee"])
def test_a_restricted_incident_is_visible_to_its_owner_and_an_assignee(
    client: FlaskClient, world: dict[str, Any], who: str
) -> None:
    """core.permissions.can_see_incident: owner and assignees see a restricted incident
    everywhere: its page, export and documents, the register, the search and the board (an
    admin does not: emergency access is break-glass, tests/web/test_break_glass.py)."""
    incident_id = world["hidden"][0]
    sign_in(client, world["users"][who].email)
    for path in ("", "/export.json", f"/attachments/{world['paths']['file']}"):
        with client.get(f"/incidents/{incident_id}{path}") as response:
            assert response.status_code == 200, path
    assert all(listed(client, world["hidden"]).values())


def test_an_incident_that_is_not_restricted_is_visible_to_all_four_roles(
    app: Flask, world: dict[str, Any]
) -> None:
    """Restriction is the exception: every role with view_incident sees an ordinary incident's
    page, export and documents, and finds it in the register, the search and the board."""
    incident_id = world["shared"][0]
    for who in ("officer", "legal", "reader", "admin"):
        client = app.test_client()
        sign_in(client, world["users"][who].email)
        for path in ("", "/export.json", f"/attachments/{world['shared_file']}"):
            with client.get(f"/incidents/{incident_id}{path}") as response:
                assert response.status_code == 200, (who, path)
        assert all(listed(client, world["shared"]).values()), who


def control_after(page: str, at: int) -> str:
    """The name of the first form control after position `at`: a message placed inside a field's
    own markup, right before its input, is followed by that field's control."""
    following = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"').search(page, at)
    assert following
    return following.group(1)


def next_control(page: str, field: str) -> tuple[str, str]:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert found, f"no message for {field}"
    return html.unescape(found.group(1)), control_after(page, found.end())


def keeps(page: str, name: str, value: str) -> bool:
    """Whether the form shows `value` as typed for control `name` (text, choice or textarea)."""
    for tag in re.findall(rf'<input\b[^>]*\bname="{name}"[^>]*>', page):
        choice = 'type="radio"' in tag or 'type="checkbox"' in tag
        if f'value="{value}"' in tag and (not choice or " checked" in tag):
            return True
    select = re.search(rf'<select\b[^>]*\bname="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select:
        return f'<option value="{value}" selected>' in select.group(1)
    return bool(re.search(rf'<textarea\b[^>]*\bname="{name}"[^>]*>{re.escape(value)}<', page))


BAD_CREATE = [
    ({"title": "   "}, "title", "give the incident a short title"),
    # The engine's fact names shown as the form labels them (occurred 2026-03-02).
    (
        {"discovered_on": "2026-02-01"},
        "discovered_on",
        "2026-02-01 is before the date it occurred 2026-03-02",
    ),
    ({"discovered_on": "2026-02-30"}, "discovered_on", "2026-02-30 is not a real date"),
    ({"state_count": ["-5", "1200", "40"]}, "states", "the count for NY must be a whole number"),
    ({"total_affected": "many"}, "total_affected", "enter a whole number, 0 or more"),
    ({"total_affected": "-3"}, "total_affected", "enter a whole number, 0 or more"),
    ({"state_code": ["NY", "ZZ", "PA"]}, "states", "ZZ is not a U.S. State or territory code"),
    ({"state_code": ["NY", "NJ", "ny"]}, "states", "NY is listed twice"),
    # NY 600 + NJ 1,200 + PA 40 = 1,840.
    (
        {"total_affected": "100"},
        "total_affected",
        "100 is less than the sum of the affected residents by State (1840)",
    ),
    (
        {"privacy_office_learned_on": "2026-03-12"},
        "privacy_office_justification",
        "explain why the privacy office learned on a different day than discovery",
    ),
    (
        {"entity_type": "business_associate"},
        "ba_is_agent_of_ce",
        "answer whether the business associate acts as the covered entity's agent",
    ),
    (
        {"risk_assessment": "not_required_exception"},
        "exception",
        "name the exception of 164.402(1) that applies",
    ),
]


@pytest.mark.parametrize(("over", "field", "message"), BAD_CREATE)
def test_bad_input_on_the_incident_form_is_a_422_beside_the_field_with_all_input_kept(
    client: FlaskClient,
    settings: Settings,
    officer: User,
    over: dict[str, Any],
    field: str,
    message: str,
) -> None:
    """ASVS 2.2.1 / 16.5.3: one bad answer gives 422 and one message, inside that field's markup
    (the next control after it is the field's own); every answer typed, valid or not, comes back
    in the form; no row is written anywhere."""
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    before = row_counts(settings)
    data = incident_form(token, **over)
    response = client.post("/incidents", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.findall(r'<p class="error" id="([^"]+)-error">', page) == [field]
    shown, first_control = next_control(page, field)
    assert message in shown and first_control == {"states": "state_code"}.get(field, field)
    assert 'name="csrf_token"' in page  # a fresh token: its signed timestamp may differ
    for name, typed in data.items():
        if name == "csrf_token":
            continue
        for value in typed if isinstance(typed, list) else [typed]:
            assert keeps(page, name, value), (name, value)
    assert row_counts(settings) == before


def test_a_stale_edit_is_a_409_that_keeps_what_was_typed(
    app: Flask, client: FlaskClient, settings: Settings, officer: User
) -> None:
    """Optimistic locking: a save based on an old lock_version is refused (409) with the typed
    facts still in the form, and the other person's save is kept."""
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    created = client.post("/incidents", data=incident_form(token))
    incident_id = int(created.headers["Location"].rsplit("/", 1)[1])
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    found = re.search(r'name="lock_version" value="(\d+)"', edit)
    assert found
    first = incident_form(token, title="Saved by a colleague", lock_version=found.group(1))
    assert client.post(f"/incidents/{incident_id}", data=first).status_code == 302
    before = row_counts(settings)
    stale = incident_form(token, title="My late rename", lock_version=found.group(1))
    response = client.post(f"/incidents/{incident_id}", data=stale)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "someone else saved this incident while you were editing" in page
    assert 'value="My late rename"' in page
    assert row_counts(settings) == before
    with Session(app.extensions["incident_tracker.engine"]) as session:
        stored = session.get(Incident, incident_id)
        assert stored is not None and stored.title == "Saved by a colleague"


@pytest.mark.parametrize(
    ("hold", "control", "message"),
    [
        ({"form": "written", "delay_until": ""}, "delay_until", "enter its end date"),
        ({"form": "oral", "official": ""}, "official", "documented with the official's identity"),
        ({"delay_until": "2026-10-01"}, "delay_until", "the end date is before the statement"),
    ],
)
def test_a_law_enforcement_statement_missing_what_164_412_requires_is_a_422(
    client: FlaskClient,
    settings: Settings,
    world: dict[str, Any],
    hold: dict[str, str],
    control: str,
    message: str,
) -> None:
    """45 CFR 164.412: a written statement states its period; an oral one is documented with the
    official's identity; a period cannot end before the statement. 422, message by the field,
    input kept, no statement saved."""
    incident_id = world["shared"][0]
    sign_in(client, world["users"]["owner"].email)
    token = csrf_token(client, f"/incidents/{incident_id}")
    data = {"csrf_token": token, "form": "written", "statement_date": "2026-10-05"}
    data |= {"delay_until": "2026-11-05", "official": "Det. Ruiz", "agency": "NYPD Squad 9", **hold}
    before = row_counts(settings)
    response = client.post(f"/incidents/{incident_id}/holds", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert control_after(page, page.index(message)) == control
    assert 'value="2026-10-05"' in page and 'value="NYPD Squad 9"' in page
    assert row_counts(settings) == before


@pytest.mark.parametrize(
    ("upload", "kind", "message"),
    [
        (None, "letter", "choose a file"),
        ((b"MZ\x90\x00", "tool.exe"), "letter", "allowed types: .docx, .eml, .jpeg, .jpg, .pdf"),
        ((b"MZ\x90\x00", "report.pdf"), "letter", "the file's content is not a .pdf file"),
        ((PDF + b"0" * (10 * 1024 * 1024), "big.pdf"), "letter", "files are limited to 10 MB"),
        ((PDF, "report.pdf"), "payload", "choose what the document is"),
    ],
)
def test_an_attachment_outside_the_allow_list_is_a_422_and_nothing_is_stored(
    client: FlaskClient,
    settings: Settings,
    world: dict[str, Any],
    upload: tuple[bytes, str] | None,
    kind: str,
    message: str,
) -> None:
    """ASVS 5.2.1-5.2.2: size limit, extension allow-list, content matching the extension, a
    known kind; a refused upload leaves no row and no file."""
    incident_id = world["shared"][0]
    sign_in(client, world["users"]["owner"].email)
    data: dict[str, Any] = {"csrf_token": csrf_token(client, "/"), "kind": kind}
    if upload:
        data["file"] = FileStorage(io.BytesIO(upload[0]), upload[1])
    # Encoded in memory: the test client spools a 10 MB body to a temp file it never closes.
    boundary, body = encode_multipart(data)
    folder = settings.instance_path / "attachments"
    files_before, before = sorted(folder.iterdir()), row_counts(settings)
    response = client.post(
        f"/incidents/{incident_id}/attachments",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert row_counts(settings) == before and sorted(folder.iterdir()) == files_before


def test_a_pdf_is_stored_outside_the_web_root_and_served_only_as_a_download(
    app: Flask, client: FlaskClient, settings: Settings, world: dict[str, Any]
) -> None:
    """ASVS 5.3.1, 5.4.1: the file lands under the instance folder with a random name (never the
    original, never under /static), and comes back byte-for-byte with Content-Disposition:
    attachment, a neutral type and nosniff."""
    incident_id = world["shared"][0]
    sign_in(client, world["users"]["owner"].email)
    content = PDF + bytes(range(256))
    data = {"csrf_token": csrf_token(client, "/"), "kind": "forensic_report"}
    data["file"] = (io.BytesIO(content), "Forensic report.pdf")
    response = client.post(f"/incidents/{incident_id}/attachments", data=data)
    assert response.status_code == 302
    with Session(app.extensions["incident_tracker.engine"]) as session:
        row = session.exec(select(Attachment).order_by(col(Attachment.id).desc())).first()
    assert row is not None and row.original_name == "Forensic report.pdf"
    assert re.fullmatch(r"[0-9a-f]{40}", row.storage_name)
    path = settings.instance_path / "attachments" / row.storage_name
    assert path.read_bytes() == content
    assert app.static_folder and not path.resolve().is_relative_to(app.static_folder)
    assert client.get(f"/static/{row.storage_name}").status_code == 404
    with client.get(f"/incidents/{incident_id}/attachments/{row.id}") as download:
        assert download.status_code == 200 and download.data == content
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "Forensic" in disposition
        assert download.mimetype == "application/octet-stream"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        # The download's own sandbox policy, not the pages' (it used to be overwritten).
        assert download.headers.getlist("Content-Security-Policy") == [
            "default-src 'none'; sandbox"
        ]
