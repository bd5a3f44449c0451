"""A Core statement compiled once for an engine's dialect and run on the driver's connection.

For the one statement every request runs (the session check): SQLAlchemy's execution machinery
costs several times SQLite's answer. The SQL is still SQLAlchemy's, rendered for the engine's
dialect (SQLite or PostgreSQL); results come back as plain tuples, so column types that the
driver returns as text (SQLite datetimes) are converted by the caller.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import Select


class Prepared:
    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = compiled.positional
        self.order = list(compiled.positiontup or ())
        self.defaults = dict(compiled.construct_params(_check=False))

    def first(self, db: Connection, **values: Any) -> tuple[Any, ...] | None:
        """One row, in a statement of its own (no transaction is left open: a single SELECT
        reads one consistent snapshot on SQLite and PostgreSQL alike)."""
        params = {**self.defaults, **values}
        bound: Any = [params[name] for name in self.order] if self.positional else params
        driver = db.connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        try:
            cursor.execute(self.sql, bound)
            row = cursor.fetchone()
        finally:
            cursor.close()
        if db.dialect.name != "sqlite":
            driver.commit()  # end the driver's implicit transaction
        return tuple(row) if row is not None else None


def as_datetime(value: datetime | str | None) -> datetime | None:
    """In UTC, as the models read them: SQLite hands them back as ISO text without an offset,
    PostgreSQL as datetimes."""
    if value is None:
        return None
    found = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
