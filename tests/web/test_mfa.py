"""The second factor through the client (45 CFR 164.312(d); RFC 6238; ASVS 5.0 6.3.3, 6.5, 6.6):
enrolment counts only once a code proved it, the seed is kept encrypted and the recovery codes
hashed, the password alone opens no session, a code is refused when wrong, replayed or after the
lock-out, a recovery code works once, MFA_REQUIRED_ROLES confines a user to enrolment, and an
admin's reset is audited and told by e-mail. Codes are computed with pyotp at the injected clock.
"""

from __future__ import annotations

import dataclasses
import re

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import AuditEvent, MfaRecoveryCode, User, UserMfa, UserSession
from tests.conftest import PASSWORD, csrf_token, sign_in
from tests.mailbox import Mailbox, body

WRONG = "The code is not correct, or it was already used."


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return dataclasses.replace(settings, mail=mailbox.settings)


def page(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def post(client: FlaskClient, path: str, data: dict[str, str], token_from: str = "/") -> object:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from)})


def enrol(client: FlaskClient, clock: FixedClock) -> tuple[str, list[str]]:
    """Set up the authenticator on the signed-in client: the seed shown and the recovery codes."""
    shown = page(client.get("/account/mfa"))
    found = re.search(r'id="mfa-secret">([A-Z2-7]+)<', shown)
    assert found is not None and 'src="data:image/svg+xml' in shown
    secret = found.group(1)
    done = post(
        client, "/account/mfa", {"code": pyotp.TOTP(secret).at(clock.now())}, "/account/mfa"
    )
    codes = re.findall(r'<code class="secret">([a-z0-9-]+)</code>', page(done))
    assert len(codes) == 10
    return secret, codes


def password_step(client: FlaskClient, email: str) -> None:
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302 and response.location.endswith("/login/code")  # type: ignore[attr-defined]


def code_step(client: FlaskClient, code: str) -> object:
    return post(client, "/login/code", {"code": code}, "/login/code")


def sessions(app: Flask, user: User) -> list[UserSession]:
    with Session(app.extensions["incident_tracker.engine"]) as db:
        return list(db.exec(select(UserSession).where(UserSession.user_id == user.id)).all())


def actions(app: Flask, prefix: str) -> list[AuditEvent]:
    with Session(app.extensions["incident_tracker.engine"]) as db:
        query = select(AuditEvent).where(col(AuditEvent.action).startswith(prefix))
        return list(db.exec(query.order_by(col(AuditEvent.id))).all())


