"""The header's unread-notifications badge: counted once per request, kept per data generation."""

from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from incident_tracker.services import notifications
from incident_tracker.web import runtime


def _count_unread() -> int:
    with runtime.call(read_only=True) as c:
        return notifications.unread_count(c)


def unread_badge() -> int | None:
    """None when nobody is signed in, or when the count cannot be read: the badge never breaks
    a page (an error page included)."""
    if "unread_notifications" not in g:
        count = None
        viewer = current_user._get_current_object()
        if viewer.is_authenticated:
            try:
                count = runtime.remember(("unread", viewer.user.id), _count_unread)
            except SQLAlchemyError:
                count = None
        g.unread_notifications = count
    return g.unread_notifications  # type: ignore[no-any-return]
