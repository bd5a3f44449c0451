"""Engine and sessions. Services receive a Session and never commit; `unit_of_work` does, once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlmodel import Session

from incident_tracker.config import with_driver
from incident_tracker.db import base as _base  # noqa: F401  (naming convention first)
from incident_tracker.db import driver

READ_ONLY = "incident_tracker_read_only"


def make_engine(url: str) -> Engine:
    """SQLite gets foreign keys, a busy timeout and BEGIN IMMEDIATE, so write transactions run one
    at a time and the audit chain cannot fork (architecture.md §1.4); PostgreSQL the same rule
    (`_postgresql`). A bare PostgreSQL URL goes through psycopg 3. Statement parameters are the
    records' values (PHI): `hide_parameters` keeps them out of every error message and log line
    (minimum necessary, 164.502(b))."""
    from incident_tracker.db import retention  # the models import this package first

    retention.install()  # records kept six years are never deleted (45 CFR 164.530(j))
    url = with_driver(url)
    if url.startswith("postgresql"):
        return _postgresql(url)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    engine = create_engine(
        url,
        connect_args={"timeout": 15, "check_same_thread": False},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.info.get(driver.OPEN):
            return  # a Session joining a transaction begun on the driver (db/driver.py)
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql(BEGINS["sqlite"][0 if read_only else 1])

    return engine


# PostgreSQL's stand-in for SQLite's one write lock: a transaction-scoped advisory lock every
# write transaction takes first (PostgreSQL docs, "Advisory Locks", explicit-locking.html).
WRITER_LOCK = (
    7_261_120  # the other keys: 7261123 audit, 7261124 scheduler, 7261125 sign-in failures
)
_TAKE_WRITER_LOCK = (
    # waits at most as long as SQLite's busy timeout, then fails instead of hanging
    f"SELECT set_config('lock_timeout', '15s', true), pg_advisory_xact_lock({WRITER_LOCK})"
)
_ONE_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
# The first statement of a read-only and of a writing transaction, per backend.
BEGINS = {
    "sqlite": ("BEGIN", "BEGIN IMMEDIATE"),
    "postgresql": (_ONE_SNAPSHOT, _TAKE_WRITER_LOCK),
}


def _postgresql(url: str) -> Engine:
    """The guarantees the SQLite engine gives, on PostgreSQL: write transactions run one at a time
    from their first statement, as under BEGIN IMMEDIATE (so whatever a use case reads before it
    writes is still true at commit, and the audit chain cannot fork), and a read-only unit reads
    one snapshot, as SQLite's deferred transaction reads one WAL snapshot (READ COMMITTED would
    take a new one per statement). Sessions run in UTC whatever the server's TimeZone:
    timestamps come back as UTC datetimes, and any date the SQL derives from one is UTC's."""
    engine = create_engine(
        url,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"options": "-c timezone=UTC"},
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.info.get(driver.OPEN):
            return  # as for SQLite
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql(BEGINS["postgresql"][0 if read_only else 1])

    return engine


def _read_only(engine: Engine) -> Engine:
    """The engine with the read-only option, made once per engine and kept on it (making one per
    transaction re-joins the engine's event listeners every time). Listeners added to the engine
    later still apply to it."""
    found: Engine | None = getattr(engine, _READ_ONLY_ENGINE, None)
    if found is None:
        found = engine.execution_options(**{READ_ONLY: True})
        setattr(engine, _READ_ONLY_ENGINE, found)
    return found


_READ_ONLY_ENGINE = "_incident_tracker_read_only_engine"


@contextmanager
def unit_of_work(bind: Engine | Connection, read_only: bool = False) -> Iterator[Session]:
    """One transaction per use case: commit at the end, roll everything back on any error.

    `read_only` is for pages that only read: on SQLite the transaction begins DEFERRED, reading one
    WAL snapshot without taking the write lock, so readers never queue behind each other or behind
    writers (a write inside it would still be atomic, but could fail as busy instead of waiting).

    `bind` may be a Connection that is not in a transaction (a web request keeps one for its
    units of work, saving a pool check-out each): the transaction is still this unit's own, begun
    here and committed or rolled back here."""
    if isinstance(bind, Connection):
        if bind.in_transaction():
            raise RuntimeError("unit_of_work needs a connection outside any transaction")
        bind.execution_options(**{READ_ONLY: read_only})
    elif read_only:
        bind = _read_only(bind)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def driver_unit(
    connection: Connection, read_only: bool = False
) -> Iterator[tuple[Session, driver.Statements]]:
    """`unit_of_work` begun and ended on the driver (db/driver.py), for the pages opened most:
    the same first statement per backend (`BEGINS`), the same commit-or-rollback, a Session
    joining the transaction for whatever needs the ORM."""
    first = BEGINS[connection.dialect.name][0 if read_only else 1]
    with driver.transaction(connection, first) as unit:
        yield unit
