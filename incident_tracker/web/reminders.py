"""Reminders in the app: the user's notifications, the admins' outbox of sent
e-mails, the account page for the calendar feed and the daily digest, and the feed itself.

The feed is the one page here without sign-in: its secret URL is the credential, checked against
the stored SHA-256, and it lists only what the feed's owner may see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from incident_tracker.core.parsing import whole_number
from incident_tracker.core.permissions import Action
from incident_tracker.services import calendar_feed, notifications, preferences
from incident_tracker.web import badge, runtime
from incident_tracker.web.security import requires

bp = Blueprint("reminders", __name__)
MAX_PAGE = 100_000


def _page() -> int:
    return min(whole_number(request.args.get("page")) or 1, MAX_PAGE)


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


@bp.app_context_processor
def _unread_badge() -> dict[str, Any]:
    """`unread_notifications()` for the header."""
    return {"unread_notifications": badge.unread_badge}


@bp.get("/notifications")
@requires(Action.VIEW_HOME)
def notification_list() -> str:
    page = _page()
    with runtime.call(read_only=True) as c:
        rows, total = notifications.page(c, page)
    return render_template(
        "notifications/list.html",
        rows=rows,
        total=total,
        page=page,
        pages=_pages(total, notifications.PAGE_SIZE),
    )


def _back_to_list() -> Response:
    page = min(whole_number(request.form.get("page")) or 1, MAX_PAGE)
    return redirect(url_for("reminders.notification_list", page=page))  # type: ignore[return-value]


@bp.post("/notifications/<int:notification_id>/read")
@requires(Action.VIEW_HOME)
def notification_read(notification_id: int) -> Response:
    with runtime.call() as c:
        notifications.mark_read(c, notification_id)
    return _back_to_list()


@bp.post("/notifications/read-all")
@requires(Action.VIEW_HOME)
def notification_read_all() -> Response:
    with runtime.call() as c:
        count = notifications.mark_all_read(c)
    flash(f"{count} notification{'' if count == 1 else 's'} marked as read.")
    return _back_to_list()


@bp.get("/admin/outbox")
@requires(Action.VIEW_OUTBOX)
def outbox() -> str:
    page = _page()
    with runtime.call(read_only=True) as c:
        rows, total = notifications.outbox(c, page)
    return render_template(
        "admin/outbox.html",
        rows=rows,
        total=total,
        page=page,
        pages=_pages(total, notifications.OUTBOX_PAGE_SIZE),
    )


def _calendar_page(feed_url: str | None = None) -> str:
    with runtime.call(read_only=True) as c:
        prefs = preferences.get(c)
    return render_template("account/calendar.html", prefs=prefs, feed_url=feed_url)


@bp.get("/account/calendar")
@requires(Action.VIEW_INCIDENT)
def calendar() -> str:
    return _calendar_page()


@bp.post("/account/calendar")
@requires(Action.VIEW_INCIDENT)
def calendar_create() -> str:
    """Create or replace the feed URL; the secret is shown on this response only."""
    with runtime.call() as c:
        token = calendar_feed.create_token(c)
    url = url_for("reminders.calendar_feed", token=token, _external=True)
    return _calendar_page(url)


@bp.post("/account/calendar/revoke")
@requires(Action.VIEW_INCIDENT)
def calendar_revoke() -> Response:
    with runtime.call() as c:
        revoked = calendar_feed.revoke(c)
    flash("The calendar feed URL no longer works." if revoked else "There was no feed URL.")
    return redirect(url_for("reminders.calendar"))  # type: ignore[return-value]


@bp.post("/account/calendar/digest")
@requires(Action.VIEW_INCIDENT)
def digest() -> Response:
    on = request.form.get("daily_digest") == "1"
    with runtime.call() as c:
        preferences.set_daily_digest(c, on)
    flash("Daily digest " + ("on." if on else "off."))
    return redirect(url_for("reminders.calendar"))  # type: ignore[return-value]


@bp.get("/calendar/<token>.ics", endpoint="calendar_feed")
def calendar_feed_view(token: str) -> Response:
    """No sign-in: the secret in the URL decides; unknown, revoked or disabled is 404."""
    with runtime.call(read_only=True) as c:
        text = calendar_feed.feed(c, token, request.url_root)
    if text is None:
        abort(404)
    response = Response(text.encode("utf-8"), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="incident-deadlines.ics"'
    return response
