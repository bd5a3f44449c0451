"""Settings and start-up refusals: production will not start with a missing,
short, published or shared secret, with debug on, or without HTTPS-only cookies (45 CFR
164.312(a)(1) access control, (d) authentication, (e)(1) transmission security; ASVS 5.0 13.3
secret management, 3.3 cookie setup). Demo accounts at start-up: tests/test_demo_retirement.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import select

from incident_tracker import create_app
from incident_tracker.clock import FixedClock
from incident_tracker.config import MIN_KEY_LENGTH, ConfigError, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuthFailureWindow
from tests.conftest import AUDIT_KEY, csrf_token

SECRET = "s3cret-key-for-production-0123456789abcdef"
PRODUCTION = {
    "INCIDENT_TRACKER_ENV": "production",
    "SECRET_KEY": SECRET,
    "AUDIT_KEY": AUDIT_KEY,
    "MFA_ENCRYPTION_KEY": "mfa-encryption-key-for-production-0123456789",
    "BASE_URL": "https://tracker.example.org",
}


def _problems(**overrides: str) -> str:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**PRODUCTION, **overrides}).check()
    return str(caught.value)


@pytest.fixture
def started() -> Iterator[list[Flask]]:
    """Apps created by a test; their engines are disposed afterwards."""
    apps: list[Flask] = []
    yield apps
    for app in apps:
        app.extensions["incident_tracker.engine"].dispose()


def _start(apps: list[Flask], settings: Settings) -> Flask:
    app = create_app(settings)
    apps.append(app)
    return app


def _production(settings: Settings, clock: FixedClock) -> Settings:
    """A valid production configuration on the test's migrated database."""
    env = {**PRODUCTION, "INSTANCE_PATH": str(settings.instance_path)}
    env["DATABASE_URL"] = settings.database_url  # the test's database, on either backend
    return replace(Settings.from_env(env), clock=clock)


def test_production_without_keys_names_both_secrets() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"INCIDENT_TRACKER_ENV": "production"}).check()
    message = str(caught.value)
    assert message.startswith("refusing to start in production")
    assert "SECRET_KEY must be set" in message and "AUDIT_KEY must be set" in message


def test_production_refuses_the_keys_an_earlier_version_published() -> None:
    """Earlier versions shipped these development keys in the source: anyone could sign cookies
    or re-chain an edited audit trail with them, so they are refused despite their length."""
    message = _problems(
        SECRET_KEY="dev-only-secret-key-not-for-production",
        AUDIT_KEY="dev-only-audit-key-not-for-production",
    )
    assert "SECRET_KEY must be set" in message and "AUDIT_KEY must be set" in message


@pytest.mark.parametrize("name", ["SECRET_KEY", "AUDIT_KEY"])
def test_production_refuses_a_key_shorter_than_the_minimum(name: str) -> None:
    """ASVS 5.0 13.3: secrets of real strength; 32 characters is the floor."""
    message = _problems(**{name: "k" * (MIN_KEY_LENGTH - 1)})
    assert f"{name} must be set to a random value of {MIN_KEY_LENGTH}+ chars" in message
    Settings.from_env({**PRODUCTION, name: "k" * MIN_KEY_LENGTH}).check()  # the floor passes


def test_production_refuses_the_same_key_for_sessions_and_the_audit_chain() -> None:
    """Whoever can forge a session cookie must not also be able to re-sign the audit trail."""
    assert "AUDIT_KEY must differ from SECRET_KEY" in _problems(AUDIT_KEY=SECRET)


def test_production_refuses_debug_mode() -> None:
    """Debug mode serves stack traces and an interactive console."""
    assert "FLASK_DEBUG must be off" in _problems(FLASK_DEBUG="1")


def test_production_refuses_cookies_over_plain_http() -> None:
    """HIPAA 164.312(e)(1): the session cookie travels only over TLS."""
    assert "SECURE_COOKIES must be on" in _problems(SECURE_COOKIES="0")


def test_every_problem_is_listed_at_once() -> None:
    message = _problems(
        SECRET_KEY="short", AUDIT_KEY="short", FLASK_DEBUG="yes", SECURE_COOKIES="no"
    )
    for name in ("SECRET_KEY", "AUDIT_KEY", "FLASK_DEBUG", "SECURE_COOKIES"):
        assert name in message


def test_a_valid_production_environment_passes_with_host_prefixed_secure_cookies() -> None:
    """ASVS 5.0 3.3.1, 3.3.4: Secure, HttpOnly, and the __Host- prefix (no Domain, Path=/)."""
    settings = Settings.from_env({**PRODUCTION, "INCIDENT_TRACKER_ENV": " Production "})
    assert settings.production and settings.problems() == []
    settings.check()
    config = settings.flask_config()
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["SESSION_COOKIE_SECURE"] is True and config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["DEBUG"] is False


