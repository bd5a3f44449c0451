"""`incident-tracker scheduler`: APScheduler 3.11 in its own process, ticking the dispatcher.

Nothing durable lives in APScheduler (a memory job store): the reminder rows are the state, so a
restart loses nothing. Coalesce on and no misfire grace limit, so a tick missed while the machine
slept runs once (stack.md §3).
"""

from __future__ import annotations

import logging
import os
import signal
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from incident_tracker import files
from incident_tracker.clock import SystemClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.mail import MailSettings, SMTPMailer
from incident_tracker.scheduler.lock import AlreadyRunning, Held, single_instance
from incident_tracker.services.audit_checkpoints import AuditKeeper
from incident_tracker.services.dispatch import Dispatcher, lease_from_env

log = logging.getLogger("incident_tracker.scheduler")
LOCK_CHECK_SECONDS = 10


def lock_path(settings: Settings) -> Path:
    url = settings.db_url
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).with_suffix(".scheduler.lock")
    return settings.instance_path / "scheduler.lock"


def build_dispatcher(settings: Settings, env: dict[str, str]) -> Dispatcher:
    mail = MailSettings.from_env(env)
    return Dispatcher(
        engine=make_engine(settings.db_url),
        audit_key=settings.audit_key,
        mailer=SMTPMailer(mail),
        sender=mail.sender,
        base_url=env.get("BASE_URL", "http://127.0.0.1:5000"),
        now=SystemClock().now,
        lease=lease_from_env(env),
    )


def add_letter_job(scheduler: Any, settings: Settings, engine: Any) -> None:
    """Merged letters: every few seconds, carry queued runs on chunk by chunk (each
    chunk is claimed under a lease in the database, so nothing is lost or made twice)."""
    from incident_tracker.services.letters import LetterWorker

    worker = LetterWorker(engine, settings.audit_key, settings.letter_storage, SystemClock().now)

    def letters() -> None:
        steps = worker.work(seconds=50)
        if steps:
            log.info("letters: %s chunk(s)", steps)

    scheduler.add_job(
        letters, "interval", seconds=5, id="produce-merged-letters", replace_existing=True
    )


def add_evidence_job(scheduler: Any, settings: Settings, engine: Any) -> None:
    """Evidence files asked for on the incident page: built one at a time in the background
    (services/evidence_files.py), the page showing the progress."""
    from incident_tracker.services.evidence_files import worker_for

    worker = worker_for(engine, settings, SystemClock().now)

    def evidence() -> None:
        if worker.step():
            log.info("evidence: one file built")

    scheduler.add_job(
        evidence, "interval", seconds=5, id="build-evidence-files", replace_existing=True
    )


def webhook_lease(env: dict[str, str]) -> timedelta:
    """How long a claimed delivery waits before another scheduler may send it again (one killed
    mid-send): WEBHOOK_LEASE_SECONDS, default 120; shorter only for tests."""
    from incident_tracker.services.webhook_worker import LEASE

    raw = env.get("WEBHOOK_LEASE_SECONDS", "").strip()
    seconds = float(raw) if raw.replace(".", "", 1).isdigit() else 0
    return timedelta(seconds=seconds) if 0 < seconds <= 86_400 else LEASE


def add_webhook_job(
    scheduler: Any, settings: Settings, engine: Any, env: dict[str, str], seconds: float = 15
) -> None:
    """Webhooks: every few seconds, queue the due-soon and overdue events and send what is due
    from the ledger (services/webhook_worker.py; at-least-once, like the reminders)."""
    from incident_tracker.services.webhook_worker import WebhookWorker

    worker = WebhookWorker(
        engine,
        settings.audit_key,
        settings.mfa_encryption_key,
        env.get("BASE_URL", "http://127.0.0.1:5000"),
        SystemClock().now,
        production=settings.production,
        allow_loopback=not settings.production,
        lease=webhook_lease(env),
    )

    def deliver() -> None:
        try:
            result = worker.tick()
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("webhook job raised %s\n%s", type(exc).__name__, frames)
            return
        if result.queued or result.delivered or result.failed or result.requeued:
            log.info("webhooks: %s", result.summary())

    scheduler.add_job(
        deliver,
        "interval",
        seconds=float(env.get("WEBHOOK_TICK_SECONDS", "") or seconds),
        id="deliver-webhooks",
        replace_existing=True,
        next_run_time=SystemClock().now(),
    )


