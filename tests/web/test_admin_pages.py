"""The admin pages through the client, good and bad input (HIPAA
164.308(a)(3)(ii)(C) termination, 164.312(b) audit controls; ASVS 5.0 2.2.1 server-side validation,
7.4.2 disabling ends sessions, 16.2.1 who/what/when in each event)."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, User
from incident_tracker.services import organisation, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed
from tests.conftest import AUDIT_KEY, PASSWORD, csrf_token, sign_in
from tests.mailbox import Mailbox, link_in

PROFILE = {
    "legal_name": "Acme Health",
    "address": "1 Main Street, Springfield",
    "time_zone": "America/Los_Angeles",
    "is_covered_entity": "1",
    "covered_entity_type": "provider",
    "toll_free_number": "1-800-555-0100",
    "contact_email": "privacy@acme.example",
    "website": "https://acme.example",
    "postal_address": "PO Box 1, Springfield",
    "internal_target_days": "30",
}
AUDIT_ROW = re.compile(
    r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>"
    r"\s*<td>([^<]*)</td>"
)


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    """The app sends its account e-mails to the test's own SMTP server."""
    return dataclasses.replace(settings, mail=mailbox.settings)


@pytest.fixture
def admin_client(app: Flask, admin: User) -> FlaskClient:
    client = app.test_client()
    sign_in(client, admin.email)
    return client


