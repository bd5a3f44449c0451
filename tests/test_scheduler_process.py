"""The real `incident-tracker scheduler` process (architecture.md §1.8): it
delivers a due reminder through SMTP, a second one exits non-zero with a clear message while the
first runs (one scheduler per database), and after SIGKILL the operating system has released the
lock, so a new one starts.

The process runs on the real clock (REMINDER_TICK_SECONDS=1), so the incident is created with an
injected clock in 2020: its F1 duty (discovered 2019-10-01, due 2019-11-30) was overdue then, and
its "late" reminder is due whenever this test runs. Every wait is bounded; the children are
killed in a finally.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import SchedulerState
from incident_tracker.services import incidents, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, PASSWORD
from tests.services.test_dispatch import PA_100, SMTPServer

LATE = "<reminder-1-1@example.org>"  # reminder 1 (F1 "late") to user 1 (the owner)
COMMAND = [str(Path(sys.executable).with_name("incident-tracker")), "scheduler"]


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def env(settings: Settings, smtp: SMTPServer) -> dict[str, str]:
    """A migrated instance with one overdue duty, and the scheduler's environment for it."""
    engine = make_engine(settings.db_url)
    clock = FixedClock(datetime(2020, 1, 2, 15, 0, tzinfo=UTC))
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
        owner = users.create_user(call, "owner@example.org", "privacy_officer", PASSWORD)
        values = replace(PA_100, owner_id=owner.id, discovered_on=date(2019, 10, 1))
        incidents.create(call, values)
    engine.dispose()
    return {
        **os.environ,
        "INSTANCE_PATH": str(settings.instance_path),
        "DATABASE_URL": settings.db_url,
        # the audit job's daily checkpoint stays inside this test's folder
        "AUDIT_CHECKPOINT_DIR": str(settings.instance_path / "audit-checkpoints"),
        "AUDIT_KEY": AUDIT_KEY,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_FROM": "tracker@example.org",
        "REMINDER_TICK_SECONDS": "1",
        "INCIDENT_TRACKER_ENV": "development",
    }


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    """Poll until the condition holds or the time is up (a bound, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def last_tick_pid(settings: Settings) -> int | None:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            state = session.get(SchedulerState, 1)
            return state.pid if state else None
    finally:
        engine.dispose()


def test_the_scheduler_process_delivers_is_single_instance_and_survives_sigkill(
    settings: Settings, env: dict[str, str], smtp: SMTPServer, tmp_path: Path
) -> None:
    """F1's "late" reminder (the first row of the ledger) reaches the owner through the SMTP
    server; every Message-ID arrives once, before and after the SIGKILL."""
    children: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        with (tmp_path / f"{name}.log").open("wb") as log:
            child = subprocess.Popen(COMMAND, env=env, stdout=log, stderr=subprocess.STDOUT)
        children.append(child)
        return child

    def late_delivered() -> bool:
        return LATE in smtp.ids()

    try:
        first = start("first")
        assert wait_for(late_delivered), (tmp_path / "first.log").read_text()
        recipients, raw = smtp.raw[smtp.ids().index(LATE)]
        assert recipients == ["owner@example.org"] and b"OVERDUE" in raw
        assert wait_for(lambda: last_tick_pid(settings) == first.pid)

        second = subprocess.run(COMMAND, env=env, capture_output=True, timeout=30)
        assert second.returncode != 0
        assert b"another scheduler is running" in second.stderr + second.stdout
        assert first.poll() is None  # the first one is unharmed

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        third = start("third")
        assert wait_for(lambda: last_tick_pid(settings) == third.pid), (
            tmp_path / "third.log"
        ).read_text()
        assert third.poll() is None
        ids = smtp.ids()
        assert len(ids) == len(set(ids))  # nothing delivered twice
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=10)
