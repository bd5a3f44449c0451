"""What views need from the app: settings, clock, a unit of work with the acting user."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from flask import current_app, g, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from incident_tracker.clock import Clock
from incident_tracker.config import Settings
from incident_tracker.db import driver, driver_unit, unit_of_work
from incident_tracker.services import register
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Forbidden, Hidden
from incident_tracker.services.kept import Kept, Store, read_generation

T = TypeVar("T")


def settings() -> Settings:
    return cast(Settings, current_app.extensions["incident_tracker.settings"])


def clock() -> Clock:
    return cast(Clock, current_app.extensions["incident_tracker.clock"])


def engine() -> Engine:
    return cast(Engine, current_app.extensions["incident_tracker.engine"])


def note_generation(db: Connection) -> None:
    """The data generation this request has seen (read first, by the session check)."""
    g.data_generation = read_generation(db)


def _kept(read_only: bool) -> Kept | None:
    """Kept results serve read-only units only: a writing one must see its own changes."""
    generation: int | None = g.get("data_generation")
    if not read_only or generation is None:
        return None
    return Kept(cast(Store, current_app.extensions["incident_tracker.kept"]), generation)


def remember(key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, or what it gave for `key` in the data generation this request read (before
    any of its own writes); signed-in requests only."""
    kept = _kept(read_only=True)
    return build() if kept is None else kept.get(key, build)


def now() -> datetime:
    return clock().now()


def read(work: Callable[[Connection], T]) -> T:
    """`work` on the request's connection outside any transaction: for the single statement
    every request runs (the session check, db/prepared.py), which needs no BEGIN and COMMIT."""
    bind = _bind()
    if isinstance(bind, Connection):
        return work(bind)
    with bind.connect() as connection:
        return work(connection)


def local_today() -> date:
    """The organisation's date (days left); its time zone is kept, so most requests open no
    transaction for it."""

    def zone() -> str:
        with call(read_only=True) as c:
            return register.zone_name(c)

    return now().astimezone(ZoneInfo(remember(register.ZONE_KEY, zone))).date()


def client_address() -> str:
    return (request.remote_addr or "")[:64]


def actor() -> Actor:
    """The signed-in user (from the server-side session), or an anonymous actor."""
    viewer = current_user._get_current_object()  # one proxy look-up, not three
    if getattr(viewer, "is_authenticated", False):
        user = viewer.user
        return Actor(user.id, user.email, user.role, client_address())
    return Actor(None, None, None, client_address())


def _bind() -> Engine | Connection:
    """The worker thread's own connection, kept from one request to the next: the session
    check, the page and the header badge use it without a pool check-out (gunicorn's sync
    workers serve one request at a time per process). Each unit of work on it is still its own
    transaction, and `release_connection` ends any left open. While it is busy (a unit of work
    opened inside another, e.g. while a template renders), the pool."""
    current = engine()
    held: Connection | None = getattr(_HELD, "connection", None)
    if held is not None and (held.closed or held.invalidated or held.engine is not current):
        if not held.closed:
            held.close()  # another app's engine (tests), or a broken connection
        held = None
    if held is None:
        held = current.connect()
        _HELD.connection = held
    busy = held.in_transaction() or held.info.get(driver.OPEN)
    return current if busy else held


def release_connection(_error: BaseException | None = None) -> None:
    """No transaction outlives its request. A server that runs a thread per request (the
    development server, the browser tests) gets the connection back into the pool instead."""
    held: Connection | None = getattr(_HELD, "connection", None)
    if held is None or held.closed:
        return
    if held.in_transaction():
        held.rollback()
    if request.environ.get("wsgi.multithread", False):
        held.close()
        _HELD.connection = None


_HELD = threading.local()


def close_held_on_dispose(made: Engine) -> None:
    """When the app's engine is disposed (the app shut down; every test's app), the calling
    thread's kept connection is closed too: disposing closes only pooled connections, and a kept
    one would otherwise stay open until garbage collection — on PostgreSQL a server session
    left behind."""

    @event.listens_for(made, "engine_disposed")
    def _disposed(_engine: Engine) -> None:
        held: Connection | None = getattr(_HELD, "connection", None)
        if held is not None and held.engine is made and not held.closed:
            held.invalidate()  # closes the driver connection; the old pool is gone already
            held.close()
            _HELD.connection = None


@contextmanager
def call(
    acting: Actor | None = None,
    read_only: bool = False,
    audit_only: bool = False,
    on_driver: bool = False,
) -> Iterator[Call]:
    """One transaction for one use case, audit rows included; rolled back on any error.
    `read_only`: a page that writes nothing reads a snapshot without the write lock.
    `audit_only`: a unit that only appends audit rows (a page's view row), which do not move the
    data generation (migration 0010), so the one the request read still holds after it.
    `on_driver`: a read-only or audit-only unit of the pages opened most, begun and ended on
    the driver with its statements run there (db/driver.py).
    A refusal — a hidden object, or an action the role may not take — is audited in a
    transaction of its own (ASVS 16.3.2), since the use case's own rolls back."""
    who = acting or actor()
    bind = _bind()
    try:
        if on_driver and (read_only or audit_only) and isinstance(bind, Connection):
            with driver_unit(bind, read_only) as (session, statements):
                yield Call(
                    session, who, clock().now(), settings().audit_key, _kept(read_only), statements
                )
            return
        with unit_of_work(bind, read_only) as session:
            yield Call(session, who, clock().now(), settings().audit_key, _kept(read_only))
            if not (read_only or audit_only) and g.get("data_generation") is not None:
                note_generation(session.connection())  # this unit's own changes included
    except Hidden as refused:
        with unit_of_work(_bind()) as session:
            Call(session, who, clock().now(), settings().audit_key).audit(
                "security.permission_refused",
                object_type=refused.object_type,
                object_id=refused.object_id,
                detail=refused.detail,
            )
        raise
    except Forbidden as forbidden:
        with unit_of_work(_bind()) as session:
            Call(session, who, clock().now(), settings().audit_key).audit(
                "security.permission_refused", detail=forbidden.detail
            )
        raise
