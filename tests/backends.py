"""The test database, on SQLite or PostgreSQL: `TEST_DATABASE_URL` names a PostgreSQL server
(its maintenance database, e.g. postgresql+psycopg://postgres@127.0.0.1:55440/postgres); unset,
every test gets a SQLite file as in production's default.

Either way the schema is migrated once per session into a template, and each test gets a fresh
copy: the file copied into its instance folder, or `CREATE DATABASE … TEMPLATE` (a file-level
copy, far faster than migrating again), dropped after the test.
"""

from __future__ import annotations

import os
import shutil
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import NullPool, Pool

from incident_tracker.config import with_driver

SERVER_URL = with_driver(os.environ.get("TEST_DATABASE_URL", "").strip())
ON_POSTGRESQL = SERVER_URL.startswith("postgresql")
SQLITE_FILE = "incident-tracker.db"
# Every driver connection opened on PostgreSQL, so that those a test leaves open (an engine it
# never disposed) are closed before its database is dropped, not found open by the garbage
# collector later (a ResourceWarning, an error under -W error).
_OPENED: list[weakref.ref[Any]] = []


def _opened(dbapi_connection: Any, _record: Any) -> None:
    if hasattr(dbapi_connection, "info"):  # psycopg's (sqlite3's cannot be weakly referenced)
        _OPENED.append(weakref.ref(dbapi_connection))


if ON_POSTGRESQL:
    event.listen(Pool, "connect", _opened)


def _close_left_open(database: str) -> None:
    kept: list[weakref.ref[Any]] = []
    for ref in _OPENED:
        found = ref()
        if found is None or found.closed:
            continue
        if found.info.dbname == database:
            found.close()
        else:
            kept.append(ref)
    _OPENED[:] = kept


def _server() -> Engine:
    """Autocommit (CREATE/DROP DATABASE refuse a transaction); no pool, so nothing stays
    connected between statements."""
    return create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _url_of(name: str) -> str:
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


@dataclass(frozen=True)
class Template:
    """A migrated database that tests copy. `url` is the database_url to reach it ("" on SQLite:
    the file sits under its default name in `folder`, the instance folder of the template)."""

    folder: Path
    url: str = ""

    @property
    def sqlite_file(self) -> Path:
        return self.folder / SQLITE_FILE

    @property
    def database_url(self) -> str:
        """The URL itself, also on SQLite (for DATABASE_URL)."""
        return self.url or f"sqlite:///{self.sqlite_file}"

    def copy(self, instance_path: Path, prefix: str = "t") -> str:
        """A fresh database from this template, for the instance folder `instance_path`; returns
        its database_url. Drop it with `drop` (SQLite's file goes with its folder)."""
        if not self.url:
            instance_path.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.sqlite_file, instance_path / SQLITE_FILE)
            return ""
        name = _unique(prefix)
        source = make_url(self.url).database
        with _server().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        return _url_of(name)


def empty(folder: Path) -> Template:
    """A new empty database (not yet migrated), named after the instance folder `folder`."""
    if not ON_POSTGRESQL:
        folder.mkdir(parents=True, exist_ok=True)
        return Template(folder)
    name = _unique("tmpl")
    with _server().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return Template(folder, _url_of(name))


def drop(url: str) -> None:
    """Drop a PostgreSQL test database, ending any connection a test left open (a server
    thread, a killed subprocess); nothing to do for SQLite."""
    if not url.startswith("postgresql"):
        return
    name = make_url(url).database
    assert name is not None
    _close_left_open(name)
    with _server().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def raw(url: str) -> Iterator[Connection]:
    """Someone with direct access to the database, bypassing the app: a plain connection with
    none of the app's connection settings (on SQLite, foreign keys are not enforced)."""
    engine = create_engine(with_driver(url), poolclass=NullPool)
    try:
        with engine.connect() as db:
            yield db
    finally:
        engine.dispose()


def drop_audit_guards(db: Connection) -> None:
    """What an attacker who owns the database does first (migration 0001's triggers)."""
    if db.dialect.name == "postgresql":
        db.execute(text("DROP TRIGGER audit_event_append_only ON audit_event"))
        db.execute(text("DROP TRIGGER audit_event_no_truncate ON audit_event"))
        return
    db.execute(text("DROP TRIGGER audit_event_no_update"))
    db.execute(text("DROP TRIGGER audit_event_no_delete"))


def refuse_inserts(db: Connection, table: str, message: str, when: str = "") -> None:
    """A trigger `refuse_<table>` that makes an INSERT into `table` fail with `message` (a
    broken store); `when`, a condition on NEW, limits it to some rows. An integrity error on
    both backends, as SQLite reports RAISE(ABORT)."""
    name = f"refuse_{table}"
    if db.dialect.name == "postgresql":
        db.execute(
            text(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{message}' "
                "USING ERRCODE = 'integrity_constraint_violation'; END $$"
            )
        )
        condition = f"WHEN ({when}) " if when else ""
        db.execute(
            text(
                f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
                f"FOR EACH ROW {condition}EXECUTE FUNCTION {name}()"
            )
        )
        return
    condition = f"WHEN {when} " if when else ""
    db.execute(
        text(
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
            f"{condition}BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    )


def slow_inserts(db: Connection, table: str) -> None:
    """A trigger `slow_<table>` that makes each INSERT into `table` take a noticeable time
    (tens of milliseconds): SQLite has no sleep, so it joins a 400-row table with itself."""
    name = f"slow_{table}"
    if db.dialect.name == "postgresql":
        db.execute(
            text(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN PERFORM pg_sleep(0.03); RETURN NULL; END $$"
            )
        )
        db.execute(
            text(
                f"CREATE TRIGGER {name} AFTER INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        )
        return
    db.execute(text("CREATE TABLE busy (n INTEGER)"))
    db.execute(text("INSERT INTO busy VALUES " + ",".join(f"({n})" for n in range(400))))
    db.execute(
        text(
            f"CREATE TRIGGER {name} AFTER INSERT ON {table} "
            "BEGIN SELECT count(*) FROM busy a, busy b WHERE a.n + b.n = -1; END"
        )
    )


def drop_trigger(db: Connection, table: str, name: str) -> None:
    if db.dialect.name == "postgresql":
        db.execute(text(f"DROP TRIGGER {name} ON {table}"))
        db.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))
        return
    db.execute(text(f"DROP TRIGGER {name}"))
