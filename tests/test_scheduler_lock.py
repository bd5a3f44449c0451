"""The single-scheduler lock across hosts: two schedulers started from different instance folders
(two machines) against one database, on SQLite (one file) or PostgreSQL (an advisory lock on the
database). The second is refused while the first runs, gets the lock once it is released, and a
running scheduler that loses its lock notices and stops."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.scheduler import add_lock_watch, lock_path
from incident_tracker.scheduler.lock import ADVISORY_KEY, AlreadyRunning, Held, single_instance


class Host:
    """One scheduler host: its own instance folder and engine, the shared database."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.db_url)
        self.lock_file = lock_path(settings)

    def lock(self) -> Any:
        return single_instance(self.engine, self.lock_file)


@pytest.fixture
def hosts(settings: Settings, tmp_path: Path) -> Iterator[tuple[Host, Host]]:
    other = replace(settings, instance_path=tmp_path / "host-b", database_url=settings.db_url)
    a, b = Host(settings), Host(other)
    yield a, b
    a.engine.dispose()
    b.engine.dispose()


def take_away(host: Host) -> None:
    """What loses a held lock: on PostgreSQL the holding session ends (an administrator's
    pg_terminate_backend, a restart, a cut network), on SQLite the lock file is deleted."""
    if host.engine.dialect.name != "postgresql":
        host.lock_file.unlink()
        return
    with host.engine.connect() as conn:
        ended = conn.execute(
            text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks "
                "WHERE locktype = 'advisory' AND objid = :k"
            ),
            {"k": ADVISORY_KEY},
        ).all()
        conn.commit()
    assert ended == [(True,)]


def test_one_scheduler_per_database_whichever_host_it_runs_on(hosts: tuple[Host, Host]) -> None:
    a, b = hosts
    assert a.settings.instance_path != b.settings.instance_path
    with a.lock() as held:
        with pytest.raises(AlreadyRunning, match="another scheduler is running"), b.lock():
            pass
        assert held.still_held()
    with b.lock() as taken:  # the first one stopped: the lock went with it
        assert taken.still_held()
        with pytest.raises(AlreadyRunning), a.lock():
            pass


def test_a_scheduler_that_lost_its_lock_knows_and_the_next_one_gets_it(
    hosts: tuple[Host, Host],
) -> None:
    a, b = hosts
    with a.lock() as held:
        take_away(a)
        assert not held.still_held()
        with b.lock() as taken:
            assert taken.still_held()


class Jobs:
    """Stands in for APScheduler: keeps the job it is given so the test runs it."""

    def __init__(self) -> None:
        self.jobs: list[Callable[[], None]] = []

    def add_job(self, job: Callable[[], None], *args: object, **kwargs: object) -> None:
        self.jobs.append(job)


def test_the_lock_watch_stops_the_scheduler_only_when_the_lock_is_lost() -> None:
    ours = [True]
    stops: list[str] = []
    jobs = Jobs()
    lost = add_lock_watch(jobs, Held(lambda: ours[0], "test lock"), lambda: stops.append("stop"))
    [watch] = jobs.jobs
    watch()
    assert (stops, lost()) == ([], False)
    ours[0] = False
    watch()
    assert (stops, lost()) == (["stop"], True)


def test_the_postgresql_lock_session_is_outside_the_pool_and_never_in_a_transaction(
    hosts: tuple[Host, Host],
) -> None:
    """A pooled connection would keep the lock after the scheduler stopped; a session left
    idle in a transaction would hold back VACUUM for the scheduler's whole life. On SQLite the
    same holds of the lock file: it is ours while held, and the next scheduler reuses it."""
    a, _ = hosts
    with a.lock():
        if a.engine.dialect.name == "postgresql":
            states = sessions_holding_the_lock(a.engine)
            assert states == ["idle"]
        else:
            assert a.lock_file.read_text() == str(os.getpid())
    assert a.engine.pool.checkedout() == 0
    if a.engine.dialect.name == "postgresql":
        assert sessions_holding_the_lock(a.engine) == []


def sessions_holding_the_lock(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [
            str(state)
            for (state,) in conn.execute(
                text(
                    "SELECT a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.objid = :k AND l.granted"
                ),
                {"k": ADVISORY_KEY},
            )
        ]
