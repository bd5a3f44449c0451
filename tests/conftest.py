"""Shared fixtures: a real SQLite file migrated by Alembic, the app with an injected clock, and
helpers to create users and sign in (architecture.md §1.10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from incident_tracker import create_app
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import User
from incident_tracker.services import users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests import backends
from tests.backends import Template
from tests.mailbox import mailbox  # noqa: F401  (the fixture: a real SMTP server)

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple 42"
AUDIT_KEY = "test-audit-key-0123456789abcdef0123456789"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    """`alembic upgrade head` once into a template (a SQLite file, or a PostgreSQL database when
    TEST_DATABASE_URL is set); each test gets a copy."""
    from incident_tracker.cli_admin import migrate

    template = backends.empty(tmp_path_factory.mktemp("template"))
    migrate(Settings(env="test", instance_path=template.folder, database_url=template.url))
    yield template
    backends.drop(template.url)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[Template]:
    """A new database with no schema yet (for `migrate` itself), dropped afterwards."""
    made = backends.empty(tmp_path / "empty-database")
    yield made
    backends.drop(made.url)


# A test that takes one of these touches the database; `--database-only` (the second backend's
# run in `make test`) runs only those: the pure tests need not run twice.
DATABASE_FIXTURES = {"migrated_template", "empty_database"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that use a database (fixtures: migrated_template, settings, "
        "empty_database)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-only"):
        return
    uses = [bool(DATABASE_FIXTURES & set(getattr(i, "fixturenames", ()))) for i in items]
    keep = [i for i, used in zip(items, uses, strict=True) if used]
    dropped = [i for i, used in zip(items, uses, strict=True) if not used]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def fresh_settings(
    template: Template, instance_path: Path, clock: FixedClock
) -> Iterator[Settings]:
    """Settings on a fresh copy of `template` for the instance folder; the copy is dropped
    afterwards (for the `settings` fixtures: yield from this)."""
    url = template.copy(instance_path)
    try:
        yield Settings(
            env="test",
            instance_path=instance_path,
            audit_key=AUDIT_KEY,
            clock=clock,
            database_url=url,
        )
    finally:
        backends.drop(url)


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Template, clock: FixedClock) -> Iterator[Settings]:
    yield from fresh_settings(migrated_template, tmp_path, clock)


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    application = create_app(settings)
    yield application
    application.extensions["incident_tracker.engine"].dispose()


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """The test database's engine, for tests that drive the services directly."""
    made = make_engine(settings.db_url)
    yield made
    made.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def make_user(settings: Settings, email: str, role: str, password: str = PASSWORD) -> User:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), START, settings.audit_key)
            return users.create_user(call, email, role, password, email.split("@")[0])
    finally:
        engine.dispose()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def admin(settings: Settings) -> User:
    return make_user(settings, "admin@example.org", "admin")


@pytest.fixture
def officer(settings: Settings) -> User:
    return make_user(settings, "officer@example.org", "privacy_officer")
