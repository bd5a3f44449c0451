"""Alembic is the only source of the schema (architecture.md §1.3), and the audit
trail is append-only in the database itself (45 CFR 164.312(b); ASVS 5.0 16.4.2)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

import incident_tracker.db.models  # noqa: F401  (registers every table on SQLModel.metadata)
from incident_tracker.cli_admin import migrate
from incident_tracker.config import PROJECT_ROOT, Settings, with_driver
from incident_tracker.db.models.generation import UNTRACKED_TABLES
from tests.backends import Template

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
    "user_mfa",
    "mfa_recovery_code",
    "account_token",
    "form_token",
    "notice_content_decision",
    "break_glass_grant",
    "oidc_link",
    "counsel_review",
    "staff_report",
    "evidence_file",
    "api_token",
    "api_token_use",
    "api_idempotency",
    "webhook_endpoint",
    "webhook_delivery",
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
# PostgreSQL's guards are row triggers on UPDATE OR DELETE plus a TRUNCATE guard, and its
# generation triggers are one statement trigger per table (migrations 0001, 0006, 0009, 0010).
FROZEN = ("audit_event", "assessment_record", "notice_version", "notice_approval")
PG_GUARDS = {
    "audit_event_append_only",
    "assessment_record_immutable",
    "notice_version_immutable",
    "notice_approval_immutable",
    *(f"{table}_no_truncate" for table in (*FROZEN, "sent_record")),
    "sent_record_no_update",
    "sent_record_no_delete",
    "sent_record_no_unvoid",
}
PG_TRIGGERS = PG_GUARDS | {f"{table}_generation" for table in TABLES - UNTRACKED_TABLES}


def _config(db_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = db_url
    return config


# What the catalogue holds, per backend: tables, triggers, and indexes other than primary keys.
_SQLITE_SCHEMA = "SELECT name FROM sqlite_master WHERE type = :kind AND name NOT LIKE 'sqlite_%'"
_PG_SCHEMA = {
    "table": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    "trigger": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
    "index": "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
    "AND indexname NOT LIKE 'pk%' AND indexname <> 'alembic_version_pkc'",
}


def _schema(db_url: str, kind: str) -> set[str]:
    with _connect(db_url) as db:
        if db.dialect.name == "postgresql":
            rows = db.execute(text(_PG_SCHEMA[kind]))
        else:
            rows = db.execute(text(_SQLITE_SCHEMA), {"kind": kind})
        return {name for (name,) in rows}


def _triggers(db_url: str) -> set[str]:
    return PG_TRIGGERS if db_url.startswith("postgresql") else TRIGGERS


@contextmanager
def _connect(db_url: str) -> Iterator[Connection]:
    """A plain connection as raw SQL that bypasses the app would use: none of the app's
    connection settings (on SQLite, foreign keys are not enforced)."""
    engine = create_engine(with_driver(db_url), poolclass=NullPool)
    try:
        with engine.connect() as db:
            yield db
    finally:
        engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path, empty_database: Template) -> str:
    """An empty database brought to `head` by the same code `make run` uses."""
    url = empty_database.database_url
    migrate(Settings(env="test", instance_path=tmp_path, database_url=url))
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Connection]:
    with _connect(db_url) as connection:
        yield connection


AT = "2026-11-23 09:00:00+00"  # text either backend reads as this instant


def _insert_event(db: Connection, row_id: int) -> None:
    db.execute(
        text(
            "INSERT INTO audit_event (id, at, action, prev_mac, mac) "
            "VALUES (:id, :at, :action, :prev, :mac)"
        ),
        {"id": row_id, "at": AT, "action": "test.event", "prev": "0" * 64, "mac": "1" * 64},
    )


def _rows(db: Connection, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in db.execute(text(sql))]


def test_the_migrations_have_a_single_head() -> None:
    """Two heads would make `upgrade head` ambiguous on a fresh machine."""
    heads = ScriptDirectory.from_config(_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads


def test_upgrade_head_on_an_empty_database_matches_the_models(db: Connection) -> None:
    """Autogenerate finds nothing to do: every model change has its migration."""
    batch = db.dialect.name == "sqlite"
    context = MigrationContext.configure(db, opts={"compare_type": True, "render_as_batch": batch})
    assert compare_metadata(context, SQLModel.metadata) == []


def test_upgrade_head_creates_every_table(db_url: str) -> None:
    assert _schema(db_url, "table") == TABLES | {"alembic_version"}


def test_upgrade_downgrade_upgrade_round_trips(db_url: str) -> None:
    """`downgrade base` removes every table and trigger; `upgrade head` brings them all back."""
    config = _config(db_url)
    assert _schema(db_url, "trigger") == _triggers(db_url)
    command.downgrade(config, "base")
    assert _schema(db_url, "table") == {"alembic_version"}
    assert _schema(db_url, "trigger") == set()
    assert _schema(db_url, "index") == set()
    command.upgrade(config, "head")
    assert _schema(db_url, "table") == TABLES | {"alembic_version"}
    assert _schema(db_url, "trigger") == _triggers(db_url)
    head = ScriptDirectory.from_config(config).get_current_head()
    with _connect(db_url) as db:
        assert _rows(db, "SELECT version_num FROM alembic_version") == [(head,)]


def test_audit_event_accepts_insert(db: Connection) -> None:
    """Appending is the one write the trail allows (45 CFR 164.312(b))."""
    _insert_event(db, 1)
    _insert_event(db, 2)
    db.commit()
    assert _rows(db, "SELECT count(*) FROM audit_event") == [(2,)]


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
    db: Connection, statement: str
) -> None:
    """The triggers refuse UPDATE and DELETE even for raw SQL that bypasses the app
    (ASVS 5.0 16.4.2: logs protected from modification)."""
    _insert_event(db, 1)
    db.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(text(statement))
    db.rollback()
    assert _rows(db, "SELECT id, action, mac FROM audit_event") == [(1, "test.event", "1" * 64)]


@pytest.mark.parametrize(
    "table", ["audit_event", "notice_version", "notice_approval", "sent_record"]
)
def test_emptying_a_kept_table_at_once_is_refused(db: Connection, table: str) -> None:
    """PostgreSQL's TRUNCATE skips row triggers, so each kept table has a statement guard too;
    SQLite has no TRUNCATE, and its DELETE-everything shortcut is off while triggers exist."""
    _insert_event(db, 1)
    _insert_notice_rows(db)
    before = [*_notice_rows(db), *_rows(db, "SELECT id, mac FROM audit_event")]
    empty = "TRUNCATE {} CASCADE" if db.dialect.name == "postgresql" else "DELETE FROM {}"
    with pytest.raises(DBAPIError, match=r"append-only|immutable|can only be voided"):
        db.execute(text(empty.format(table)))
    db.rollback()
    assert [*_notice_rows(db), *_rows(db, "SELECT id, mac FROM audit_event")] == before


def test_head_guards_audit_event_before_update_and_before_delete(db: Connection) -> None:
    """The guards fire BEFORE the change, so a refused statement leaves nothing behind."""
    if db.dialect.name == "postgresql":
        sql = "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = :name"
        found = db.execute(text(sql), {"name": "audit_event_append_only"}).scalar_one()
        assert " BEFORE DELETE OR UPDATE ON public.audit_event FOR EACH ROW " in found
        return
    sql = dict(_rows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    assert set(sql) == TRIGGERS
    assert "BEFORE UPDATE ON audit_event" in sql["audit_event_no_update"]
    assert "BEFORE DELETE ON audit_event" in sql["audit_event_no_delete"]


def _insert_notice_rows(db: Connection) -> None:
    """One version, its approval and one sent record, without their parent rows: foreign keys
    are not enforced while they go in (PostgreSQL: replica mode, as a superuser; it also skips
    the guards, so it ends before the statements under test)."""
    postgresql = db.dialect.name == "postgresql"
    if postgresql:
        db.execute(text("SET session_replication_role = replica"))
    at = {"at": AT}
    db.execute(
        text(
            "INSERT INTO app_user (id, email, display_name, password_hash, role, is_active, "
            "is_demo, failed_logins, created_at, password_changed_at) VALUES (2, "
            "'a@example.org', 'a', 'x', 'admin', true, false, 0, :at, :at)"
        ),
        at,
    )
    db.execute(
        text(
            "INSERT INTO notice_version (id, notice_id, number, text, created_at, cause) "
            "VALUES (1, 1, 1, 'Dear [Recipient name]:', :at, 'drafted')"
        ),
        at,
    )
    db.execute(
        text(
            "INSERT INTO notice_approval (id, notice_id, version_id, approved_at, missing, "
            "override_reason, docx_storage, docx_sha256, docx_size, pdf_storage, pdf_sha256, "
            "pdf_size) VALUES (1, 1, 1, :at, '[]', '', 'd1', :a, 10, 'p1', :b, 20)"
        ),
        {**at, "a": "a" * 64, "b": "b" * 64},
    )
    db.execute(
        text(
            "INSERT INTO sent_record (id, incident_id, obligation_id, sent_on, method, "
            "reference, notice_version_id, note, recorded_at) "
            "VALUES (1, 1, 1, '2026-11-20', 'first_class_mail', 'R1', 1, '', :at)"
        ),
        at,
    )
    db.commit()
    if postgresql:
        db.execute(text("SET session_replication_role = DEFAULT"))
        db.commit()


def _notice_rows(db: Connection) -> list[tuple[object, ...]]:
    return [
        *_rows(db, "SELECT id, number, text FROM notice_version"),
        *_rows(db, "SELECT id, version_id, pdf_sha256 FROM notice_approval"),
        *_rows(db, "SELECT id, CAST(sent_on AS VARCHAR), note, voided_at FROM sent_record"),
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
    db: Connection, statement: str, message: str
) -> None:
    """Migration 0009 guards: an approved wording, its approval and the record of what was
    sent when are documentation kept six years (164.530(j)); raw SQL cannot rewrite them."""
    _insert_notice_rows(db)
    before = _notice_rows(db)
    with pytest.raises(DBAPIError, match=message):
        db.execute(text(statement))
    db.rollback()
    assert _notice_rows(db) == before


def test_a_sent_record_can_be_voided_once_and_not_unvoided(db: Connection) -> None:
    """Undoing "sent" voids the record (services.sending._void sets only the void fields); a
    voided record stays voided with its first date."""
    _insert_notice_rows(db)
    db.execute(text("UPDATE sent_record SET voided_at = '2026-11-23 10:00:00+00', voided_by = 2"))
    db.commit()
    for statement in (
        "UPDATE sent_record SET voided_at = NULL, voided_by = NULL",
        "UPDATE sent_record SET voided_at = '2026-12-01 10:00:00+00'",
    ):
        with pytest.raises(DBAPIError, match="can only be voided"):
            db.execute(text(statement))
        db.rollback()
    first = "SELECT voided_at = '2026-11-23 10:00:00+00', voided_by FROM sent_record"
    assert _rows(db, first) == [(True, 2)]


def test_every_change_to_shown_data_moves_the_generation_and_audit_rows_do_not(
    db: Connection,
) -> None:
    """Kept pages are keyed by data_generation.n: an insert, update or delete of a tracked table
    moves it, even in plain SQL; an audit append (every incident view) does not."""

    def generation() -> int:
        return int(db.execute(text("SELECT n FROM data_generation WHERE id = 1")).scalar_one())

    def run(sql: str) -> None:
        db.execute(text(sql), {"at": AT})

    run(
        "INSERT INTO app_user (id, email, display_name, password_hash, role, is_active, is_demo, "
        "failed_logins, created_at, password_changed_at) VALUES (7, 'a@example.org', 'a', 'x', "
        "'admin', true, false, 0, :at, :at)"
    )
    start = generation()
    run("INSERT INTO scheduler_state (id, last_result) VALUES (1, 'tick')")
    assert generation() == start  # the heartbeat shows on no page
    run("UPDATE scheduler_state SET last_result = 'x' WHERE id = 1")
    run("INSERT INTO user_preference (user_id, daily_digest) VALUES (7, false)")
    assert generation() == start + 1
    run("UPDATE user_preference SET daily_digest = true WHERE user_id = 7")
    assert generation() == start + 2
    _insert_event(db, 1)
    assert generation() == start + 2
    run("DELETE FROM user_preference WHERE user_id = 7")
    assert generation() == start + 3
