"""Personal API tokens: made by the CLI and the account page, shown once and stored as a hash,
used as `Authorization: Bearer`, listed with last use, revoked by hand, by expiry, and when the
user is disabled or changes role; rate-limited per token in the database; read-only tokens
cannot write; Idempotency-Key replays the first answer; CSRF still guards cookie writes."""

from __future__ import annotations

import hashlib
import io
import os
import re
from datetime import timedelta
from unittest import mock

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from incident_tracker import create_app
from incident_tracker.cli import main
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import ApiToken, AuditEvent, Incident, User
from incident_tracker.services import api_tokens, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.api.helpers import auth, create_incident, issue
from tests.conftest import START, csrf_token, make_user, sign_in


def _cli(settings: Settings, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = {"DATABASE_URL": settings.db_url, "INSTANCE_PATH": str(settings.instance_path)}
    env["AUDIT_KEY"] = settings.audit_key
    with mock.patch.dict(os.environ, env):
        code = main(list(argv), out, err, io.StringIO())
    return code, out.getvalue(), err.getvalue()


def _rows(settings: Settings, model: type, *where: object) -> list:  # type: ignore[type-arg]
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            found = list(session.exec(select(model).where(*where)))
            for row in found:
                session.expunge(row)
            return found
    finally:
        engine.dispose()


def _admin_call(settings: Settings, change: str, user_id: int) -> None:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), START, settings.audit_key)
            if change == "disable":
                users.set_active(call, user_id, False)
            else:
                users.set_role(call, user_id, "read_only")
    finally:
        engine.dispose()