def add_audit_job(
    scheduler: Any, settings: Settings, engine: Any, now: Callable[[], datetime] | None = None
) -> AuditKeeper:
    """Every minute: one audit row per closed window of sign-in failures, and the day's audit
    checkpoint into AUDIT_CHECKPOINT_DIR unless today's is there (services/audit_checkpoints.py).
    The first run is at start, so a scheduler restarted after midnight catches the day up."""
    keeper = AuditKeeper(
        engine, settings.audit_key, settings.checkpoint_dir, now or SystemClock().now
    )

    def keep() -> None:
        try:
            result = keeper.tick()
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("audit job raised %s\n%s", type(exc).__name__, frames)
            return
        if result.summaries or result.checkpoint:
            log.info("audit: %s", result.summary())

    scheduler.add_job(
        keep,
        "interval",
        seconds=60,
        id="keep-audit-trail",
        replace_existing=True,
        next_run_time=(now or SystemClock().now)(),
    )
    return keeper


def add_lock_watch(
    scheduler: Any, held: Held, stop: Callable[[], None], seconds: float = LOCK_CHECK_SECONDS
) -> Callable[[], bool]:
    """Every few seconds: is the single-scheduler lock still ours (scheduler/lock.py)? If not,
    stop, so that the scheduler that may now hold it runs alone; the exit status is then 1 and
    the service manager restarts this one, which waits its turn. Returns "was it lost?"."""
    lost: list[bool] = []

    def watch() -> None:
        if held.still_held():
            return
        lost.append(True)
        log.error("lost the scheduler lock (%s); stopping", held.where)
        stop()

    scheduler.add_job(watch, "interval", seconds=seconds, id="watch-lock", replace_existing=True)
    return lambda: bool(lost)


def run(settings: Settings, env: dict[str, str]) -> int:
    from apscheduler.schedulers.blocking import BlockingScheduler

    problems = settings.problems() + MailSettings.from_env(env).problems(settings.production)
    if problems:
        log.error("refusing to start: %s", "; ".join(problems))
        return 2
    files.fix_sqlite(settings.db_url)
    dispatcher = build_dispatcher(settings, env)
    # APScheduler logs every run at INFO ("Running job" / "executed successfully"): with the
    # letters job every 5 s that buries our own lines. Its warnings and job errors still show.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    tick_seconds = float(env.get("REMINDER_TICK_SECONDS", "60") or 60)
    try:
        with single_instance(dispatcher.engine, lock_path(settings)) as held:
            scheduler = BlockingScheduler(
                timezone="UTC",
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            )

            def tick() -> None:
                try:
                    result = dispatcher.tick()
                except Exception as exc:  # recorded by the dispatcher for /healthz
                    # The frames, not the message: a database error's message can quote values.
                    frames = "".join(traceback.format_tb(exc.__traceback__))
                    log.error("tick raised %s\n%s", type(exc).__name__, frames)
                    return
                log.info("tick: %s", result.summary())

            from datetime import UTC, datetime

            scheduler.add_job(
                tick,
                "interval",
                seconds=tick_seconds,
                id="dispatch-due-reminders",
                replace_existing=True,
                next_run_time=datetime.now(UTC),
            )
            add_letter_job(scheduler, settings, dispatcher.engine)
            add_evidence_job(scheduler, settings, dispatcher.engine)
            add_audit_job(scheduler, settings, dispatcher.engine)
            add_webhook_job(scheduler, settings, dispatcher.engine, env)

            def stop(*_: Any) -> None:
                scheduler.shutdown(wait=False)

            lost = add_lock_watch(scheduler, held, stop)

            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            log.info("scheduler started (pid %s, tick %ss)", os.getpid(), tick_seconds)
            scheduler.start()
    except AlreadyRunning as exc:
        log.error("%s", exc)
        return 1
    return 1 if lost() else 0
