"""DATABASE_URL picks the backend: PostgreSQL through psycopg 3 (the `postgres` extra), whatever
spelling of the URL the operator copies from their provider."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent
from tests import backends


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgresql://u:p@db.example:5432/tracker",
            "postgresql+psycopg://u:p@db.example:5432/tracker",
        ),
        ("postgres://u@db.example/tracker", "postgresql+psycopg://u@db.example/tracker"),
        ("postgresql+psycopg://u@db.example/tracker", "postgresql+psycopg://u@db.example/tracker"),
        ("sqlite:////srv/tracker/tracker.db", "sqlite:////srv/tracker/tracker.db"),
    ],
)
def test_a_postgresql_url_goes_through_psycopg_3(given: str, used: str) -> None:
    """SQLAlchemy's default driver for postgresql:// is psycopg2, which the extra does not
    install; postgres:// (Heroku-style) it refuses outright."""
    settings = Settings.from_env({"DATABASE_URL": given})
    assert settings.db_url == used
    engine = make_engine(given)  # no connection is made
    try:
        assert engine.url.render_as_string(hide_password=False) == used
        assert engine.dialect.driver == ("psycopg" if used.startswith("postgresql") else "pysqlite")
    finally:
        engine.dispose()


def test_times_come_back_as_the_instant_written(settings: Settings) -> None:
    """An aware time written is the same instant read back, on either backend; on PostgreSQL the
    app's sessions run in UTC even where the database's own TimeZone is another (here New York,
    where 02:30 UTC is still the day before), so a date the SQL derives is UTC's."""
    at = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
    with backends.raw(settings.db_url) as db:
        if db.dialect.name == "postgresql":
            name = db.execute(text("SELECT current_database()")).scalar_one()
            db.execute(text(f"ALTER DATABASE \"{name}\" SET timezone = 'America/New_York'"))
            db.commit()
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            session.add(AuditEvent(id=1, at=at, action="check", prev_mac="0", mac="1"))
        with engine.connect() as db:
            day = db.execute(text("SELECT date(at) FROM audit_event")).scalar_one()
            assert str(day) == "2026-11-24"
        with unit_of_work(engine) as session:
            found = session.get(AuditEvent, 1)
            assert found is not None
            read = found.at if found.at.tzinfo else found.at.replace(tzinfo=UTC)
            assert read == at
    finally:
        engine.dispose()


def test_write_transactions_take_turns_from_their_first_statement_and_readers_do_not_wait(
    engine: Engine,
) -> None:
    """SQLite's BEGIN IMMEDIATE, and PostgreSQL's writer lock in its place: a second write unit
    waits from its start until the first commits (what a use case read before writing still
    holds at commit); a read-only unit reads meanwhile."""
    started, second_began, reader_done = threading.Event(), threading.Event(), threading.Event()

    def second_writer() -> None:
        started.set()
        with unit_of_work(engine) as session:
            session.exec(select(AuditEvent.id)).all()
            second_began.set()

    def reader() -> None:
        with unit_of_work(engine, read_only=True) as session:
            session.exec(select(AuditEvent.id)).all()
        reader_done.set()

    other = threading.Thread(target=second_writer)
    with unit_of_work(engine) as session:
        session.exec(select(AuditEvent.id)).all()
        other.start()
        assert started.wait(10)
        threading.Thread(target=reader).start()
        assert reader_done.wait(10)  # the reader did not queue behind the writer
        assert not second_began.wait(0.5)  # the second writer did
    assert second_began.wait(10)
    other.join(10)
