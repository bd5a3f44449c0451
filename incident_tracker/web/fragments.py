"""Page content kept as HTML for one data generation (services/kept.py), per process.

A kept fragment is rendered with a marker where each CSRF token goes; every response gets its own
session's token in its place. The key must name everything else the HTML depends on: the
viewer (restricted incidents), the role (which actions show), the request's parameters and the
organisation's date (days left).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from incident_tracker.web import runtime
from incident_tracker.web.badge import unread_badge

# Random per process, so no stored text (an incident title) can spell it.
_MARK = f"csrf-{secrets.token_hex(16)}"
_RENDERING = "incident_tracker_rendering_fragment"


def csrf_token() -> str:
    """The template global `csrf_token()`: the marker while a kept fragment renders."""
    return _MARK if g.get(_RENDERING) else session_csrf_token()


def session_csrf_token() -> str:
    """Flask-WTF's signed form token for this session. Tokens do not expire apart from their
    session (WTF_CSRF_TIME_LIMIT is None), so the token signed for a session's secret is
    remembered rather than signed again on every page."""
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()  # tokens that expire are signed afresh
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    raw = session.get("csrf_token")
    with _LOCK:
        found = _SIGNED.get((secret, raw)) if isinstance(raw, str) else None
    if found is not None:
        return found
    signed = generate_csrf()
    raw = session.get("csrf_token")
    if isinstance(raw, str):
        with _LOCK:
            _SIGNED[(secret, raw)] = signed
            while len(_SIGNED) > _MAX_SIGNED:
                _SIGNED.popitem(last=False)
    return signed


_SIGNED: OrderedDict[tuple[object, str], str] = OrderedDict()  # (secret, raw token)
_MAX_SIGNED = 4096
_LOCK = threading.Lock()


def kept(key: Hashable, render: Callable[[], str]) -> Markup:
    """`render()`'s HTML, or what it gave for `key` in this data generation. Inside another
    kept fragment's rendering the marker stays, for the outer one's response to fill in."""
    outer = bool(g.get(_RENDERING))

    def marked() -> str:
        setattr(g, _RENDERING, True)
        try:
            return render()
        finally:
            setattr(g, _RENDERING, outer)

    html = runtime.remember(("fragment", key), marked)
    if not outer and _MARK in html:
        html = html.replace(_MARK, session_csrf_token())
    return Markup(html)


def page_key(*parts: Hashable) -> tuple[Hashable, ...] | None:
    """A whole page can be kept only without flashed messages (they are shown once); its key
    adds what the layout shows: the viewer, their role, their unread badge and the mount point
    its links are under."""
    if "_flashes" in session:
        return None
    viewer = current_user._get_current_object()  # one proxy lookup, not two
    return ("page", request.script_root, viewer.user.id, viewer.role, unread_badge(), *parts)
