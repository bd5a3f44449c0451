"""The home page and the health check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import select, text
from sqlmodel import col

from incident_tracker.core.permissions import Action, can
from incident_tracker.db.models import SchedulerState
from incident_tracker.services import notifications, organisation, register
from incident_tracker.web import fragments, runtime
from incident_tracker.web.security import requires

bp = Blueprint("home", __name__)
SCHEDULER_STALE_AFTER = timedelta(minutes=5)  # 5 ticks at the default REMINDER_TICK_SECONDS


@bp.get("/")
@requires(Action.VIEW_HOME)
def index() -> str:
    def whole() -> str:
        with runtime.call(read_only=True) as c:
            org = organisation.get(c)
            board = register.board(c) if can(c.actor.role, Action.VIEW_INCIDENT) else None
            failures = notifications.delivery_failures(c)
        return render_template(
            "home.html",
            org=org,
            board=board,
            failures=failures,
            failure_threshold=notifications.FAILURE_THRESHOLD,
        )

    key = fragments.page_key("home", runtime.local_today())  # kept until anything changes
    return whole() if key is None else str(fragments.kept(key, whole))


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    """For load balancers and monitoring: no PHI, no sign-in. The scheduler's last tick is
    reported, but a missing or stale scheduler does not fail the web server's health."""
    try:
        with runtime.engine().connect() as conn:
            conn.execute(text("SELECT 1"))
            last_tick = conn.execute(
                select(SchedulerState.last_tick_at).where(col(SchedulerState.id) == 1)
            ).scalar_one_or_none()
    except Exception:  # any database failure is "unavailable"
        return {"status": "error", "database": "unavailable"}, 503
    stale = last_tick is not None and runtime.clock().now() - last_tick > SCHEDULER_STALE_AFTER
    return {
        "status": "ok",
        "database": "ok",
        "scheduler": {
            "last_tick_at": last_tick.isoformat() if last_tick else None,
            "stale": stale,
        },
    }, 200