def test_the_cli_prints_a_token_once_and_keeps_only_its_hash(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    code, out, _ = _cli(settings, "api-token", "create", "--user", officer.email, "--scope", "read")
    assert code == 0
    secret = re.search(r"^(it_\S+)$", out, re.M)
    assert secret, out
    token = secret.group(1)
    stored = _rows(settings, ApiToken)
    assert len(stored) == 1
    assert stored[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored[0].__dict__)  # only the hash and a short prefix
    # 30 days by default (the command runs on the real clock)
    assert stored[0].expires_at - stored[0].created_at == timedelta(days=30)
    assert client.get("/api/v1/incidents", headers=auth(token)).status_code == 200


def test_the_cli_refuses_more_than_90_days_and_unknown_users(
    settings: Settings, officer: User
) -> None:
    code, _, err = _cli(
        settings,
        "api-token",
        "create",
        "--user",
        officer.email,
        "--scope",
        "read",
        "--expires",
        "91",
    )
    assert code == 2 and "1 to 90 days" in err
    code, _, err = _cli(
        settings, "api-token", "create", "--user", "nobody@example.org", "--scope", "read"
    )
    assert code == 2 and "no active account" in err
    assert _rows(settings, ApiToken) == []


def test_a_token_lasts_the_days_asked_and_then_is_refused(
    client: FlaskClient, settings: Settings, officer: User, clock: FixedClock
) -> None:
    token = issue(settings, officer.id or 0, days=90)
    (row,) = _rows(settings, ApiToken)
    # issued at START (2026-11-23 09:00 UTC) + 90 days = 2027-02-21 09:00 UTC
    assert row.expires_at.strftime("%Y-%m-%d %H:%M") == "2027-02-21 09:00"
    clock.advance(days=89, hours=23)
    assert client.get("/api/v1/incidents", headers=auth(token)).status_code == 200
    clock.advance(hours=1)
    response = client.get("/api/v1/incidents", headers=auth(token))
    assert response.status_code == 401
    assert response.get_json()["error"] == "the token is unknown, revoked or expired"


def test_no_token_or_a_wrong_one_is_401(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    assert client.get("/api/v1/incidents").status_code == 401
    assert client.get("/api/v1/incidents", headers=auth("it_not-a-real-token")).status_code == 401
    assert (
        client.get("/api/v1/incidents", headers={"Authorization": "Basic abc"}).status_code == 401
    )


@pytest.mark.parametrize("change", ["disable", "role"])
def test_disabling_the_user_or_changing_their_role_revokes_their_tokens(
    client: FlaskClient, settings: Settings, officer: User, change: str
) -> None:
    token = issue(settings, officer.id or 0)
    other = make_user(settings, "other@example.org", "privacy_officer")
    kept = issue(settings, other.id or 0)
    assert client.get("/api/v1/incidents", headers=auth(token)).status_code == 200
    _admin_call(settings, change, officer.id or 0)
    assert client.get("/api/v1/incidents", headers=auth(token)).status_code == 401
    (row,) = _rows(settings, ApiToken, ApiToken.user_id == officer.id)
    assert row.revoke_reason == ("disabled" if change == "disable" else "role_changed")
    assert client.get("/api/v1/incidents", headers=auth(kept)).status_code == 200


def test_a_read_token_cannot_write(client: FlaskClient, settings: Settings, officer: User) -> None:
    token = issue(settings, officer.id or 0, scope="read")
    body = {"title": "Laptop stolen", "discovered_on": "2026-11-20"}
    response = client.post("/api/v1/incidents", json=body, headers=auth(token))
    assert response.status_code == 403
    assert _rows(settings, Incident) == []


def test_the_rate_limit_is_kept_per_token_and_answers_429_with_retry_after(
    client: FlaskClient, settings: Settings, officer: User, clock: FixedClock
) -> None:
    token = issue(settings, officer.id or 0)
    other = issue(settings, officer.id or 0)
    for _ in range(api_tokens.RATE_LIMIT):
        assert client.get("/api/v1/obligations", headers=auth(token)).status_code == 200
    clock.advance(seconds=20)
    refused = client.get("/api/v1/obligations", headers=auth(token))
    assert refused.status_code == 429
    # the window began at START; 60 s from then is 40 s after now (+1 rounding up)
    assert refused.headers["Retry-After"] == "41"
    assert client.get("/api/v1/obligations", headers=auth(other)).status_code == 200
    clock.advance(seconds=40)
    assert client.get("/api/v1/obligations", headers=auth(token)).status_code == 200


def test_the_same_idempotency_key_creates_one_incident_and_replays_the_answer(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    token = issue(settings, officer.id or 0)
    body = {"title": "Laptop stolen", "discovered_on": "2026-11-20"}
    headers = auth(token, **{"Idempotency-Key": "siem-4711"})
    first = client.post("/api/v1/incidents", json=body, headers=headers)
    again = client.post("/api/v1/incidents", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert len(_rows(settings, Incident)) == 1
    different = client.post("/api/v1/incidents", json={**body, "title": "Other"}, headers=headers)
    assert different.status_code == 422
    assert "Idempotency-Key" in different.get_json()["fields"]


def test_calls_that_read_phi_or_write_are_audited_with_the_token_id(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    token = issue(settings, officer.id or 0)
    (row,) = _rows(settings, ApiToken)
    created = create_incident(client, token)
    client.get(f"/api/v1/incidents/{created['id']}", headers=auth(token))
    events = _rows(settings, AuditEvent, AuditEvent.object_type == "api_token")
    kinds = [(e.action, e.object_id, e.detail) for e in events if e.action.startswith("api.")]
    assert ("api.write", str(row.id), "POST /api/v1/incidents") in kinds
    assert ("api.read", str(row.id), "GET /api/v1/incidents/<int:incident_id>") in kinds
    views = _rows(settings, AuditEvent, AuditEvent.action == "incident.view")
    assert [v.actor_email for v in views] == [officer.email]


def test_csrf_still_guards_a_signed_in_browser_and_never_a_bearer_call(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    sign_in(client, officer.email)
    body = {"title": "Laptop stolen", "discovered_on": "2026-11-20"}
    forged = client.post("/api/v1/incidents", json=body)
    assert forged.status_code == 400  # the CSRF refusal, before anything else
    assert client.get("/api/v1/openapi.json").status_code == 200  # the document: GET, cookie
    assert client.get("/api/v1/incidents").status_code == 401  # data: tokens only
    token = issue(settings, officer.id or 0)
    fresh = client.application.test_client()
    assert fresh.post("/api/v1/incidents", json=body, headers=auth(token)).status_code == 201


def test_the_account_page_creates_lists_and_revokes_a_token(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    sign_in(client, officer.email)
    page = client.get("/account/api-tokens")
    assert page.status_code == 200 and "You have no API tokens." in page.get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(client, "/account/api-tokens"),
        "scope": "read",
        "expires": "7",
    }
    made = client.post("/account/api-tokens", data={**form, "name": "SIEM"})
    html = made.get_data(as_text=True)
    secret = re.search(r"<code data-token>(it_[^<]+)</code>", html)
    assert made.status_code == 200 and secret
    assert client.get("/account/api-tokens").get_data(as_text=True).count(secret.group(1)) == 0
    api = client.application.test_client()
    assert api.get("/api/v1/incidents", headers=auth(secret.group(1))).status_code == 200
    listed = client.get("/account/api-tokens").get_data(as_text=True)
    (row,) = _rows(settings, ApiToken)
    assert f'id="api-token-{row.id}" data-state="live"' in listed
    assert "never" not in listed.split(f'id="api-token-{row.id}"')[1].split("</tr>")[0]
    too_long = client.post("/account/api-tokens", data={**form, "expires": "91"})
    assert too_long.status_code == 422 and "1 to 90 days" in too_long.get_data(as_text=True)
    client.post(
        f"/account/api-tokens/{row.id}/revoke",
        data={"csrf_token": csrf_token(client, "/account/api-tokens")},
    )
    assert api.get("/api/v1/incidents", headers=auth(secret.group(1))).status_code == 401


def test_another_users_token_cannot_be_revoked(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    other = make_user(settings, "other@example.org", "privacy_officer")
    token = issue(settings, other.id or 0)
    (row,) = _rows(settings, ApiToken)
    sign_in(client, officer.email)
    response = client.post(
        f"/account/api-tokens/{row.id}/revoke",
        data={"csrf_token": csrf_token(client, "/account/api-tokens")},
    )
    assert response.status_code == 404
    api = client.application.test_client()
    assert api.get("/api/v1/incidents", headers=auth(token)).status_code == 200


def test_the_cli_revokes_a_token_by_its_id(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    token = issue(settings, officer.id or 0)
    (row,) = _rows(settings, ApiToken)
    code, out, _ = _cli(settings, "api-token", "revoke", str(row.id))
    assert (code, out) == (0, f"token {row.id} revoked\n")
    assert client.get("/api/v1/incidents", headers=auth(token)).status_code == 401
    code, _, err = _cli(settings, "api-token", "revoke", "99999")
    assert code == 2 and "no such token" in err


def test_the_rate_limit_is_shared_by_every_worker(
    app: Flask, settings: Settings, officer: User
) -> None:
    """Two app instances on one database stand for two gunicorn workers: their calls count in
    the same window, kept in the database."""
    token = issue(settings, officer.id or 0)
    other = create_app(settings)
    try:
        workers = [app.test_client(), other.test_client()]
        for n in range(api_tokens.RATE_LIMIT):
            answer = workers[n % 2].get("/api/v1/obligations", headers=auth(token))
            assert answer.status_code == 200
        assert workers[0].get("/api/v1/obligations", headers=auth(token)).status_code == 429
        assert workers[1].get("/api/v1/obligations", headers=auth(token)).status_code == 429
    finally:
        other.extensions["incident_tracker.engine"].dispose()
