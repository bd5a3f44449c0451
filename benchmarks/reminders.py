"""Reminder throughput: the dispatcher against a raw smtplib loop, and the due-rows query.

1. A temporary SQLite instance is migrated by Alembic; INCIDENTS incidents are created through the
   services (obligations computed by the real engine, reminder ladders planned in their
   transaction). Then COUNT due reminders are added to the ledger, spread over those incidents'
   dated obligations (one recipient each: the owner), all due a minute ago.
2. An aiosmtpd server runs in this process on 127.0.0.1 (a free port) and counts what it receives.
3. `raw`: one smtplib connection sends COUNT messages like the reminders (compose(), same size).
   `dispatcher`: Dispatcher.tick() is called until nothing is due: claims, PHI-free messages,
   SMTP, and per reminder a SentEmail, a Notification and an HMAC-chained audit row, committed
   before the server accepts the next message (so a crash repeats at most the message in
   flight; the commit overlaps the next message's transfer up to its final ".").
   The raw loop runs before and after the dispatcher; the ratio uses their mean. The process
   CPU time per message (this process: client, recorder and server threads) is printed too: it
   moves less than wall time when other processes load the machine.
4. The due-rows query (the dispatcher's own `due_ids`) is timed with QUERY_ROWS pending reminders
   in the table, most of them in the future (median of 25 runs), with its query plan.

Prints figures only. Traffic goes only to 127.0.0.1; everything is bounded and stops by itself.
Run: `.venv/bin/python benchmarks/reminders.py [--count 10000] [--profile]` (--profile: cProfile
of the dispatcher's thread and of its recorder thread, merged).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import random
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import insert, text
from sqlmodel import select

from incident_tracker.cli_admin import migrate
from incident_tracker.clock import SystemClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import ObligationRecord, Reminder
from incident_tracker.mail import MailSettings, SMTPMailer, compose
from incident_tracker.services import incidents, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.dispatch import BATCH, Dispatcher, due_ids
from incident_tracker.services.incidents import IncidentValues

AUDIT_KEY = "benchmark-audit-key-0123456789abcdef0123456789"
INCIDENTS = 20
QUERY_ROWS = 100_000
SENDER = "incident-tracker@example.org"
INCIDENT = IncidentValues(
    title="Benchmark incident",
    discovered_on=date(2026, 11, 20),
    breach_type="theft",
    location="laptop",
    states={"PA": 100},
    data_elements=("name", "ssn"),
    medium="electronic",
    acquired=True,
    phi_encrypted=False,
    risk_assessment="not_low_probability",
)


class Counter:
    """aiosmtpd handler: counts messages (and bytes) as the server accepts them."""

    def __init__(self) -> None:
        self.messages = 0
        self.size = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        self.size += len(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(settings: Settings, count: int, now: datetime) -> None:
    """INCIDENTS incidents through the services, then `count` due reminders on their duties."""
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "benchmark", trusted=True), now, AUDIT_KEY)
        owner = users.create_user(
            call, "owner@example.org", "privacy_officer", "benchmark password 1234", "Owner"
        )
        for n in range(INCIDENTS):
            incidents.create(call, replace(INCIDENT, owner_id=owner.id, title=f"Benchmark {n}"))
    with unit_of_work(engine) as session:
        duties = session.exec(
            select(ObligationRecord.id, ObligationRecord.due).where(
                ObligationRecord.live == True,  # noqa: E712
                ObligationRecord.kind == "legal",
                ObligationRecord.due != None,  # noqa: E711
            )
        ).all()
        rows = [
            {
                "obligation_id": duties[i % len(duties)][0],
                "offset": f"bench-{i}",
                "due_for": str(duties[i % len(duties)][1]),
                "kind": "due_soon",
                "send_at": now - timedelta(minutes=1),
                "status": "pending",
                "attempts": 0,
                "last_error": "",
                "created_at": now,
            }
            for i in range(count)
        ]
        session.execute(insert(Reminder), rows)
    engine.dispose()


def raw_loop(port: int, count: int) -> float:
    """Seconds for one smtplib connection to send `count` reminder-like messages."""
    body = "\n".join(
        [
            "Legal deadline: F1 — Affected individuals",
            "Incident: INC-2026-0001",
            "When: due 2027-01-19 (in 57 days)",
            "Citation: 45 CFR 164.404(b)",
            "",
            "Open the incident: http://127.0.0.1:5000/incidents/1",
            "",
            "This message contains no patient information. Sign in to see the details.",
        ]
    )
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        for i in range(count):
            smtp.send_message(
                compose(
                    SENDER,
                    "owner@example.org",
                    "[INC-2026-0001] Due soon: F1 Affected individuals",
                    body,
                    f"<raw-{i}@example.org>",
                )
            )
    return time.perf_counter() - started


def dispatch_all(settings: Settings, port: int) -> tuple[float, int]:
    engine = make_engine(settings.db_url)
    mail = MailSettings(host="127.0.0.1", port=port, sender=SENDER)
    dispatcher = Dispatcher(
        engine=engine,
        audit_key=AUDIT_KEY,
        mailer=SMTPMailer(mail),
        sender=SENDER,
        base_url="http://127.0.0.1:5000",
        now=SystemClock().now,
    )
    sent = 0
    started = time.perf_counter()
    while True:
        result = dispatcher.tick()
        sent += result.sent
        if result.failed:
            raise SystemExit(f"sending failed: {result.errors[:3]}")
        if result.sent + result.cancelled == 0:
            break
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, sent


def due_query(settings: Settings, now: datetime) -> tuple[float, str]:
    """Median seconds of the dispatcher's due-rows query with QUERY_ROWS pending reminders."""
    engine = make_engine(settings.db_url)
    rng = random.Random(7)
    with unit_of_work(engine) as session:
        obligation_id = session.exec(select(ObligationRecord.id)).first()
        rows = [
            {
                "obligation_id": obligation_id,
                "offset": f"q-{i}",
                "due_for": "2027-01-19",
                "kind": "due_soon",
                # about 1 in 200 due now, the rest spread over the coming year
                "send_at": now + timedelta(minutes=rng.randint(-300, 60 * 24 * 365)),
                "status": "pending",
                "attempts": 0,
                "last_error": "",
                "created_at": now,
            }
            for i in range(QUERY_ROWS)
        ]
        session.execute(insert(Reminder), rows)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        pending = conn.execute(text("SELECT count(*) FROM reminder WHERE status='pending'"))
        print(f"pending reminders in the table: {pending.scalar()}")
        plan = conn.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT id FROM reminder WHERE status='pending' "
                "AND send_at <= :now ORDER BY send_at, id LIMIT :n"
            ),
            {"now": now.replace(tzinfo=None), "n": BATCH},
        ).all()
    timings = []
    found = 0
    for _ in range(25):
        started = time.perf_counter()
        with unit_of_work(engine, read_only=True) as session:
            found = len(due_ids(session, now, BATCH))
        timings.append(time.perf_counter() - started)
    engine.dispose()
    return statistics.median(timings), f"{found} due rows returned; plan: " + " / ".join(
        str(row[-1]) for row in plan
    )


