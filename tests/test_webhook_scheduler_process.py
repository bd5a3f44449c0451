"""The real `incident-tracker scheduler` process sends webhooks from the ledger, and a SIGKILL
in the middle of a delivery loses none: the receiver holds the first request open, the process
is killed while it waits, and the next scheduler sends that delivery again (same id) once its
claim's lease ends, then the rest. Duplicates: at most one per crash (services/dispatch.py is
the reminders' equivalent, tests/test_scheduler_process.py its test). Every wait is bounded; the
children are killed in a finally."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select

from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import WebhookDelivery
from incident_tracker.services import incidents, users, webhooks
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.api.receiver import Receiver
from tests.conftest import AUDIT_KEY, PASSWORD, START
from tests.services.test_dispatch import PA_100, SMTPServer

COMMAND = [str(Path(sys.executable).with_name("incident-tracker")), "scheduler"]
ENCRYPTION_KEY = "webhook-test-encryption-key-0123456789abcdef"
INCIDENTS = 3


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver(hold=threading.Event()).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def env(settings: Settings, smtp: SMTPServer, receiver: Receiver) -> dict[str, str]:
    """An endpoint for incident.created and three incidents: three deliveries queued."""
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), START, AUDIT_KEY)
        owner = users.create_user(call, "owner@example.org", "privacy_officer", PASSWORD)
        url = f"http://127.0.0.1:{receiver.port}/hook"
        webhooks.register(call, url, ["incident.created"], False, ENCRYPTION_KEY)
        for n in range(INCIDENTS):
            incidents.create(call, replace(PA_100, owner_id=owner.id, title=f"Incident {n}"))
    engine.dispose()
    return {
        **os.environ,
        "INSTANCE_PATH": str(settings.instance_path),
        "DATABASE_URL": settings.db_url,
        "AUDIT_CHECKPOINT_DIR": str(settings.instance_path / "audit-checkpoints"),
        "AUDIT_KEY": AUDIT_KEY,
        "MFA_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_FROM": "tracker@example.org",
        "REMINDER_TICK_SECONDS": "1",
        "WEBHOOK_TICK_SECONDS": "1",
        "WEBHOOK_LEASE_SECONDS": "2",
        "BASE_URL": "https://tracker.example.org",
        "INCIDENT_TRACKER_ENV": "development",
    }


def wait_for(condition: Callable[[], bool], seconds: float = 45) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def statuses(settings: Settings) -> list[str]:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            return [d.status for d in session.exec(select(WebhookDelivery))]
    finally:
        engine.dispose()


def test_a_scheduler_killed_mid_delivery_loses_none(
    settings: Settings, env: dict[str, str], receiver: Receiver, tmp_path: Path
) -> None:
    assert statuses(settings) == ["pending"] * INCIDENTS
    children: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        with (tmp_path / f"{name}.log").open("wb") as log:
            child = subprocess.Popen(COMMAND, env=env, stdout=log, stderr=subprocess.STDOUT)
        children.append(child)
        return child

    try:
        first = start("first")
        assert receiver.holding.wait(45), (tmp_path / "first.log").read_text()
        first.send_signal(signal.SIGKILL)  # while the first delivery's request is in flight
        first.wait(timeout=10)
        assert statuses(settings).count("claimed") == 1  # the claim it left behind
        assert receiver.hold is not None
        receiver.hold.set()
        second = start("second")
        assert wait_for(lambda: statuses(settings) == ["delivered"] * INCIDENTS), (
            tmp_path / "second.log"
        ).read_text()
        assert second.poll() is None
        ids = [r.headers["X-Incident-Tracker-Delivery"] for r in receiver.received]
        assert len(set(ids)) == INCIDENTS  # none lost
        assert len(ids) - len(set(ids)) <= 1  # at most one repeat for the one crash
        assert ids.count(ids[0]) == 2  # the killed delivery, sent again under its own id
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=10)
