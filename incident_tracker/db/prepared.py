"""One Core statement run on the driver's connection, outside any transaction.

For the one statement every request runs (the session check) and the health check: SQLAlchemy's
execution machinery costs several times SQLite's answer. The statement is compiled once per
dialect by db/driver.py, whose bind and result processors convert its values as SQLAlchemy
would (a SQLite datetime comes back a naive `datetime`; `as_datetime` makes it UTC's).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import ClauseElement

from incident_tracker.db import driver


def first(db: Connection, statement: ClauseElement, **values: Any) -> tuple[Any, ...] | None:
    """One row, in a statement of its own (no transaction is left open: a single SELECT reads
    one consistent snapshot on SQLite and PostgreSQL alike)."""
    found = driver.plan(statement, db.dialect)
    dbapi = db.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(found.sql, found.parameters(values))
        row = cursor.fetchone()
    finally:
        cursor.close()
    if db.dialect.name != "sqlite":
        dbapi.commit()  # end the driver's implicit transaction
    return found.rows([row])[0] if row is not None else None


def as_datetime(value: datetime | str | None) -> datetime | None:
    """In UTC, as the models read them: SQLite hands them back as ISO text or naive datetimes
    without an offset, PostgreSQL as aware datetimes."""
    if value is None:
        return None
    found = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