def profile_recorder(profiler: cProfile.Profile) -> None:
    """cProfile sees one thread: run each recording (in the recorder thread) under its own."""
    record = Dispatcher._finish

    def profiled(*args: Any, **kwargs: Any) -> None:
        profiler.runcall(record, *args, **kwargs)

    Dispatcher._finish = profiled  # type: ignore[method-assign]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="profile the dispatcher run")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    handler = Counter()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory(prefix="reminders-bench-") as folder:
            settings = Settings(env="test", instance_path=Path(folder), audit_key=AUDIT_KEY)
            migrate(settings)
            now = datetime.now(UTC)
            seed(settings, args.count, now)
            before = handler.messages
            cpu = [time.process_time()]
            raw_first = raw_loop(port, args.count)
            cpu.append(time.process_time())
            profiler, recorder = (
                (cProfile.Profile(), cProfile.Profile()) if args.profile else (None, None)
            )
            if profiler and recorder:
                profile_recorder(recorder)
                profiler.enable()
            elapsed, sent = dispatch_all(settings, port)
            if profiler:
                profiler.disable()
            cpu.append(time.process_time())
            delivered = handler.messages - before - args.count
            raw_second = raw_loop(port, args.count)
            cpu.append(time.process_time())
            raw = (raw_first + raw_second) / 2
            raw_cpu = (cpu[1] - cpu[0] + cpu[3] - cpu[2]) / 2 / args.count
            dispatch_cpu = (cpu[2] - cpu[1]) / max(sent, 1)
            print(
                f"raw smtplib loop: {args.count / raw:,.0f} messages/s "
                f"({raw_first:.2f} s and {raw_second:.2f} s for {args.count})"
            )
            print(
                f"dispatcher: {sent / elapsed:,.0f} messages/s ({sent} reminders, "
                f"{delivered} messages received, {elapsed:.2f} s)"
            )
            print(f"ratio {(sent / elapsed) / (args.count / raw):.2f}")
            print(
                f"process CPU per message: raw {raw_cpu * 1000:.2f} ms, dispatcher "
                f"{dispatch_cpu * 1000:.2f} ms (ratio {raw_cpu / dispatch_cpu:.2f}); load average "
                f"now {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
            )
            median, detail = due_query(settings, datetime.now(UTC))
            print(
                f"due-rows query with {QUERY_ROWS:,} pending: {median * 1000:.2f} ms "
                f"(median of 25; {detail})"
            )
            if profiler and recorder:
                stats = pstats.Stats(profiler)
                stats.add(recorder)
                stats.sort_stats("cumulative").print_stats(35)
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    sys.exit(main())
