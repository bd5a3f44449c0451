"""Units of work run on the driver (db/driver.py): the same transaction, values and listeners as
through SQLAlchemy, on either backend."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    Table,
    bindparam,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col

from incident_tracker.db import BEGINS, driver, driver_unit, unit_of_work
from incident_tracker.db.models import AuditEvent, Organisation

_AUDIT = SQLModel.metadata.tables[str(AuditEvent.__tablename__)]
_APPEND = insert(_AUDIT)
_BY_ID = select(col(AuditEvent.id), col(AuditEvent.at), col(AuditEvent.action)).where(
    col(AuditEvent.id) == bindparam("ident")
)
_AT = datetime(2026, 12, 7, 18, 30, 5, 123456, tzinfo=UTC)


def _row(ident: int, action: str = "check") -> dict[str, object]:
    return {
        "id": ident,
        "at": _AT,
        "actor_id": None,
        "actor_email": None,
        "action": action,
        "object_type": None,
        "object_id": None,
        "old_values": None,
        "new_values": None,
        "client_address": None,
        "detail": None,
        "prev_mac": "0",
        "mac": "1",
    }


def test_a_row_written_on_the_driver_reads_back_as_sqlalchemy_writes_and_reads_it(
    engine: Engine,
) -> None:
    """Parameters go through the columns' bind processors and results through their result
    processors: a time written on the driver is the instant SQLAlchemy reads back, and the
    driver reads back what SQLAlchemy wrote, as a `datetime`, not SQLite's text."""
    with engine.connect() as connection:
        with driver_unit(connection) as (_session, statements):
            statements.execute(_APPEND, _row(1))
        with unit_of_work(engine) as session:
            stored = session.get(AuditEvent, 1)
            assert stored is not None and stored.at.replace(tzinfo=UTC) == _AT
            session.add(AuditEvent(**{**_row(2, "written by the ORM"), "at": _AT}))
        with driver_unit(connection, read_only=True) as (_session, statements):
            found = statements.execute(_BY_ID, {"ident": 2})
        assert len(found) == 1
        ident, at, action = found[0]
        assert (ident, action) == (2, "written by the ORM")
        assert isinstance(at, datetime) and at.replace(tzinfo=UTC) == _AT


def test_an_error_rolls_the_whole_unit_back_the_joined_sessions_work_included(
    engine: Engine,
) -> None:
    with engine.connect() as connection:
        with pytest.raises(RuntimeError), driver_unit(connection) as (session, statements):
            statements.execute(_APPEND, _row(1))
            session.add(AuditEvent(**_row(2)))
            session.flush()
            raise RuntimeError("the use case failed")
        assert not connection.info.get(driver.OPEN)
        with driver_unit(connection) as (session, statements):
            assert statements.execute(select(col(AuditEvent.id))) == []
            session.add(AuditEvent(**_row(3, "kept")))  # the ORM joins the driver's transaction
            statements.execute(_APPEND, _row(4, "kept too"))
        with unit_of_work(engine) as check:
            kept = check.exec(select(col(AuditEvent.action)).order_by(col(AuditEvent.id))).all()
        assert [action for (action,) in kept] == ["kept", "kept too"]


def test_the_unit_begins_as_sqlalchemy_would_and_the_engines_listeners_see_its_statements(
    engine: Engine,
) -> None:
    """The first statement is the backend's (architecture.md §1.4: BEGIN IMMEDIATE, or the
    writers' advisory lock; a deferred BEGIN or one snapshot for readers), issued once even when
    the ORM joins; the statements reach `before_cursor_execute` listeners as SQLAlchemy's do."""
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]).strip())

    backend = engine.dialect.name
    event.listen(engine, "before_cursor_execute", record)
    try:
        with engine.connect() as connection:
            with driver_unit(connection) as (session, statements):
                statements.execute(_BY_ID, {"ident": 1})
                session.get(Organisation, 1)  # the ORM path, in the same transaction
            with driver_unit(connection, read_only=True) as (_session, statements):
                statements.execute(text("SELECT 1"))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    begins = [s for s in seen if s in BEGINS[backend]]
    assert begins == [BEGINS[backend][1], BEGINS[backend][0]]
    assert sum("FROM audit_event" in s for s in seen) == 1
    assert sum("FROM organisation" in s for s in seen) == 1


def test_a_driver_unit_refuses_a_connection_already_in_one(engine: Engine) -> None:
    with (
        engine.connect() as connection,
        driver_unit(connection),
        pytest.raises(RuntimeError),
        driver_unit(connection),
    ):
        pass


def test_dates_and_flags_come_back_as_the_columns_types(engine: Engine) -> None:
    """A date column reads back a `date` and a boolean a `bool` on the driver too (on SQLite
    they are stored as ISO text and 0/1), and NULL stays None."""
    table = Table(
        "driver_check",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("day", Date),
        Column("flag", Boolean),
    )
    table.create(engine)
    rows = [(1, date(2026, 12, 7), True), (2, None, False), (3, date(2024, 2, 29), None)]
    with engine.begin() as db:
        db.execute(insert(table), [{"id": i, "day": d, "flag": f} for i, d, f in rows])
    with engine.connect() as connection, driver_unit(connection, read_only=True) as (_, run):
        found = run.execute(select(table.c.id, table.c.day, table.c.flag).order_by(table.c.id))
    assert found == rows
    assert [type(day) for _, day, _ in found] == [date, type(None), date]
    assert [type(flag) for _, _, flag in found] == [bool, bool, type(None)]


def test_a_writer_waits_for_the_write_lock_another_holds_and_then_goes_ahead(
    engine: Engine,
) -> None:
    """Writers run one at a time (architecture.md §1.4): a driver unit that finds the write lock
    held waits until the holder commits (SQLite's busy timeout, PostgreSQL's advisory lock),
    then writes after it."""
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with unit_of_work(engine) as session:
            session.add(AuditEvent(**_row(1, "first")))
            session.flush()
            held.set()
            release.wait(5)

    other = threading.Thread(target=holder)
    other.start()
    try:
        assert held.wait(5)
        threading.Timer(0.05, release.set).start()
        with engine.connect() as connection, driver_unit(connection) as (_session, statements):
            statements.execute(_APPEND, _row(2, "second"))
    finally:
        release.set()
        other.join(5)
    with unit_of_work(engine) as check:
        order = check.exec(select(col(AuditEvent.action)).order_by(col(AuditEvent.id))).all()
    assert [action for (action,) in order] == ["first", "second"]
