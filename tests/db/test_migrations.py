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
from incident_tracker.db.models.generation import UNTRACKED_TABLES

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
    "data_generation",
    "auth_failure_window",
}
GUARDS = {
    "audit_event_no_update",
    "audit_event_no_delete",
    "assessment_record_no_update",
    "assessment_record_no_delete",
    "notice_version_no_update",
    "notice_version_no_delete",
    "notice_approval_no_update",
    "notice_approval_no_delete",
    "sent_record_no_update",
    "sent_record_no_delete",
    "sent_record_no_unvoid",
}
# Every table a page shows moves the data generation (migration 0010), so no kept page outlives
# a change: a new table without these triggers fails here.
GENERATION = {
    f"{table}_generation_{verb}"
    for table in TABLES - UNTRACKED_TABLES
    for verb in ("insert", "update", "delete")
}
TRIGGERS = GUARDS | GENERATION


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


def _insert_notice_rows(db: sqlite3.Connection) -> None:
    """One version, its approval and one sent record (foreign keys are not enforced here)."""
    at = "2026-11-23 09:00:00"
    db.execute(
        "INSERT INTO notice_version (id, notice_id, number, text, created_at, cause) "
        "VALUES (1, 1, 1, 'Dear [Recipient name]:', ?, 'drafted')",
        (at,),
    )
    db.execute(
        "INSERT INTO notice_approval (id, notice_id, version_id, approved_at, missing, "
        "override_reason, docx_storage, docx_sha256, docx_size, pdf_storage, pdf_sha256, "
        "pdf_size) VALUES (1, 1, 1, ?, '[]', '', 'd1', ?, 10, 'p1', ?, 20)",
        (at, "a" * 64, "b" * 64),
    )
    db.execute(
        "INSERT INTO sent_record (id, incident_id, obligation_id, sent_on, method, reference, "
        "notice_version_id, note, recorded_at) "
        "VALUES (1, 1, 1, '2026-11-20', 'first_class_mail', 'R1', 1, '', ?)",
        (at,),
    )
    db.commit()


def _notice_rows(db: sqlite3.Connection) -> list[tuple[object, ...]]:
    return [
        *db.execute("SELECT id, number, text FROM notice_version"),
        *db.execute("SELECT id, version_id, pdf_sha256 FROM notice_approval"),
        *db.execute("SELECT id, sent_on, note, voided_at FROM sent_record"),
    ]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE notice_version SET text = 'Dear patient:'", "notice_version is immutable"),
        ("UPDATE notice_version SET number = 2 WHERE id = 1", "notice_version is immutable"),
        ("DELETE FROM notice_version", "notice_version is immutable"),
        ("UPDATE notice_approval SET pdf_sha256 = docx_sha256", "notice_approval is immutable"),
        ("UPDATE notice_approval SET override_reason = 'x'", "notice_approval is immutable"),
        ("DELETE FROM notice_approval WHERE id = 1", "notice_approval is immutable"),
        ("DELETE FROM sent_record", "can only be voided"),
        ("UPDATE sent_record SET sent_on = '2026-11-01'", "can only be voided"),
        ("UPDATE sent_record SET note = 'x', voided_at = '2026-11-23'", "can only be voided"),
    ],
)
def test_notice_versions_approvals_and_sent_records_are_kept_in_the_database(
    db_file: Path, statement: str, message: str
) -> None:
    """Migration 0009 guards: an approved wording, its approval and the record of what was
    sent when are documentation kept six years (164.530(j)); raw SQL cannot rewrite them."""
    with closing(sqlite3.connect(db_file)) as db:
        _insert_notice_rows(db)
        before = _notice_rows(db)
        with pytest.raises(sqlite3.IntegrityError, match=message):
            db.execute(statement)
        db.rollback()
        assert _notice_rows(db) == before


def test_a_sent_record_can_be_voided_once_and_not_unvoided(db_file: Path) -> None:
    """Undoing "sent" voids the record (services.sending._void sets only the void fields); a
    voided record stays voided with its first date."""
    with closing(sqlite3.connect(db_file)) as db:
        _insert_notice_rows(db)
        db.execute("UPDATE sent_record SET voided_at = '2026-11-23 10:00:00', voided_by = 2")
        db.commit()
        for statement in (
            "UPDATE sent_record SET voided_at = NULL, voided_by = NULL",
            "UPDATE sent_record SET voided_at = '2026-12-01 10:00:00'",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="can only be voided"):
                db.execute(statement)
            db.rollback()
        assert db.execute("SELECT voided_at, voided_by FROM sent_record").fetchall() == [
            ("2026-11-23 10:00:00", 2)
        ]


def test_every_change_to_shown_data_moves_the_generation_and_audit_rows_do_not(
    db_file: Path,
) -> None:
    """Kept pages are keyed by data_generation.n: an insert, update or delete of a tracked table
    moves it, even in plain SQL; an audit append (every incident view) does not."""
    with closing(sqlite3.connect(db_file)) as db:

        def generation() -> int:
            return int(db.execute("SELECT n FROM data_generation WHERE id = 1").fetchone()[0])

        start = generation()
        db.execute("INSERT INTO scheduler_state (id, last_result) VALUES (1, 'tick')")
        assert generation() == start  # the heartbeat shows on no page
        db.execute("UPDATE scheduler_state SET last_result = 'x' WHERE id = 1")
        db.execute("INSERT INTO user_preference (user_id, daily_digest) VALUES (7, 0)")
        assert generation() == start + 1
        db.execute("UPDATE user_preference SET daily_digest = 1 WHERE user_id = 7")
        assert generation() == start + 2
        _insert_event(db, 1)
        assert generation() == start + 2
        db.execute("DELETE FROM user_preference WHERE user_id = 7")
        assert generation() == start + 3
