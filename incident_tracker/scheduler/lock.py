"""One scheduler at a time, guaranteed by a lock the operating system or the database releases
when the process dies, even by SIGKILL: flock beside the SQLite file, or a session advisory lock
on PostgreSQL, which holds across hosts: every scheduler, wherever it runs, asks the same
database (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).

A held lock can still be lost while the scheduler runs: the PostgreSQL session ends (server
restart, network cut, an administrator's pg_terminate_backend) or someone deletes the lock file.
`Held.still_held` lets the running scheduler notice and stop, so a second one never runs beside
it unknowingly.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from incident_tracker import files

ADVISORY_KEY = 7_261_124
# A scheduler host that vanishes without closing its connection (power cut, network partition)
# keeps its session, and so the lock, until the server notices: TCP keepalives on both ends bound
# that to about a minute instead of the kernel's default two hours
# (https://www.postgresql.org/docs/15/runtime-config-connection.html, libpq-connect.html).
KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 60_000,
}
SESSION_SETTINGS = (
    "SET tcp_keepalives_idle = 30",
    "SET tcp_keepalives_interval = 10",
    "SET tcp_keepalives_count = 3",
    "SET idle_session_timeout = 0",  # an idle lock session is the point, not a leak
)
_MINE = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
    "AND granted AND classid = 0 AND objid = :k AND objsubid = 1"
)
ALREADY = "another scheduler is running"


class AlreadyRunning(RuntimeError):
    pass


@dataclass(frozen=True)
class Held:
    """The lock a running scheduler holds; `still_held` asks whether it is still its own."""

    still_held: Callable[[], bool]
    where: str


@contextmanager
def single_instance(engine: Engine, lock_file: Path) -> Iterator[Held]:
    if engine.dialect.name == "postgresql":
        with _advisory(engine) as held:
            yield held
        return
    with _flock(lock_file) as held:
        yield held


@contextmanager
def _advisory(engine: Engine) -> Iterator[Held]:
    """Its own connection, outside the pool (a pooled one would keep the lock after the scheduler
    returned it) and in autocommit, so the session never sits idle in a transaction holding back
    VACUUM for the scheduler's whole life."""
    own = create_engine(
        engine.url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args=KEEPALIVE,
    )
    try:
        with own.connect() as conn:
            for setting in SESSION_SETTINGS:
                conn.exec_driver_sql(setting)
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY})
            if not got.scalar():
                raise AlreadyRunning(f"{ALREADY} (PostgreSQL advisory lock on this database)")
            yield Held(lambda: _still_advisory(conn), "PostgreSQL advisory lock")
            # Closing the session releases the lock; unlocking first says so at once.
            with suppress(SQLAlchemyError):
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
    finally:
        own.dispose()


def _still_advisory(conn: Connection) -> bool:
    try:
        return bool(conn.execute(_MINE, {"k": ADVISORY_KEY}).scalar())
    except SQLAlchemyError:  # the session is gone, and the lock with it
        return False


@contextmanager
def _flock(lock_file: Path) -> Iterator[Held]:
    files.private_dir(lock_file.parent)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, files.PRIVATE_FILE)
    handle: Any = os.fdopen(fd, "r+")  # kept open while the lock is held
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(f"{ALREADY} (lock {lock_file})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield Held(lambda: _same_file(lock_file, handle.fileno()), f"lock {lock_file}")
    finally:
        handle.close()


def _same_file(lock_file: Path, fd: int) -> bool:
    """A deleted or replaced lock file lets the next scheduler lock a new one beside ours."""
    try:
        named = lock_file.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
