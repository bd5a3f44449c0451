"""Alembic is the only source of the schema (issue 4 item 2; architecture.md §1.3), and the audit
trail is append-only in the database itself (45 CFR 164.312(b); ASVS 5.0 16.4.2)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import incident_tracker.db.models  # noqa: F401  (registers every table on SQLModel.metadata)
from incident_tracker.cli_admin import migrate
from incident_tracker.config import PROJECT_ROOT, Settings
from incident_tracker.db import make_engine

TABLES = {
    "app_user",
    "user_session",
    "audit_event",
    "organisation",
    "facility",
    "covered_entity_client",
    "incident",
    "incident_state",
    "incident_assignee",
    "law_enforcement_hold",
    "attachment",
    "obligation",
    "obligation_version",
    "reminder",
    "sent_email",
    "notification",
    "user_preference",
    "scheduler_state",
    "notice_details",
    "notice",
    "notice_version",
    "notice_approval",
    "notice_comment",
    "sent_record",
    "returned_mail",
    "hhs_addendum",
    "individual_list",
    "affected_individual",
    "letter_run",
    "assessment_draft",
    "assessment_record",
    "assessment_comment",
}
TRIGGERS = {
    "audit_event_no_update",
    "audit_event_no_delete",
    "assessment_record_no_update",
    "assessment_record_no_delete",
}


def _config(db_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = db_url
    return config


def _schema(db_file: Path, kind: str) -> set[str]:
    with closing(sqlite3.connect(db_file)) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,)).fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """An empty instance folder brought to `head` by the same code `make run` uses."""
    migrate(Settings(env="test", instance_path=tmp_path))
    return tmp_path / "incident-tracker.db"


def _insert_event(db: sqlite3.Connection, row_id: int) -> None:
    db.execute(
        "INSERT INTO audit_event (id, at, action, prev_mac, mac) VALUES (?, ?, ?, ?, ?)",
        (row_id, "2026-11-23 09:00:00", "test.event", "0" * 64, "1" * 64),
    )


def test_the_migrations_have_a_single_head() -> None:
    """Two heads would make `upgrade head` ambiguous on a fresh machine."""
    heads = ScriptDirectory.from_config(_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads


def test_upgrade_head_on_an_empty_file_matches_the_models(db_file: Path) -> None:
    """Autogenerate finds nothing to do: every model change has its migration."""
    engine = make_engine(f"sqlite:///{db_file}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == []
    assert _schema(db_file, "table") == TABLES | {"alembic_version"}


def test_upgrade_downgrade_upgrade_round_trips(db_file: Path) -> None:
    """`downgrade base` removes every table and trigger; `upgrade head` brings them all back."""
    config = _config(f"sqlite:///{db_file}")
    assert _schema(db_file, "trigger") == TRIGGERS
    command.downgrade(config, "base")
    assert _schema(db_file, "table") == {"alembic_version"}
    assert _schema(db_file, "trigger") == set()
    assert _schema(db_file, "index") == set()
    command.upgrade(config, "head")
    assert _schema(db_file, "table") == TABLES | {"alembic_version"}
    assert _schema(db_file, "trigger") == TRIGGERS
    head = ScriptDirectory.from_config(config).get_current_head()
    with closing(sqlite3.connect(db_file)) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]


def test_audit_event_accepts_insert(db_file: Path) -> None:
    """Appending is the one write the trail allows (45 CFR 164.312(b))."""
    with closing(sqlite3.connect(db_file)) as db:
        _insert_event(db, 1)
        _insert_event(db, 2)
        db.commit()
        assert db.execute("SELECT count(*) FROM audit_event").fetchone() == (2,)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'edited' WHERE id = 1",
        "UPDATE audit_event SET mac = prev_mac",
        "DELETE FROM audit_event WHERE id = 1",
        "DELETE FROM audit_event",
    ],
)
def test_audit_event_refuses_update_and_delete_in_the_database(
    db_file: Path, statement: str
) -> None:
    """The triggers refuse UPDATE and DELETE even for raw SQL that bypasses the app
    (ASVS 5.0 16.4.2: logs protected from modification)."""
    with closing(sqlite3.connect(db_file)) as db:
        _insert_event(db, 1)
        db.commit()
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(statement)
        db.rollback()
        assert db.execute("SELECT id, action, mac FROM audit_event").fetchall() == [
            (1, "test.event", "1" * 64)
        ]


def test_head_guards_audit_event_before_update_and_before_delete(db_file: Path) -> None:
    """The guards fire BEFORE the change, so a refused statement leaves nothing behind."""
    with closing(sqlite3.connect(db_file)) as db:
        sql = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    assert set(sql) == TRIGGERS
    assert "BEFORE UPDATE ON audit_event" in sql["audit_event_no_update"]
    assert "BEFORE DELETE ON audit_event" in sql["audit_event_no_delete"]