def test_enrolment_counts_only_after_a_code_and_keeps_no_secret_in_clear(
    app: Flask, client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    sign_in(client, officer.email)
    shown = page(client.get("/account/mfa"))
    secret = re.search(r'id="mfa-secret">([A-Z2-7]+)<', shown).group(1)  # type: ignore[union-attr]
    assert len(secret) == 32  # 160 bits (RFC 4226 §4)
    assert secret in page(client.get("/account/mfa"))  # a reload shows the same seed
    assert secret not in str(client.get_cookie("session").value)  # type: ignore[union-attr]
    wrong = post(client, "/account/mfa", {"code": "000000"}, "/account/mfa")
    assert wrong.status_code == 422 and WRONG in page(wrong)  # type: ignore[attr-defined]
    assert secret in page(wrong)  # the same seed again, to try another code
    with Session(app.extensions["incident_tracker.engine"]) as db:
        assert db.get(UserMfa, officer.id) is None  # nothing stored before a code proves it
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, officer.email)  # unconfirmed: the password alone still signs in
    secret, codes = enrol(client, clock)
    with Session(app.extensions["incident_tracker.engine"]) as db:
        row = db.get(UserMfa, officer.id)
        assert row is not None and row.confirmed_at == clock.now()
        assert secret not in row.secret_encrypted
        stored = db.exec(select(MfaRecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert all(code.replace("-", "") not in h for code in codes for h in stored)
    assert "Two-step sign-in is on. You have 10 unused" in page(client.get("/account/mfa"))
    assert [e.action for e in actions(app, "mfa.")] == ["mfa.enrolled"]


def test_showing_the_enrolment_page_writes_nothing(
    app: Flask, client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    """RFC 9110 §9.2.1: a GET is safe. The seed waits in the visitor's session until a code
    proves it; a new sign-in shows a new seed, and a code for the seed another session showed
    is refused."""
    sign_in(client, officer.email)
    with Session(app.extensions["incident_tracker.engine"]) as db:
        last = max((e.id or 0 for e in db.exec(select(AuditEvent))), default=0)
    first = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page(client.get("/account/mfa")))
    assert first is not None
    other = app.test_client()
    sign_in(other, officer.email)
    second = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page(other.get("/account/mfa")))
    assert second is not None and second.group(1) != first.group(1)
    with Session(app.extensions["incident_tracker.engine"]) as db:
        assert db.exec(select(UserMfa)).all() == []
        # Two sign-ins, nothing else: the pages added no audit row.
        new = db.exec(select(AuditEvent.action).where(col(AuditEvent.id) > last)).all()
        assert [a for a in new if not a.startswith("auth.")] == []
    crossed = post(
        other, "/account/mfa", {"code": pyotp.TOTP(first.group(1)).at(clock.now())}, "/account/mfa"
    )
    assert crossed.status_code == 422  # type: ignore[attr-defined]
    done = post(
        client, "/account/mfa", {"code": pyotp.TOTP(first.group(1)).at(clock.now())}, "/account/mfa"
    )
    assert done.status_code == 200 and "recovery" in page(done).lower()  # type: ignore[attr-defined]


def test_password_alone_opens_no_session_and_codes_are_refused_when_wrong_or_replayed(
    app: Flask, client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    sign_in(client, officer.email)
    secret, _ = enrol(client, clock)
    clock.advance(seconds=30)
    other = app.test_client()
    before = len(sessions(app, officer))
    password_step(other, officer.email)
    assert len(sessions(app, officer)) == before  # pending is not a session
    assert other.get("/").status_code == 302  # and reaches no page
    wrong = code_step(other, "123456" if pyotp.TOTP(secret).at(clock.now()) != "123456" else "1")
    assert wrong.status_code == 401 and WRONG in page(wrong)  # type: ignore[attr-defined]
    code = pyotp.TOTP(secret).at(clock.now())
    assert code_step(other, code).status_code == 302  # type: ignore[attr-defined]
    assert len(sessions(app, officer)) == before + 1
    assert other.get("/").status_code == 200
    # The same code again, from another browser in the same 30 s window: refused.
    third = app.test_client()
    password_step(third, officer.email)
    replayed = code_step(third, code)
    assert replayed.status_code == 401 and WRONG in page(replayed)  # type: ignore[attr-defined]
    assert third.get("/").status_code == 302
    # And the code of an earlier window than the last one used: refused too.
    stale = pyotp.TOTP(secret).at(clock.now().timestamp() - 30)
    assert code_step(third, stale).status_code == 401  # type: ignore[attr-defined]


def test_a_recovery_code_works_once(
    app: Flask, client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    sign_in(client, officer.email)
    _, codes = enrol(client, clock)
    first = app.test_client()
    password_step(first, officer.email)
    used = code_step(first, codes[3].upper())
    assert used.status_code == 302  # type: ignore[attr-defined]
    assert "recovery code; it cannot be used again" in page(first.get("/"))
    again = app.test_client()
    password_step(again, officer.email)
    assert code_step(again, codes[3]).status_code == 401  # type: ignore[attr-defined]
    (row,) = actions(app, "mfa.recovery_code_used")
    assert row.detail == "9 recovery code(s) left"


def test_repeated_wrong_codes_lock_the_account(
    app: Flask, client: FlaskClient, officer: User, clock: FixedClock, settings: Settings
) -> None:
    sign_in(client, officer.email)
    secret, _ = enrol(client, clock)
    clock.advance(seconds=60)
    attacker = app.test_client()
    password_step(attacker, officer.email)
    right = pyotp.TOTP(secret).at(clock.now())
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.max_failed_logins):
        assert code_step(attacker, wrong).status_code == 401  # type: ignore[attr-defined]
    locked = code_step(attacker, right)
    assert locked.status_code == 429 and "locked" in page(locked)  # type: ignore[attr-defined]
    assert len(actions(app, "auth.account_locked")) == 1
    clock.advance(minutes=settings.lockout_minutes, seconds=1)  # the lock-out ends
    password_step(attacker, officer.email)
    late = code_step(attacker, pyotp.TOTP(secret).at(clock.now()))
    assert late.status_code == 302  # type: ignore[attr-defined]


@pytest.fixture
def officers_must_enrol(app: Flask) -> None:
    current = app.extensions["incident_tracker.settings"]
    app.extensions["incident_tracker.settings"] = dataclasses.replace(
        current, mfa_required_roles=("privacy_officer",)
    )


@pytest.mark.usefixtures("officers_must_enrol")
def test_a_role_that_must_use_a_second_factor_reaches_only_enrolment(
    client: FlaskClient, officer: User, admin: User, clock: FixedClock, app: Flask
) -> None:
    sign_in(client, officer.email)
    for path in ("/", "/incidents", "/incidents/new", "/account/password"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/account/mfa"), path
    api = client.get("/incidents", headers={"Accept": "application/json"})
    assert api.status_code == 403 and api.get_json() == {"error": "set up your second factor first"}
    refused = client.post(
        "/account/password", data={"csrf_token": csrf_token(client, "/account/mfa")}
    )
    assert refused.status_code == 302
    enrol(client, clock)
    assert client.get("/incidents").status_code == 200
    admin_client = app.test_client()  # admins are not in the list: no second factor asked
    sign_in(admin_client, admin.email)
    assert admin_client.get("/admin/users").status_code == 200


def test_an_admin_resets_a_second_factor_audited_and_the_user_is_told(
    app: Flask, client: FlaskClient, officer: User, admin: User, clock: FixedClock, mailbox: Mailbox
) -> None:
    sign_in(client, officer.email)
    enrol(client, clock)
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    users_page = page(admin_client.get("/admin/users"))
    assert f"Reset the second factor of {officer.email}" in users_page
    done = post(admin_client, f"/admin/users/{officer.id}/mfa-reset", {}, "/admin/users")
    assert done.status_code == 302  # type: ignore[attr-defined]
    assert "they are told by e-mail" in page(admin_client.get("/admin/users"))
    told = mailbox.wait_for(officer.email)
    assert "removed the authenticator app" in body(told) and admin.email in body(told)
    (row,) = actions(app, "mfa.reset")
    assert row.actor_email == admin.email and row.object_id == str(officer.id)
    assert client.get("/").status_code == 302  # the officer's session ended
    sign_in(client, officer.email)  # the password alone again, until they enrol anew
    assert client.get("/").status_code == 200
    with Session(app.extensions["incident_tracker.engine"]) as db:
        assert db.get(UserMfa, officer.id) is None
        assert db.exec(select(MfaRecoveryCode)).all() == []