def post(client: FlaskClient, path: str, data: dict[str, str]) -> TestResponse:
    """Submit a form with the CSRF token of the signed-in session."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/")})


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def field_block(page: str, name: str) -> str:
    """The `<div class="field">` holding the control with id `name` (its label, error, input)."""
    for block in page.split('<div class="field')[1:]:
        if f'id="{name}"' in block:
            return html.unescape(block.split("</div>")[0])
    raise AssertionError(f"no field {name} on the page")


def events(app: Flask, prefix: str) -> list[AuditEvent]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        query = select(AuditEvent).where(col(AuditEvent.action).startswith(prefix))
        return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def values(raw: str | None) -> Any:
    return json.loads(raw) if raw else None


def load_user(app: Flask, email: str) -> User | None:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        return session.exec(select(User).where(User.email == email)).first()


def test_an_invited_user_gets_a_one_time_link_by_e_mail_and_chooses_the_password(
    app: Flask, admin_client: FlaskClient, mailbox: Mailbox
) -> None:
    """Invitation: no password on screen; a link by e-mail through which the invitee chooses
    one. Audited as user.create with the new values and never a password, hash or token."""
    form = {"email": "New.Person@Example.org", "role": "legal_reviewer", "display_name": "New P"}
    response = post(admin_client, "/admin/users/invite", form)
    assert response.status_code == 302
    page = text(admin_client.get("/admin/users"))
    assert "a one-time link (72 hours) is on its way" in page and 'class="secret"' not in page
    link = link_in(mailbox.wait_for("new.person@example.org"))
    path = link.removeprefix("http://localhost")
    invitee = app.test_client()
    assert "Choose your password" in text(invitee.get(path))
    chosen = "a password the invitee chose 9"
    done = invitee.post(
        path, data={"new_password": chosen, "csrf_token": csrf_token(invitee, path)}
    )
    assert done.status_code == 302
    sign_in(app.test_client(), "new.person@example.org", chosen)
    created = [e for e in events(app, "user.create") if e.actor_email == "admin@example.org"]
    assert len(created) == 1 and values(created[0].old_values) is None
    assert values(created[0].new_values) == {
        "email": "new.person@example.org",
        "display_name": "New P",
        "role": "legal_reviewer",
        "is_active": True,
    }
    token = path.rsplit("/", 1)[-1]
    for row in events(app, ""):
        stored = f"{row.old_values} {row.new_values} {row.detail}"
        assert chosen not in stored and "$argon2" not in stored and "password_hash" not in stored
        assert token not in stored


@pytest.mark.parametrize(
    "case",
    [
        ({"email": "not-an-email", "role": "read_only"}, 422, "email", "enter a valid e-mail"),
        ({"email": "someone@example.org", "role": ""}, 422, "role", "choose one of"),
        ({"email": "someone@example.org", "role": "root"}, 422, "role", "choose one of"),
        ({"email": "Admin@Example.org", "role": "read_only"}, 409, "email", "already exists"),
    ],
)
def test_a_bad_invitation_shows_the_message_next_to_the_field_and_keeps_the_input(
    app: Flask, admin_client: FlaskClient, case: tuple[dict[str, str], int, str, str]
) -> None:
    """Invalid e-mail, missing or unknown role, duplicate e-mail (ASVS 2.2.1): 422/409, the
    message beside its field, what was typed still in the form, and no account or audit row."""
    form, status, field, message = case
    before = len(events(app, "user.create"))
    response = post(admin_client, "/admin/users/invite", {**form, "display_name": "Sam Someone"})
    page = text(response)
    assert response.status_code == status
    assert message in field_block(page, field)
    assert f'value="{form["email"]}"' in field_block(page, "email")
    assert 'value="Sam Someone"' in field_block(page, "display_name")
    if form["role"] == "read_only":
        assert '<option value="read_only" selected>' in field_block(page, "role")
    assert len(events(app, "user.create")) == before
    assert load_user(app, "someone@example.org") is None


def test_changing_a_role_ends_the_users_sessions_and_is_audited(
    app: Flask, admin_client: FlaskClient, officer: User
) -> None:
    """A role change takes effect at once (ASVS 7.4.2): the user's sessions end, and
    user.role_change records privacy_officer -> legal_reviewer; an unknown user is 404 and an
    unknown role 422."""
    officer_client = app.test_client()
    sign_in(officer_client, officer.email)
    response = post(admin_client, f"/admin/users/{officer.id}/role", {"role": "legal_reviewer"})
    assert response.status_code == 302
    assert "is now legal reviewer" in text(admin_client.get("/admin/users"))
    back = officer_client.get("/", follow_redirects=True)
    assert back.request.path == "/login" and "Your role changed" in text(back)
    (change,) = events(app, "user.role_change")
    assert values(change.old_values)["role"] == "privacy_officer"
    assert values(change.new_values)["role"] == "legal_reviewer"
    assert change.object_type == "user" and change.object_id == str(officer.id)
    assert post(admin_client, "/admin/users/99999/role", {"role": "admin"}).status_code == 404
    unknown = post(admin_client, f"/admin/users/{officer.id}/role", {"role": "superuser"})
    assert unknown.status_code == 422 and "choose one of" in text(unknown)


@pytest.mark.parametrize(
    "case",
    [
        ("role", {"role": "read_only"}, "role", users.OWN_ADMIN_ROLE),
        ("disable", {}, "disable", users.OWN_ACCOUNT),
    ],
)
def test_an_admin_cannot_demote_or_disable_themselves(
    app: Flask, admin_client: FlaskClient, admin: User, case: tuple[str, dict[str, str], str, str]
) -> None:
    """An admin who could demote or disable themselves could leave nobody to manage users: it is
    refused with the message beside the field of their own row (the role chosen kept), and
    nothing changes."""
    change, data, field, message = case
    response = post(admin_client, f"/admin/users/{admin.id}/{change}", data)
    page = text(response)
    assert response.status_code == 422
    beside = re.search(
        rf'<p class="error" id="{field}-{admin.id}-error" role="alert">([^<]*)</p>', page
    )
    assert beside is not None and html.unescape(beside.group(1)) == message
    if change == "role":  # the select names the message and still shows what was chosen
        select_tag = re.search(rf'<select id="role-{admin.id}"[^>]*>.*?</select>', page, re.S)
        assert select_tag is not None
        assert f'aria-describedby="role-{admin.id}-error"' in select_tag.group(0)
        assert '<option value="read_only" selected>' in select_tag.group(0)
    assert page.count('class="error"') == 1  # not at the top, not beside the invitation form
    still = load_user(app, admin.email)
    assert still is not None and still.role == "admin" and still.is_active
    assert admin_client.get("/admin/users").status_code == 200
    assert events(app, "user.role_change") == events(app, "user.disable") == []


def test_the_last_active_admin_cannot_be_demoted_or_disabled(
    settings: Settings, admin: User, officer: User, clock: FixedClock
) -> None:
    """Through any door (here a trusted operator's call, as a command would make it): the only
    active admin keeps the role and stays active; once a second admin is active, the first may
    be demoted, and a disabled admin does not count."""
    engine = make_engine(settings.db_url)

    def change(step: Any) -> None:
        with unit_of_work(engine) as session:
            step(Call(session, Actor(None, "operator", trusted=True), clock.now(), AUDIT_KEY))

    try:
        for step in (
            lambda c: users.set_role(c, admin.id or 0, "privacy_officer"),
            lambda c: users.set_active(c, admin.id or 0, False),
        ):
            with pytest.raises(ValidationFailed) as refused:
                change(step)
            assert users.LAST_ADMIN in refused.value.field_errors.values()
        change(lambda c: users.set_role(c, officer.id or 0, "admin"))
        change(lambda c: users.set_active(c, officer.id or 0, False))
        with pytest.raises(ValidationFailed):  # the other admin is disabled: still the last
            change(lambda c: users.set_role(c, admin.id or 0, "privacy_officer"))
        change(lambda c: users.set_active(c, officer.id or 0, True))
        change(lambda c: users.set_role(c, admin.id or 0, "privacy_officer"))
        with Session(engine) as session:
            roles = {u.email: u.role for u in session.exec(select(User))}
        assert roles == {admin.email: "privacy_officer", officer.email: "admin"}
    finally:
        engine.dispose()


def test_disabling_and_enabling_a_user_is_audited_and_controls_sign_in(
    app: Flask, admin_client: FlaskClient, officer: User
) -> None:
    """Disable (HIPAA 164.308(a)(3)(ii)(C)) refuses sign-in; enable restores it; both are audited
    with is_active old -> new."""
    assert post(admin_client, f"/admin/users/{officer.id}/disable", {}).status_code == 302
    assert "officer@example.org is disabled" in text(admin_client.get("/admin/users"))
    refused = app.test_client()
    token = csrf_token(refused)
    attempt = {"email": officer.email, "password": PASSWORD, "csrf_token": token}
    assert refused.post("/login", data=attempt).status_code == 401
    assert post(admin_client, f"/admin/users/{officer.id}/enable", {}).status_code == 302
    sign_in(app.test_client(), officer.email)
    (off,), (on,) = events(app, "user.disable"), events(app, "user.enable")
    assert [values(e.old_values)["is_active"] for e in (off, on)] == [True, False]
    assert [values(e.new_values)["is_active"] for e in (off, on)] == [False, True]
    assert post(admin_client, "/admin/users/99999/disable", {}).status_code == 404


def test_saving_the_profile_is_audited_with_old_and_new_values(
    app: Flask, admin_client: FlaskClient
) -> None:
    """The form shows the profile; organisation.update records each field old -> new (HIPAA
    164.312(b))."""
    page = text(admin_client.get("/admin/organisation"))
    assert 'value="America/New_York"' in field_block(page, "time_zone")
    assert all(field_block(page, name) for name in PROFILE)
    assert post(admin_client, "/admin/organisation", PROFILE).status_code == 302
    renamed = {**PROFILE, "legal_name": "Acme Health West", "internal_target_days": ""}
    assert post(admin_client, "/admin/organisation", renamed).status_code == 302
    page = text(admin_client.get("/admin/organisation"))
    assert 'value="Acme Health West"' in field_block(page, "legal_name")
    assert 'value="America/Los_Angeles"' in field_block(page, "time_zone")
    first, second = events(app, "organisation.update")
    assert values(first.new_values)["legal_name"] == "Acme Health"
    old, new = values(second.old_values), values(second.new_values)
    assert (old["legal_name"], new["legal_name"]) == ("Acme Health", "Acme Health West")
    assert (old["internal_target_days"], new["internal_target_days"]) == (30, None)


@pytest.mark.parametrize(
    "case",
    [
        ({"legal_name": "  "}, "legal_name", "enter the organisation's legal name"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "choose a time zone"),
        ({"is_covered_entity": None}, "is_covered_entity", "a covered entity, a business"),
        ({"covered_entity_type": ""}, "covered_entity_type", "choose health plan"),
        ({"contact_email": "privacy-at-acme"}, "contact_email", "enter a valid e-mail"),
        ({"toll_free_number": "call us"}, "toll_free_number", "enter a telephone number"),
        ({"website": "ftp://acme.example"}, "website", "starting with https://"),
        ({"internal_target_days": "0"}, "internal_target_days", "from 1 to 60"),
        ({"internal_target_days": "61"}, "internal_target_days", "from 1 to 60"),
        ({"internal_target_days": "abc"}, "internal_target_days", "from 1 to 60"),
    ],
)
def test_an_invalid_profile_is_refused_with_the_message_beside_the_field(
    app: Flask, admin_client: FlaskClient, case: tuple[dict[str, str | None], str, str]
) -> None:
    """Server-side validation (ASVS 2.2.1): 422, the message in the field's own block, the typed
    input kept, nothing saved."""
    change, field, message = case
    form = {k: v for k, v in {**PROFILE, **change}.items() if v is not None}
    response = post(admin_client, "/admin/organisation", form)
    page = text(response)
    assert response.status_code == 422
    assert message in field_block(page, field)
    assert f'value="{form["legal_name"]}"' in field_block(page, "legal_name")
    typed = form.get(field, "")
    if field not in ("is_covered_entity", "covered_entity_type"):
        assert f'value="{typed}"' in field_block(page, field)
    assert events(app, "organisation.update") == []


def test_every_profile_error_is_shown_at_once(admin_client: FlaskClient) -> None:
    """All problems in one answer, each beside its own field."""
    form = {"legal_name": "", "time_zone": "Nowhere", "internal_target_days": "abc"}
    page = text(post(admin_client, "/admin/organisation", form))
    assert "enter the organisation's legal name" in field_block(page, "legal_name")
    assert "choose a time zone" in field_block(page, "time_zone")
    assert "a covered entity, a business" in field_block(page, "is_covered_entity")
    assert "from 1 to 60" in field_block(page, "internal_target_days")


def test_facilities_are_added_validated_and_removed(app: Flask, admin_client: FlaskClient) -> None:
    """CDPH-licensed facilities (H&S 1280.15): empty name and unknown licence type are 422 beside
    their fields; add and remove are audited; removing twice is 404."""
    bad = post(admin_client, "/admin/organisation/facilities", {"licence_type": "spaceport"})
    assert bad.status_code == 422
    assert "enter the facility's name" in field_block(text(bad), "facility_name")
    assert "choose a licence type" in field_block(text(bad), "licence_type")
    unnamed = {"facility_name": "", "licence_type": "clinic"}
    kept = text(post(admin_client, "/admin/organisation/facilities", unnamed))
    assert '<option value="clinic" selected>' in field_block(kept, "licence_type")
    typed = {"facility_name": "South Clinic", "licence_type": "spaceport"}
    kept = text(post(admin_client, "/admin/organisation/facilities", typed))
    assert 'value="South Clinic"' in field_block(kept, "facility_name")
    good = {"facility_name": "North Clinic", "licence_type": "clinic"}
    assert post(admin_client, "/admin/organisation/facilities", good).status_code == 302
    assert "North Clinic" in text(admin_client.get("/admin/organisation"))
    (created,) = events(app, "facility.create")
    path = f"/admin/organisation/facilities/{created.object_id}/delete"
    assert post(admin_client, path, {}).status_code == 302
    assert "North Clinic" not in text(admin_client.get("/admin/organisation"))
    (deleted,) = events(app, "facility.delete")
    assert values(deleted.old_values) == {"name": "North Clinic", "licence_type": "clinic"}
    assert post(admin_client, path, {}).status_code == 404


def test_covered_entity_clients_are_added_and_removed(
    app: Flask, admin_client: FlaskClient
) -> None:
    """Business-associate clients (45 CFR 164.410): no name or a window outside 0-60 days is 422
    beside its field; the window is stored as typed; add and remove are audited."""
    bad = post(admin_client, "/admin/organisation/clients", {"notice_window_days": "abc"})
    assert bad.status_code == 422
    assert "enter the covered entity's name" in field_block(text(bad), "client_name")
    assert "from 0 to 60" in field_block(text(bad), "notice_window_days")
    late = {"client_name": "Acme Plan", "notice_window_days": "61", "agreement_reference": "B-1"}
    bad = post(admin_client, "/admin/organisation/clients", late)
    assert bad.status_code == 422 and "from 0 to 60" in field_block(text(bad), "notice_window_days")
    kept = text(bad)  # what was typed comes back in the form
    assert 'value="Acme Plan"' in field_block(kept, "client_name")
    assert 'value="61"' in field_block(kept, "notice_window_days")
    assert 'value="B-1"' in field_block(kept, "agreement_reference")
    assert events(app, "client.") == []
    form = {
        "client_name": "Acme Plan",
        "notice_window_days": "10",
        "notice_window_business_days": "1",
        "agreement_reference": "BAA-2026-7",
    }
    assert post(admin_client, "/admin/organisation/clients", form).status_code == 302
    page = text(admin_client.get("/admin/organisation"))
    assert "Acme Plan" in page and "10 business days" in page and "BAA-2026-7" in page
    (created,) = events(app, "client.create")
    assert values(created.new_values)["notice_window_days"] == 10
    path = f"/admin/organisation/clients/{created.object_id}/delete"
    assert post(admin_client, path, {}).status_code == 302
    assert "Acme Plan" not in text(admin_client.get("/admin/organisation"))
    assert len(events(app, "client.delete")) == 1
    assert post(admin_client, path, {}).status_code == 404


def audit_rows(client: FlaskClient, query: str = "") -> list[tuple[str, ...]]:
    """(id, at, actor, action, object) per row shown."""
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200
    return [m.groups() for m in AUDIT_ROW.finditer(text(response))]


def add_facilities(settings: Settings, clock: FixedClock, count: int) -> None:
    """`count` facility.create events, written by the service as the app would."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "seed", trusted=True), clock.now(), AUDIT_KEY)
            for i in range(count):
                organisation.add_facility(call, f"Clinic {i:03}", "clinic")
    finally:
        engine.dispose()


def test_the_trail_lists_newest_first_with_old_and_new_values(admin_client: FlaskClient) -> None:
    """The admin view of the trail: newest first, each change as old -> new."""
    post(admin_client, "/admin/organisation", PROFILE)
    post(admin_client, "/admin/organisation", {**PROFILE, "legal_name": "Acme West"})
    rows = audit_rows(admin_client)
    ids = [int(r[0]) for r in rows]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 4
    assert rows[0][3] == "organisation.update" and rows[0][2] == "admin@example.org"
    page = text(admin_client.get("/admin/audit"))
    assert "legal_name</span>: <del>Acme Health</del> → <ins>Acme West</ins>" in page


def test_the_trail_filters_by_action_actor_object_and_date(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, admin: User
) -> None:
    """Filters: action prefix, actor e-mail, object type and a UTC date range."""
    sign_in(app.test_client(), officer.email)  # 2026-11-23
    clock.advance(days=2)
    client = app.test_client()
    sign_in(client, admin.email)  # 2026-11-25
    post(client, "/admin/organisation", PROFILE)
    auth_rows = audit_rows(client, "?action=auth.")
    assert auth_rows and all(r[3].startswith("auth.") for r in auth_rows)
    officer_rows = audit_rows(client, "?actor=OFFICER@")
    assert officer_rows and {r[2] for r in officer_rows} == {"officer@example.org"}
    org_rows = audit_rows(client, "?object_type=organisation")
    assert [r[3] for r in org_rows] == ["organisation.update"]
    late = audit_rows(client, "?since=2026-11-25")
    early = audit_rows(client, "?until=2026-11-23")
    assert late and all(r[1].startswith("2026-11-25") for r in late)
    assert early and all(r[1].startswith("2026-11-23") for r in early)
    assert "officer@example.org" in {r[2] for r in early} - {r[2] for r in late}
    assert audit_rows(client, "?since=2026-11-24&until=2026-11-24") == []


def test_bad_filter_values_do_not_break_the_trail(admin_client: FlaskClient) -> None:
    """Unparseable dates and pages are ignored, not a 500 (ASVS 16.5.3)."""
    for query in ("?since=yesterday&until=2026-13-45", "?page=abc", "?page=-3", "?page=99999"):
        assert admin_client.get(f"/admin/audit{query}").status_code == 200


def count_queries(app: Flask, client: FlaskClient, url: str) -> int:
    """SQL statements the app's engine runs while serving `url`, with nothing kept from earlier
    requests (services/kept.py): the count is the worst case, the same for every page."""
    statements: list[str] = []
    app.extensions["incident_tracker.kept"].resize(0)

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = app.extensions["incident_tracker.engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_the_trail_paginates_with_a_constant_number_of_queries(
    app: Flask, settings: Settings, clock: FixedClock, admin_client: FlaskClient
) -> None:
    """50 events per page, no event on two pages, and the same number of SQL statements for
    page 1, page 2 and a trail three times larger (no N+1)."""
    add_facilities(settings, clock, 60)
    first, second = audit_rows(admin_client), audit_rows(admin_client, "?page=2")
    total = len(events(app, ""))
    assert total > 60 and len(first) == 50 and len(second) == total - 50
    assert not {r[0] for r in first} & {r[0] for r in second}
    assert int(first[-1][0]) > int(second[0][0])
    assert "Page 1 of 2" in text(admin_client.get("/admin/audit"))
    page_one = count_queries(app, admin_client, "/admin/audit")
    page_two = count_queries(app, admin_client, "/admin/audit?page=2")
    add_facilities(settings, clock, 120)
    larger = count_queries(app, admin_client, "/admin/audit?page=3")
    filtered = count_queries(app, admin_client, "/admin/audit?action=facility.&page=2")
    assert page_one == page_two == larger == filtered
    assert page_one <= 10
