"""Crash safety of the reminder scheduler: SIGKILL it again and again while it sends.

1. A temporary database (SQLite, or PostgreSQL with --backend postgres: benchmarks/bench_backend.py)
   is migrated by Alembic and COUNT incidents are created through the
   services with a clock a minute in the past, each discovered 90 days earlier: F1 (individual
   notice, 60 days) is overdue, so the ledger gets one "late" reminder per incident, due now
   (one recipient each: the owner, the only user). Every reminder due at the start is tracked.
2. An aiosmtpd server runs in this process on 127.0.0.1 (a free port). It answers each message
   after --smtp-delay seconds, like a slow relay, so kills land while messages are in flight.
3. The real `incident-tracker scheduler` process runs against them (REMINDER_TICK_SECONDS=1, and a
   lease of REMINDER_LEASE_SECONDS=2 instead of 5 minutes, so the claims of a killed process are
   re-queued within the run). It is killed with SIGKILL --kills times at random moments while it
   sends (uniform in [0, 0.6] s after the server accepts its first message; starting up takes
   seconds on a loaded machine, so a delay counted from the start would mostly kill it before it
   sends anything) and restarted each time; then a last one runs until every tracked reminder
   has arrived (or --timeout) and is stopped with SIGTERM.
4. Counted by Message-ID (deterministic per reminder and recipient) at the SMTP server:
   lost = tracked reminders never delivered; duplicates = extra copies. Delivery is
   at-least-once: a kill between the server accepting a message and the `sent` commit repeats
   that one message, so the target is L = 0 and D <= K.

Prints the seed, the ledger's final state and, last, `delivered N lost L duplicates D kills K`.
Traffic goes only to 127.0.0.1; every wait is bounded and the children are killed on exit.
Run: `.venv/bin/python benchmarks/reminder_crash.py [--backend sqlite|postgres] [--count 300]
[--kills 12] [--seed N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bench_backend
from aiosmtpd.controller import Controller
from sqlalchemy import func
from sqlmodel import Session, col, select

from incident_tracker.cli_admin import migrate
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Reminder, User
from incident_tracker.services import incidents, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues

AUDIT_KEY = "benchmark-audit-key-0123456789abcdef0123456789"
SENDER = "tracker@example.org"
COMMAND = [str(Path(sys.executable).with_name("incident-tracker")), "scheduler"]
MESSAGE_ID = re.compile(rb"^Message-ID: *(<[^>]+>)", re.IGNORECASE | re.MULTILINE)
INCIDENT = IncidentValues(
    title="Crash benchmark",
    discovered_on=None,
    breach_type="theft",
    location="laptop",
    states={"PA": 100},
    data_elements=("name", "ssn"),
    medium="electronic",
    acquired=True,
    phi_encrypted=False,
    risk_assessment="not_low_probability",
)


class Inbox:
    """aiosmtpd handler: waits `delay` seconds (a slow relay), then keeps the Message-ID."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        found = MESSAGE_ID.search(envelope.content)
        self.ids.append(found.group(1).decode() if found else "<none>")
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(settings: Settings, count: int) -> set[str]:
    """`count` overdue incidents through the services; the Message-IDs of every due reminder."""
    engine = make_engine(settings.db_url)
    now = datetime.now(UTC) - timedelta(minutes=1)
    discovered = (now - timedelta(days=90)).date()
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "benchmark", trusted=True), now, AUDIT_KEY)
        owner = users.create_user(
            call, "owner@example.org", "privacy_officer", "benchmark password 1234", "Owner"
        )
        for n in range(count):
            values = replace(INCIDENT, title=f"Crash {n}", discovered_on=discovered)
            incidents.create(call, replace(values, owner_id=owner.id))
    with Session(engine) as session:
        due = session.exec(
            select(Reminder.id).where(Reminder.status == "pending", Reminder.send_at <= now)
        ).all()
        people = session.exec(select(User.id)).all()
    engine.dispose()
    if len(people) != 1:
        raise SystemExit("expected one user (one message per reminder)")
    return {f"<reminder-{i}-{people[0]}@example.org>" for i in due}


def sending(inbox: Inbox, child: subprocess.Popen[bytes], before: int, limit: float) -> bool:
    """Wait (at most `limit` seconds) until the server has accepted a message from this child."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and child.poll() is None:
        if len(inbox.ids) > before:
            return True
        time.sleep(0.01)
    return False


def ledger(settings: Settings) -> str:
    engine = make_engine(settings.db_url)
    with Session(engine) as session:
        rows = session.exec(
            select(Reminder.status, func.count()).group_by(col(Reminder.status))
        ).all()
    engine.dispose()
    return ", ".join(f"{status} {n}" for status, n in sorted(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--smtp-delay", type=float, default=0.02)
    parser.add_argument("--timeout", type=float, default=120, help="seconds for the last run")
    bench_backend.add_argument(parser)
    args = parser.parse_args()
    rng_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(rng_seed)
    print(f"{args.backend}; seed {rng_seed}; load average {bench_backend.load_average()}")
    inbox = Inbox(args.smtp_delay)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    children: list[subprocess.Popen[bytes]] = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="reminder-crash-") as folder,
            bench_backend.database(args.backend, Path(folder)) as url,
        ):
            settings = Settings(
                env="test", instance_path=Path(folder), audit_key=AUDIT_KEY, database_url=url
            )
            migrate(settings)
            tracked = seed(settings, args.count)
            print(f"{len(tracked)} reminders due", flush=True)
            env = {
                **os.environ,
                "INSTANCE_PATH": folder,
                "DATABASE_URL": url,
                "AUDIT_KEY": AUDIT_KEY,
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(port),
                "SMTP_FROM": SENDER,
                "REMINDER_TICK_SECONDS": "1",
                "REMINDER_LEASE_SECONDS": "2",
                "INCIDENT_TRACKER_ENV": "development",
            }
            log = open(Path(folder) / "scheduler.log", "ab")  # noqa: SIM115
            started = time.monotonic()
            kills = 0
            for _ in range(args.kills):
                before = len(inbox.ids)
                child = subprocess.Popen(COMMAND, env=env, stdout=log, stderr=log)
                children.append(child)
                busy = sending(inbox, child, before, limit=30)
                time.sleep(rng.uniform(0, 0.6))
                if child.poll() is None:
                    child.send_signal(signal.SIGKILL)
                    kills += 1
                child.wait(timeout=10)
                print(
                    f"kill {kills}{' while sending' if busy else ''}: "
                    f"{len(set(inbox.ids) & tracked)}/{len(tracked)} delivered",
                    flush=True,
                )
            last = subprocess.Popen(COMMAND, env=env, stdout=log, stderr=log)
            children.append(last)
            deadline = time.monotonic() + args.timeout
            while time.monotonic() < deadline and not tracked <= set(inbox.ids):
                time.sleep(0.2)
            time.sleep(1.5)  # one more tick: anything still to come would show as a duplicate
            last.send_signal(signal.SIGTERM)
            last.wait(timeout=15)
            log.close()
            print(f"ledger: {ledger(settings)}; {time.monotonic() - started:.1f} s")
            copies = Counter(i for i in inbox.ids if i in tracked)
            delivered = len(copies)
            lost = len(tracked) - delivered
            duplicates = sum(n - 1 for n in copies.values())
            print(f"delivered {delivered} lost {lost} duplicates {duplicates} kills {kills}")
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
