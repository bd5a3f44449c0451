"""Sessions and the access review (services/sessions.py, services/access_review.py).

Each user sees and ends their own sessions; an admin ends all of a user's; the access review is
a page and a CSV download for admins.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from incident_tracker.core.permissions import Action
from incident_tracker.services import access_review, auth, sessions
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("access", __name__)


@bp.get("/account/sessions")
@login_required
def sessions_page() -> str:
    settings = runtime.settings()
    with runtime.call(read_only=True) as c:
        rows = sessions.active(
            c,
            auth.token_hash(current_user.token),
            timedelta(minutes=settings.idle_timeout_minutes),
            timedelta(hours=settings.absolute_timeout_hours),
        )
    return render_template("account/sessions.html", rows=rows)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    with runtime.call() as c:
        sessions.end_own(c, session_id)
    flash("That session is ended: the browser that used it must sign in again.")
    return redirect(url_for("access.sessions_page"))  # type: ignore[return-value]


@bp.post("/admin/users/<int:user_id>/end-sessions")
@requires(Action.MANAGE_USERS)
def end_user_sessions(user_id: int) -> Response:
    with runtime.call() as c:
        ended = sessions.end_all_of(c, user_id)
    flash(f"{ended} session(s) ended; the user must sign in again.")
    return redirect(url_for("admin.user_list"))  # type: ignore[return-value]


def _day(raw: str | None, field: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        errors[field] = "give a date as YYYY-MM-DD"
        return None


def _review() -> tuple[list[access_review.ReviewRow], date, date, dict[str, str]]:
    """The rows for the period asked (from/to, inclusive; the last 90 days by default)."""
    errors: dict[str, str] = {}
    start = _day(request.args.get("from"), "from", errors)
    end = _day(request.args.get("to"), "to", errors)
    with runtime.call(read_only=True) as c:
        try:
            first, last = access_review.period(start, end, runtime.local_today())
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
        if errors:
            first, last = access_review.period(None, None, runtime.local_today())
        return access_review.review(c, first, last), first, last, errors


@bp.get("/admin/access-review")
@requires(Action.REVIEW_ACCESS)
def review_page() -> tuple[str, int]:
    rows, first, last, errors = _review()
    form = {"from": request.args.get("from", first.isoformat()), "to": request.args.get("to")}
    form["to"] = form["to"] or last.isoformat()
    page = render_template(
        "admin/access_review.html", rows=rows, first=first, last=last, form=form, errors=errors
    )
    return page, 422 if errors else 200


@bp.get("/admin/access-review.csv")
@requires(Action.REVIEW_ACCESS)
def review_csv() -> Response | tuple[dict[str, str], int]:
    rows, first, last, errors = _review()
    if errors:
        return {"error": "; ".join(f"{k}: {v}" for k, v in errors.items())}, 422
    with runtime.call() as c:  # who took the list of every account, and for which period
        c.audit("access_review.export", new={"from": first.isoformat(), "to": last.isoformat()})
    return Response(
        access_review.to_csv(rows, first, last),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="access-review-{first}-to-{last}.csv"'
        },
    )
