"""A unit of work run on the driver's connection, for the pages opened most.

SQLAlchemy's Session and its execution machinery cost several times what SQLite takes to answer
the incident summary's few statements (benchmarks/web.py): a transaction through the Session
costs about 75 us, a Core statement 20 to 30 us, against 2 and 5 us on the driver. Here the
transaction begins and ends on the DB-API connection, and Core statements (built once, as module
constants) are compiled once per dialect and run on its cursor, their parameters and results
converted by the same type processors SQLAlchemy applies (a SQLite date comes back a `date`).

A Session is still at hand for the rare path that needs the ORM (a break-glass grant, a voided
hold): it joins the same transaction, since the engine's begin listener skips its BEGIN while a
driver transaction is open (`OPEN`), and its flush is committed with everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from sqlalchemy.dialects.sqlite import DATE as SQLITE_DATE
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeEngine
from sqlmodel import Session

OPEN = "incident_tracker_driver_transaction"  # in Connection.info while one is open


class Rows(list[tuple[Any, ...]]):
    """A statement's rows, with `first()` as SQLAlchemy's Result has it (services/audit.py)."""

    def first(self) -> tuple[Any, ...] | None:
        return self[0] if self else None


class Plan:
    """One statement compiled for one dialect: its SQL, its parameters in order with their
    bind processors, and a result processor per column."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
        self.sql = str(compiled)
        self.positional = compiled.positional
        names = list(compiled.positiontup or ()) if self.positional else list(compiled.binds)
        self.defaults = dict(compiled.construct_params(_check=False) or {})
        self.binds = [
            (name, compiled.binds[name].type._cached_bind_processor(dialect)) for name in names
        ]
        self.results = [
            (index, _reader(column.type, dialect))
            for index, column in enumerate(getattr(statement, "selected_columns", ()))
            if column.type._cached_result_processor(dialect, None) is not None
        ]

    def parameters(self, values: Mapping[str, Any] | None) -> Any:
        merged = {**self.defaults, **values} if values else self.defaults
        bound = []
        for name, process in self.binds:
            value = merged.get(name)
            bound.append(process(value) if process is not None and value is not None else value)
        if self.positional:
            return bound
        return dict(zip((name for name, _ in self.binds), bound, strict=True))

    def rows(self, raw: Sequence[Any]) -> Rows:
        if not self.results:
            return Rows(tuple(r) for r in raw)
        out = Rows()
        for row in raw:
            values = list(row)
            for index, read in self.results:
                if values[index] is not None:
                    values[index] = read(values[index])
            out.append(tuple(values))
        return out


def _reader(column: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any]:
    """The column's result processor; for a SQLite date in SQLAlchemy's own storage format
    (ISO 8601, `YYYY-MM-DD`), the C parser `date.fromisoformat`, which reads it the same and
    several times faster than the processor's regular expression (the summary reads a dozen)."""
    impl = column.dialect_impl(dialect)
    if isinstance(impl, SQLITE_DATE) and impl._storage_format == _ISO_DATE and impl._reg is None:
        return date.fromisoformat
    found = column._cached_result_processor(dialect, None)
    assert found is not None
    return found


_ISO_DATE = "%(year)04d-%(month)02d-%(day)02d"


# Keyed by the statement object and the dialect's name; the statement is kept in the value so
# its id is never reused while the entry lives (the statements are module constants).
_PLANS: dict[tuple[int, str], tuple[ClauseElement, Plan]] = {}


def plan(statement: ClauseElement, dialect: Dialect) -> Plan:
    key = (id(statement), dialect.name)
    found = _PLANS.get(key)
    if found is None or found[0] is not statement:
        found = _PLANS[key] = (statement, Plan(statement, dialect))
    return found[1]


class Statements:
    """Core statements on the driver's cursor, inside the transaction `transaction` opened."""

    def __init__(self, connection: Connection) -> None:
        driver = connection.connection.dbapi_connection
        assert driver is not None
        self.dialect = connection.dialect
        self._cursor = driver.cursor()
        self._connection = connection
        # the engine's statement listeners see these too, as they see SQLAlchemy's own (the
        # query-count tests count with one); none are installed in production
        self._announce = connection.dispatch.before_cursor_execute

    def execute(self, statement: Executable, values: Mapping[str, Any] | None = None) -> Rows:
        assert isinstance(statement, ClauseElement)
        found = plan(statement, self.dialect)
        cursor = self._cursor
        parameters = found.parameters(values)
        if self._announce:
            self._announce(self._connection, cursor, found.sql, parameters, None, False)
        cursor.execute(found.sql, parameters)
        return found.rows(cursor.fetchall()) if cursor.description else Rows()

    def run(self, sql: str) -> None:
        """Plain SQL with no parameters (a transaction's first statement)."""
        if self._announce:
            self._announce(self._connection, self._cursor, sql, (), None, False)
        self._cursor.execute(sql)

    def close(self) -> None:
        self._cursor.close()


@contextmanager
def transaction(
    connection: Connection, first_statement: str
) -> Iterator[tuple[Session, Statements]]:
    """One transaction on `connection`'s driver, begun with `first_statement` (db.BEGINS):
    committed at the end, rolled back on any error, the joined Session's work included."""
    if connection.in_transaction() or connection.info.get(OPEN):
        raise RuntimeError("a driver transaction needs a connection outside any transaction")
    driver = connection.connection.dbapi_connection
    assert driver is not None
    statements = Statements(connection)
    connection.info[OPEN] = True
    session = Session(connection, expire_on_commit=False)
    try:
        statements.run(first_statement)
        yield session, statements
        if session.in_transaction():
            session.commit()  # the driver's commit, through SQLAlchemy's transaction
        driver.commit()  # a no-op when the session already committed
    except BaseException:
        if session.in_transaction():
            session.rollback()
        driver.rollback()
        raise
    finally:
        connection.info.pop(OPEN, None)
        if session.in_transaction() or session.identity_map or session.new:
            session.close()  # an untouched Session holds nothing to release
        statements.close()
