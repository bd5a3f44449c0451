"""Retiring the demo (45 CFR 164.312(a)(1) access control, (d) authentication; 164.316(b)(2)
retention): production refuses to start while a demo account can sign in, and
`incident-tracker users retire-demo` ends them for good — disabled, password unusable, sessions
ended, credentials file deleted — without deleting a row the audit trail and records name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker import create_app
from incident_tracker.cli import main
from incident_tracker.clock import FixedClock
from incident_tracker.config import ConfigError, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, User
from incident_tracker.services import demo, passwords, users
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, csrf_token

SECRET = "s3cret-key-for-production-0123456789abcdef"
DEMO_EMAILS = [
    "privacy-officer@demo.incident-tracker.test",
    "legal-reviewer@demo.incident-tracker.test",
    "admin@demo.incident-tracker.test",
    "read-only@demo.incident-tracker.test",
]


@pytest.fixture
def started() -> Iterator[list[Flask]]:
    apps: list[Flask] = []
    yield apps
    for app in apps:
        app.extensions["incident_tracker.engine"].dispose()


@pytest.fixture
def credentials(settings: Settings, clock: FixedClock) -> Path:
    """`seed-demo`'s accounts, incidents and credentials file on the test database."""
    path = settings.instance_path / "demo-credentials.txt"
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            demo.seed(Call(session, SYSTEM, clock.now(), AUDIT_KEY), path, settings.notice_storage)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def operator(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line on the same instance, configured through the environment."""
    for name in ("INCIDENT_TRACKER_ENV", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(settings.instance_path))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = main(list(argv), out=out, err=err, stdin=StringIO())
    return code, out.getvalue(), err.getvalue()


def _production(settings: Settings, clock: FixedClock) -> Settings:
    env = {
        "INCIDENT_TRACKER_ENV": "production",
        "SECRET_KEY": SECRET,
        "AUDIT_KEY": AUDIT_KEY,
        "MFA_ENCRYPTION_KEY": "mfa-encryption-key-for-production-0123456789",
        "BASE_URL": "https://tracker.example.org",
        "INSTANCE_PATH": str(settings.instance_path),
        "DATABASE_URL": settings.database_url,
    }
    return replace(Settings.from_env(env), clock=clock)


def _sign_in(client: FlaskClient, email: str, password: str) -> int:
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data).status_code


def _demo_users(settings: Settings) -> list[User]:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            query = select(User).where(User.is_demo == True).order_by(col(User.id))  # noqa: E712
            return list(session.exec(query).all())
    finally:
        engine.dispose()


def _audit(settings: Settings, action: str) -> list[AuditEvent]:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            query = select(AuditEvent).where(AuditEvent.action == action)
            return list(session.exec(query.order_by(col(AuditEvent.id))).all())
    finally:
        engine.dispose()


def test_retire_demo_lets_production_start_and_the_demo_accounts_never_sign_in_again(
    settings: Settings,
    clock: FixedClock,
    credentials: Path,
    operator: None,
    started: list[Flask],
) -> None:
    passwords_by_email = {
        email: password
        for _, email, password in (line.split(" ") for line in credentials.read_text().splitlines())
    }
    assert sorted(passwords_by_email) == sorted(DEMO_EMAILS)
    app = create_app(settings)
    started.append(app)
    signed_in = app.test_client()
    officer = DEMO_EMAILS[0]
    assert _sign_in(signed_in, officer, passwords_by_email[officer]) == 302
    assert signed_in.get("/").status_code == 200
    with pytest.raises(ConfigError, match=r"4 demo account\(s\) can still sign in; run "):
        create_app(_production(settings, clock))

    code, out, err = _run("users", "retire-demo")
    assert code == 0, err
    for email in DEMO_EMAILS:
        assert f"retired {email}: disabled, password unusable, sessions ended" in out
    assert f"deleted {credentials}" in out and not credentials.exists()

    assert signed_in.get("/").status_code == 302  # the open session was ended
    for email, password in passwords_by_email.items():
        assert _sign_in(app.test_client(), email, password) == 401
    rows = _demo_users(settings)
    assert sorted(user.email for user in rows) == sorted(DEMO_EMAILS)  # no row deleted
    for user in rows:
        assert user.is_active is False
        assert not user.password_hash.startswith("$argon2")
        assert not passwords.verify(user.password_hash, passwords_by_email[user.email])
    retired = _audit(settings, "user.demo_retire")
    assert sorted(str(row.object_id) for row in retired) == sorted(str(u.id) for u in rows)
    for row in retired:
        assert json.loads(row.old_values or "{}")["is_active"] is True
        assert json.loads(row.new_values or "{}")["is_active"] is False
        assert row.actor_email is not None and row.actor_email.startswith("cli:")
    ended = {row.object_id: row.detail for row in retired}
    officer_id = next(str(u.id) for u in rows if u.email == officer)
    assert ended[officer_id] == "password made unusable; 1 session(s) ended"
    code, out, err = _run("audit", "verify")
    assert code == 0 and "intact" in out, err

    production = create_app(_production(settings, clock))
    started.append(production)
    health = production.test_client().get("/healthz", base_url="https://localhost")
    assert health.status_code == 200

    # Again: nothing left to do, nothing audited; seed-demo does not bring them back.
    code, out, _ = _run("users", "retire-demo")
    assert code == 0 and out == "no demo account left to retire\n"
    assert len(_audit(settings, "user.demo_retire")) == 4
    assert _run("seed-demo")[0] == 0
    assert len(_demo_users(settings)) == 4 and not credentials.exists()


def test_production_starts_once_every_demo_account_is_disabled(
    settings: Settings, clock: FixedClock, started: list[Flask]
) -> None:
    """The start check asks whether a demo account can sign in, not whether one ever existed:
    an admin who disabled them is not locked out of production."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, SYSTEM, clock.now(), AUDIT_KEY)
            made = users.create_user(
                call, DEMO_EMAILS[2], "admin", "correct horse battery staple 42", demo=True
            )
            # The organisation's own admin, so the demo admin is not the last one (which no
            # caller may disable).
            users.create_user(call, "it-admin@example.org", "admin", "another long passphrase 7")
    finally:
        engine.dispose()
    with pytest.raises(ConfigError, match=r"1 demo account\(s\) can still sign in"):
        create_app(_production(settings, clock))
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            users.set_active(Call(session, SYSTEM, clock.now(), AUDIT_KEY), made.id or 0, False)
    finally:
        engine.dispose()
    app = create_app(_production(settings, clock))
    started.append(app)
    assert app.test_client().get("/healthz", base_url="https://localhost").status_code == 200


def test_the_unusable_marker_refuses_every_password() -> None:
    for typed in ("", "!unusable", "unusable", "correct horse battery staple 42"):
        assert passwords.verify(passwords.UNUSABLE, typed) is False
