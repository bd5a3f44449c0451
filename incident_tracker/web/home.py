"""The home page and the health check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request

from incident_tracker.core.permissions import Action, can
from incident_tracker.services import health, notifications, organisation, register
from incident_tracker.web import fragments, runtime
from incident_tracker.web.security import requires

bp = Blueprint("home", __name__)
SCHEDULER_STALE_AFTER = timedelta(minutes=5)  # 5 ticks at the default REMINDER_TICK_SECONDS


@bp.get("/")
@requires(Action.VIEW_HOME)
def index() -> str:
    # Not data the generation tracks (a claim ages; the heartbeat row has no trigger): read on
    # every request by those who are warned, and part of the kept page's key.
    problems: tuple[str, ...] = ()
    if can(runtime.actor().role, Action.SEE_DELIVERY_FAILURES):
        now = runtime.now()
        found = runtime.read(lambda db: health.read(db, now, health.configured_lease()))
        problems = tuple(found.scheduler_problems(now))

    pages = _board_pages()

    def whole() -> str:
        with runtime.call(read_only=True) as c:
            org = organisation.get(c)
            board = register.board(c, pages) if can(c.actor.role, Action.VIEW_INCIDENT) else None
            failures = notifications.delivery_failures(c)
        return render_template(
            "home.html",
            org=org,
            board=board,
            failures=failures,
            failure_threshold=notifications.FAILURE_THRESHOLD,
            problems=problems,
            pages=pages,
        )

    key = fragments.page_key(
        "home", runtime.local_today(), problems, tuple(sorted(pages.items()))
    )  # kept until a change
    return whole() if key is None else str(fragments.kept(key, whole))


def _board_pages() -> dict[str, int]:
    """Each group's page from `?<group>_page=N`; anything else is page 1 (the service clamps
    a page past the end to the last)."""
    pages: dict[str, int] = {}
    for name in register.BOARD_GROUPS:
        raw = request.args.get(f"{name}_page", "")
        if raw.isascii() and raw.isdigit() and 1 < int(raw) < 1_000_000:
            pages[name] = int(raw)
    return pages


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    """For load balancers and monitoring: no PHI, no sign-in, one statement. Reminders that keep
    failing, claims older than their lease and a tick that raised make it "degraded" (still 200:
    the web server serves); only an unreachable database is 503. A missing or stale scheduler is
    reported but does not fail the web server's health."""
    now = runtime.now()
    try:
        found = runtime.read(lambda db: health.read(db, now, health.configured_lease()))
    except Exception:  # any database failure is "unavailable"
        return {"status": "error", "database": "unavailable"}, 503
    last_tick = found.last_tick_at
    stale = last_tick is not None and now - last_tick > SCHEDULER_STALE_AFTER
    problems = found.problems(now)
    return {
        "status": "degraded" if problems else "ok",
        "database": "ok",
        "problems": problems,
        "scheduler": {
            "last_tick_at": last_tick.isoformat() if last_tick else None,
            "stale": stale,
        },
    }, 200
