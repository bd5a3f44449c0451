"""One scheduler at a time, guaranteed by a lock the operating system releases when the process
dies, even by SIGKILL: flock beside the SQLite file, or an advisory lock on PostgreSQL."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from incident_tracker import files

ADVISORY_KEY = 7_261_124


class AlreadyRunning(RuntimeError):
    pass


@contextmanager
def single_instance(engine: Engine, lock_file: Path) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # held for the scheduler's life
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY})
            if not got.scalar():
                raise AlreadyRunning("another scheduler holds the PostgreSQL advisory lock")
            yield
        return
    files.private_dir(lock_file.parent)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, files.PRIVATE_FILE)
    handle: Any = os.fdopen(fd, "r+")  # kept open while the lock is held
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(f"another scheduler is running (lock {lock_file})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
