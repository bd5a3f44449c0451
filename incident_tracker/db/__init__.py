"""Engine and sessions. Services receive a Session and never commit; `unit_of_work` does, once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine
from sqlmodel import Session

from incident_tracker.db import base as _base  # noqa: F401  (naming convention first)

READ_ONLY = "incident_tracker_read_only"


def make_engine(url: str) -> Engine:
    """SQLite gets foreign keys, a busy timeout and BEGIN IMMEDIATE, so write transactions run one
    at a time and the audit chain cannot fork (architecture.md §1.4)."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


@contextmanager
def unit_of_work(engine: Engine, read_only: bool = False) -> Iterator[Session]:
    """One transaction per use case: commit at the end, roll everything back on any error.

    `read_only` is for pages that only read: on SQLite the transaction begins DEFERRED, reading one
    WAL snapshot without taking the write lock, so readers never queue behind each other or behind
    writers (a write inside it would still be atomic, but could fail as busy instead of waiting)."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
