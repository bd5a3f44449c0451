"""Single sign-on against a real OpenID Connect provider (oidc-provider-mock, Authlib's server)
on 127.0.0.1: the app's redirects are followed to the provider over HTTP, the provider's consent
form is posted as a browser would, and the app redeems the code and checks the ID token itself.

The provider does not enforce PKCE, so the test checks the challenge the app sends is the S256
of the verifier it keeps (RFC 7636 §4.2). The clock starts at the real time: the provider signs
its tokens with the real time, and the app checks their expiry against its injected clock.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import oidc_provider_mock
import pyotp
import pytest
import requests
import werkzeug.serving
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from incident_tracker import create_app
from incident_tracker.clock import FixedClock
from incident_tracker.config import ConfigError, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, OidcLink, User
from incident_tracker.services import mfa, oidc_client, sso
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import PASSWORD, csrf_token, make_user

REDIRECT_URI = "http://localhost/login/sso/callback"  # the test client's host
ID_TOKEN_MINUTES = 5


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The provider on 127.0.0.1, nonce required, clients must register; its issuer URL."""
    app = oidc_provider_mock.app(
        require_client_registration=True,
        require_nonce=True,
        access_token_max_age=timedelta(minutes=ID_TOKEN_MINUTES),
    )
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings(settings: Settings, provider: str) -> Settings:
    client = requests.post(
        f"{provider}/oauth2/clients", json={"redirect_uris": [REDIRECT_URI]}, timeout=10
    ).json()
    return dataclasses.replace(
        settings,
        oidc_issuer=provider,
        oidc_client_id=client["client_id"],
        oidc_client_secret=client["client_secret"],
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    application = create_app(settings)
    yield application
    application.extensions["incident_tracker.engine"].dispose()


def provider_user(provider: str, sub: str, **claims: object) -> None:
    response = requests.put(f"{provider}/users/{sub}", json=claims, timeout=10)
    assert response.status_code == 204


def to_provider(client: FlaskClient) -> str:
    """The app's redirect to the provider, with the PKCE challenge checked; its URL."""
    start = client.get("/login/sso")
    assert start.status_code == 302, start.get_data(as_text=True)
    url = start.headers["Location"]
    query = parse_qs(urlsplit(url).query)
    with client.session_transaction() as kept:
        verifier = kept["sso_pending"]["verifier"]
    digest = hashlib.sha256(verifier.encode()).digest()
    assert query["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]
    assert query["code_challenge_method"] == ["S256"] and query["response_type"] == ["code"]
    assert query["state"][0] and query["nonce"][0] and "openid" in query["scope"][0].split()
    return url


def consent(url: str, sub: str) -> str:
    """The provider's sign-in form, posted over HTTP; the callback path and query it sends
    the browser back to."""
    answer = requests.post(url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT_URI
    return f"{back.path}?{back.query}"


def sso_sign_in(client: FlaskClient, provider: str, sub: str, **claims: object) -> TestResponse:
    provider_user(provider, sub, **claims)
    return client.get(consent(to_provider(client), sub))


def rows(app: Flask, model: type, *where: object) -> list:  # type: ignore[type-arg]
    with Session(app.extensions["incident_tracker.engine"]) as db:
        return list(db.exec(select(model).where(*where)).all())


def audited(app: Flask, action: str) -> list[AuditEvent]:
    return rows(app, AuditEvent, AuditEvent.action == action)  # type: ignore[arg-type]


def test_a_pre_registered_verified_e_mail_is_linked_by_issuer_and_subject(
    app: Flask, client: FlaskClient, settings: Settings, provider: str
) -> None:
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    login = client.get("/login").get_data(as_text=True)
    assert "Sign in with single sign-on" in login
    done = sso_sign_in(
        client, provider, "subject-1", email="Officer@Example.org", email_verified=True
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert "officer@example.org" in client.get("/").get_data(as_text=True)
    [link] = rows(app, OidcLink)
    assert (link.user_id, link.issuer, link.subject) == (officer.id, provider, "subject-1")
    assert len(audited(app, "auth.sso_linked")) == 1
    [verified] = audited(app, "auth.sso_verified")
    assert verified.actor_id == officer.id and "subject subject-1" in (verified.detail or "")
    assert [e.actor_id for e in audited(app, "auth.sign_in")] == [officer.id]

    # The second sign-in goes by the link: the provider's e-mail no longer matters.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    again = sso_sign_in(client, provider, "subject-1", email="moved@elsewhere.org")
    assert again.status_code == 302 and again.headers["Location"] == "/"
    assert "officer@example.org" in client.get("/").get_data(as_text=True)
    assert len(rows(app, OidcLink)) == 1 and len(audited(app, "auth.sso_linked")) == 1
    assert [e.actor_id for e in audited(app, "auth.sign_in")] == [officer.id, officer.id]


@pytest.mark.parametrize(
    ("email", "verified", "reason"),
    [
        ("officer@example.org", False, "e-mail not verified by the provider"),
        ("stranger@example.org", True, "no account with this e-mail (no self-sign-up)"),
    ],
)
def test_unverified_or_unregistered_e_mail_is_refused_and_nothing_is_made(
    app: Flask,
    client: FlaskClient,
    settings: Settings,
    provider: str,
    email: str,
    verified: bool,
    reason: str,
) -> None:
    make_user(settings, "officer@example.org", "privacy_officer")
    refused = sso_sign_in(client, provider, f"sub-{verified}", email=email, email_verified=verified)
    assert refused.status_code == 401
    assert sso.NOT_SET_UP.split(":")[0] in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in
    assert rows(app, OidcLink) == []
    assert [u.email for u in rows(app, User)] == ["officer@example.org"]
    [refusal] = audited(app, "auth.sso_refused")
    assert refusal.detail == f"{reason} ({email})"
    assert audited(app, "auth.sign_in") == []


def test_a_wrong_or_replayed_state_is_refused(
    app: Flask, client: FlaskClient, settings: Settings, provider: str
) -> None:
    make_user(settings, "officer@example.org", "privacy_officer")
    provider_user(provider, "subject-2", email="officer@example.org", email_verified=True)
    back = urlsplit(consent(to_provider(client), "subject-2"))
    query = parse_qs(back.query)
    forged = urlencode({"code": query["code"][0], "state": "not-the-state"})
    refused = client.get(urlunsplit(("", "", back.path, forged, "")))
    assert refused.status_code == 400
    # The pending sign-in was used up by the failed try: the genuine answer is refused too.
    assert client.get(f"{back.path}?{back.query}").status_code == 400
    assert client.get("/").status_code == 302
    details = [e.detail for e in audited(app, "auth.sso_refused")]
    assert details == ["state missing, expired or not this browser's"] * 2


def test_a_replayed_authorization_code_is_refused(
    app: Flask, client: FlaskClient, settings: Settings, provider: str
) -> None:
    """A code is single use (RFC 6749 §4.1.2): someone who saw the callback address replays its
    code from a browser of their own, with a sign-in of their own started so the state matches."""
    make_user(settings, "officer@example.org", "privacy_officer")
    provider_user(provider, "subject-5", email="officer@example.org", email_verified=True)
    callback = consent(to_provider(client), "subject-5")
    assert client.get(callback).status_code == 302  # the genuine sign-in
    other = app.test_client()
    to_provider(other)
    with other.session_transaction() as kept:
        state = kept["sso_pending"]["state"]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    replayed = other.get(f"/login/sso/callback?{urlencode({'code': code, 'state': state})}")
    assert replayed.status_code == 401
    assert other.get("/").status_code == 302  # not signed in
    [refusal] = audited(app, "auth.sso_refused")
    assert (refusal.detail or "").startswith("code not redeemed")
    assert len(audited(app, "auth.sign_in")) == 1


def test_an_expired_id_token_or_another_nonce_is_refused(
    app: Flask, client: FlaskClient, settings: Settings, provider: str, clock: FixedClock
) -> None:
    make_user(settings, "officer@example.org", "privacy_officer")
    provider_user(provider, "subject-3", email="officer@example.org", email_verified=True)
    # A code redeemed for another sign-in attempt's nonce (a replayed ID token) is refused.
    url = to_provider(client)
    with client.session_transaction() as kept:
        pending = kept["sso_pending"]
    code = parse_qs(urlsplit(consent(url, "subject-3")).query)["code"][0]
    other = oidc_client.Start("", pending["state"], "another-nonce", pending["verifier"])
    with pytest.raises(oidc_client.Refused, match="nonce"):
        oidc_client.identify(settings, clock.now(), REDIRECT_URI, code, other)

    callback = consent(to_provider(client), "subject-3")
    clock.advance(minutes=ID_TOKEN_MINUTES + 2)  # past exp and the minute of leeway
    assert client.get(callback).status_code == 401
    [refusal] = audited(app, "auth.sso_refused")
    assert "ExpiredTokenError" in (refusal.detail or "")
    assert rows(app, OidcLink) == []


def _enrol(settings: Settings, user: User, clock: FixedClock) -> str:
    engine = make_engine(settings.db_url)
    try:
        secret = mfa.new_seed()
        with unit_of_work(engine) as session:
            call = Call(session, Actor(user.id, user.email, user.role), clock.now(), "k" * 40)
            code = pyotp.TOTP(secret).at(clock.now())
            assert mfa.confirm_enrolment(call, settings, user, secret, code).ok
    finally:
        engine.dispose()
    clock.advance(seconds=30)  # the enrolment code's step is spent
    return secret


def test_single_sign_on_still_asks_the_apps_second_factor_even_when_the_provider_says_mfa(
    app: Flask, client: FlaskClient, settings: Settings, provider: str, clock: FixedClock
) -> None:
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    secret = _enrol(settings, officer, clock)
    held = sso_sign_in(
        client, provider, "subject-4", email=officer.email, email_verified=True, amr=["mfa"]
    )
    assert held.status_code == 302 and held.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # no session before the code
    assert audited(app, "auth.sign_in") == []
    [verified] = audited(app, "auth.sso_verified")
    assert "provider amr mfa" in (verified.detail or "")
    code = pyotp.TOTP(secret).at(clock.now())
    done = client.post(
        "/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")}
    )
    assert done.status_code == 302 and client.get("/").status_code == 200
    assert [e.actor_id for e in audited(app, "auth.sign_in")] == [officer.id]


def _set_emergency(settings: Settings, user: User) -> None:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            admin = Actor(None, "test", "admin", trusted=True)
            call = Call(session, admin, datetime.now(UTC), "k" * 40)
            sso.set_emergency_local(call, user.id or 0, True)
    finally:
        engine.dispose()


def _password(client: FlaskClient, email: str) -> TestResponse:
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def test_local_passwords_are_refused_except_for_an_emergency_admin_with_a_second_factor(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock
) -> None:
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    admin = make_user(settings, "admin@example.org", "admin")
    refused = _password(client, officer.email)
    assert refused.status_code == 401
    assert "This site uses single sign-on" in refused.get_data(as_text=True)
    assert _password(client, admin.email).status_code == 401  # an admin, but not emergency
    with pytest.raises(Exception, match="only an admin account"):
        _set_emergency(settings, officer)
    _set_emergency(settings, admin)
    no_factor = _password(client, admin.email)  # emergency, but no second factor yet
    assert no_factor.status_code == 401 and audited(app, "auth.sign_in") == []
    _enrol(settings, admin, clock)
    asked = _password(client, admin.email)
    assert asked.status_code == 302 and asked.headers["Location"] == "/login/code"
    [flag] = audited(app, "user.emergency_local")
    assert flag.object_id == str(admin.id)
    failures = rows(app, AuditEvent, col(AuditEvent.action).startswith("auth."))
    assert all(e.action != "auth.sign_in" for e in failures)


def test_sso_settings_are_checked() -> None:
    half = Settings(env="test", oidc_issuer="https://idp.example.org", oidc_client_id="app")
    with pytest.raises(ConfigError, match="must be set together"):
        half.check()
    assert not half.sso_enabled
    plain = Settings(
        env="production",
        oidc_issuer="http://idp.example.org",
        oidc_client_id="app",
        oidc_client_secret="s" * 40,
    )
    assert any("OIDC_ISSUER must be an https://" in p for p in plain.problems())
    tls = dataclasses.replace(plain, oidc_issuer="https://idp.example.org")
    assert tls.sso_enabled and not any("OIDC" in p for p in tls.problems())


def test_an_admin_signed_in_by_sso_marks_only_admins_as_emergency_local_accounts(
    app: Flask, client: FlaskClient, settings: Settings, provider: str
) -> None:
    admin = make_user(settings, "admin@example.org", "admin")
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    sso_sign_in(client, provider, "admin-sub", email=admin.email, email_verified=True)
    token = csrf_token(client, "/admin/users")
    for user, status in ((officer, 422), (admin, 302)):
        answer = client.post(
            f"/admin/users/{user.id}/emergency-local", data={"on": "1", "csrf_token": token}
        )
        assert answer.status_code == status
    page = client.get("/admin/users").get_data(as_text=True)
    assert page.count("emergency local account</span>") == 1
    flags = {u.email: u.emergency_local for u in rows(app, User)}
    assert flags == {admin.email: True, officer.email: False}


def test_an_sso_account_is_not_offered_a_password_change_and_the_form_refuses_it(
    app: Flask, client: FlaskClient, settings: Settings, provider: str
) -> None:
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    sso_sign_in(client, provider, "subject-6", email=officer.email, email_verified=True)
    home = client.get("/").get_data(as_text=True)
    assert "officer@example.org" in home and "/account/password" not in home
    token = csrf_token(client, "/")
    data = {"current_password": PASSWORD, "new_password": "a brand new passphrase 99"}
    for post in (None, {**data, "csrf_token": token}):
        answer = client.open("/account/password", method="POST" if post else "GET", data=post)
        assert answer.status_code == 302 and answer.headers["Location"] == "/"
        shown = client.get("/").get_data(as_text=True)
        assert shown.count("Your account signs in with single sign-on") == 1
    [kept] = rows(app, User, User.id == officer.id)
    assert kept.password_hash == officer.password_hash
    assert audited(app, "user.password_change") == []


def test_an_emergency_local_admin_still_sees_and_may_use_the_password_change(
    app: Flask, client: FlaskClient, settings: Settings, clock: FixedClock
) -> None:
    admin = make_user(settings, "admin@example.org", "admin")
    _set_emergency(settings, admin)
    secret = _enrol(settings, admin, clock)
    assert _password(client, admin.email).headers["Location"] == "/login/code"
    code = pyotp.TOTP(secret).at(clock.now())
    client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})
    home = client.get("/").get_data(as_text=True)
    assert 'href="/account/password"' in home
    form = client.get("/account/password")
    assert form.status_code == 200 and "Change password" in form.get_data(as_text=True)