def test_production_app_sets_a_secure_host_cookie(
    settings: Settings, clock: FixedClock, started: list[Flask]
) -> None:
    app = _start(started, _production(settings, clock))
    response = app.test_client().get("/login")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; Path=/" in cookie
    assert "Domain=" not in cookie


def test_create_app_refuses_production_without_keys(settings: Settings) -> None:
    missing = Settings.from_env(
        {"INCIDENT_TRACKER_ENV": "production", "INSTANCE_PATH": str(settings.instance_path)}
    )
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        create_app(missing)


def test_development_defaults_still_work(
    settings: Settings, clock: FixedClock, started: list[Flask]
) -> None:
    """Outside production nothing is refused, so `make run` works on a fresh machine (its keys
    are made in the instance folder: tests/test_environments.py)."""
    assert Settings().db_url.endswith("/instance/incident-tracker.db")
    plain = Settings.from_env({"INSTANCE_PATH": str(settings.instance_path)})
    assert plain.env == "development" and not plain.production
    assert plain.problems() == [] and plain.debug is False and plain.secure_cookies is False
    assert plain.flask_config()["SESSION_COOKIE_NAME"] == "session"
    plain.check()
    dev = replace(plain, database_url=settings.database_url, clock=clock)
    assert _start(started, dev).test_client().get("/healthz").status_code == 200


def test_a_non_numeric_timeout_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="IDLE_TIMEOUT_MINUTES: 'soon' is not a whole number"):
        Settings.from_env({"IDLE_TIMEOUT_MINUTES": "soon"})


def _failed_sign_in_address(
    settings: Settings, clock: FixedClock, started: list[Flask], proxies: str
) -> str | None:
    env = {"INSTANCE_PATH": str(settings.instance_path), "AUDIT_KEY": AUDIT_KEY}
    env["DATABASE_URL"] = settings.database_url  # the test's database, on either backend
    env["TRUSTED_PROXIES"] = proxies
    client = _start(started, replace(Settings.from_env(env), clock=clock)).test_client()
    response = client.post(
        "/login",
        data={
            "email": "x@example.org",
            "password": "wrong password 123",
            "csrf_token": csrf_token(client),
        },
        headers={"X-Forwarded-For": "198.51.100.23"},
    )
    assert response.status_code == 401
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            # the throttle store counts the failure under the address its audit summary names
            rows = session.exec(select(AuthFailureWindow)).all()
    finally:
        engine.dispose()
    assert len(rows) == 1
    return rows[0].client_address


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(
    settings: Settings, clock: FixedClock, started: list[Flask]
) -> None:
    """TRUSTED_PROXIES=1 (ProxyFix): the audit trail records the real client, not the proxy."""
    assert _failed_sign_in_address(settings, clock, started, "1") == "198.51.100.23"


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(
    settings: Settings, clock: FixedClock, started: list[Flask]
) -> None:
    """A client cannot spoof its audited address (or dodge the throttle) with a header."""
    assert _failed_sign_in_address(settings, clock, started, "0") == "127.0.0.1"


def test_storage_path_holds_every_document_folder_and_the_instance_keeps_the_rest() -> None:
    """STORAGE_PATH is the folder the web nodes and the scheduler share; unset, the documents
    stay in the instance folder as on a single host. The SQLite file is each instance's own."""
    alone = Settings.from_env({**PRODUCTION, "INSTANCE_PATH": "/srv/node-a"})
    shared = Settings.from_env(
        {**PRODUCTION, "INSTANCE_PATH": "/srv/node-a", "STORAGE_PATH": "/mnt/tracker-files"}
    )
    assert [alone.notice_storage, alone.attachment_storage, alone.letter_storage] == [
        Path("/srv/node-a/notices"),
        Path("/srv/node-a/attachments"),
        Path("/srv/node-a/letters"),
    ]
    assert [shared.notice_storage, shared.attachment_storage, shared.letter_storage] == [
        Path("/mnt/tracker-files/notices"),
        Path("/mnt/tracker-files/attachments"),
        Path("/mnt/tracker-files/letters"),
    ]
    assert shared.db_url == "sqlite:////srv/node-a/incident-tracker.db"
    blank = Settings.from_env({**PRODUCTION, "INSTANCE_PATH": "/srv/b", "STORAGE_PATH": " "})
    assert blank.storage == Path("/srv/b")
