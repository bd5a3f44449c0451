"""Flask's signed-cookie session, with the last verified cookies remembered per process.

Every request used to verify its cookie's HMAC and decode it (base64, zlib, JSON): a tenth of a
signed-in page's work. A cookie string verified within VERIFIED_FOR is decoded from memory
instead; an entry exists only for a cookie whose signature and age were checked, so nothing can
be planted. The cookie carries no authority of its own: the server-side session row decides on
every request (services/auth.check).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

VERIFIED_FOR = 60.0  # seconds
MAX_COOKIES = 4096


class RememberedCookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._verified: OrderedDict[str, tuple[dict[str, Any], float]] = OrderedDict()
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        now = time.monotonic()
        if value:
            with self._lock:
                found = self._verified.get(value)
            if found is not None and now - found[1] < VERIFIED_FOR:
                return self.session_class(dict(found[0]))
        opened = super().open_session(app, request)
        # Flashed messages are lists, changed in place by flash(): such a session is not kept.
        if value and opened is not None and opened and "_flashes" not in opened:
            with self._lock:
                self._verified[value] = (dict(opened), now)
                self._verified.move_to_end(value)
                while len(self._verified) > MAX_COOKIES:
                    self._verified.popitem(last=False)
        return opened
