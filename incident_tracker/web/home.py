"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from incident_tracker.core.permissions import Action, can
from incident_tracker.services import organisation, register
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("home", __name__)


@bp.get("/")
@requires(Action.VIEW_HOME)
def index() -> str:
    with runtime.call(read_only=True) as c:
        org = organisation.get(c)
        board = register.board(c) if can(c.actor.role, Action.VIEW_INCIDENT) else None
    return render_template("home.html", org=org, board=board)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """For load balancers and monitoring: no PHI, no sign-in."""
    try:
        with runtime.engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # any database failure is "unavailable"
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}, 200
