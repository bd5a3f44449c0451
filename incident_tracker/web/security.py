"""Sign-in state, permission checks, CSRF and security headers, in one place.

Every request re-reads the server-side session (a cookie replayed after sign-out is refused) and
the user's role; every refusal is audited (ASVS 5.0 16.3).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import Any, TypeVar, cast

from flask import Flask, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from incident_tracker.core.permissions import Action, can
from incident_tracker.services import auth, auth_failures
from incident_tracker.services.audit import Actor
from incident_tracker.web import cookies, fragments, runtime

F = TypeVar("F", bound=Callable[..., Any])
csrf = CSRFProtect()
login_manager = LoginManager()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ENDED_MESSAGES = {
    "idle": "You were signed out after {minutes} minutes without activity.",
    "absolute": "Your session reached its time limit. Please sign in again.",
    "disabled": "Your session has ended.",
    "role_changed": "Your role changed. Please sign in again.",
    "password_changed": "Your password changed. Please sign in again.",
    "mfa_reset": "Your second factor was reset. Please sign in again.",
}
# What a user who must enrol a second factor and has not may still reach (MFA_REQUIRED_ROLES).
ENROLMENT_ENDPOINTS = frozenset(
    {"mfa.setup", "mfa.setup_post", "auth.logout", "auth.ping", "static", "home.healthz"}
)


class SignedIn(UserMixin):  # type: ignore[misc]
    """Flask-Login's view of a valid server-side session: its id is the session token."""

    def __init__(self, token: str, user: auth.SignedInUser) -> None:
        self.token = token
        self.user = user

    def get_id(self) -> str:
        return self.token

    @property
    def role(self) -> str:
        return self.user.role


def _load_user(token: str) -> SignedIn | None:
    """One read-only statement on most requests (the session, its user and the data
    generation); a write transaction at most every 15 s per session, or when it ends."""
    found = runtime.read(lambda db: auth.check(db, runtime.settings(), token, runtime.now()))
    if found.needs_write:
        anonymous = Actor(None, None, None, runtime.client_address())  # not known yet
        factor = False
        with runtime.call(anonymous) as c:
            current = auth.load(c, runtime.settings(), token)
            if current.user is not None:
                runtime.note_generation(c.session.connection())
                factor = auth.has_second_factor(c, current.user.id or 0)
        user = current.user
        if user is None:
            g.session_ended = current.ended
            return None
        return SignedIn(token, auth.SignedInUser(user.id or 0, user.email, user.role, factor))
    if found.user is None:
        g.session_ended = found.ended
        return None
    g.data_generation = found.generation
    return SignedIn(token, found.user)


def _unauthorized() -> Response:
    ended = g.get("session_ended")
    if ended in ENDED_MESSAGES:
        flash(ENDED_MESSAGES[ended].format(minutes=runtime.settings().idle_timeout_minutes))
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return cast(Response, ({"error": "sign-in required"}, 401))
    return cast(Response, redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))


def refuse(action: Action | str) -> None:
    """Audit the refusal, then 403 (ASVS 16.3.2)."""
    with runtime.call() as c:
        c.audit(
            "security.permission_refused", detail=f"{action} at {request.method} {request.path}"
        )
    abort(403)


def requires(action: Action) -> Callable[[F], F]:
    """Sign-in plus the pure permission check `can(role, action)`, per request."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            viewer = current_user._get_current_object()
            if not viewer.is_authenticated:
                return login_manager.unauthorized()
            if not can(viewer.role, action):
                refuse(action)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def _enrol_first() -> Response | tuple[dict[str, str], int] | None:
    """A signed-in user whose role must use a second factor and who has none yet reaches only
    the enrolment page (and sign-out), whatever the address: checked here for every request, not
    per view (45 CFR 164.312(d); ASVS 5.0 6.3.3)."""
    if request.endpoint in ENROLMENT_ENDPOINTS or not current_user.is_authenticated:
        return None
    user = current_user.user
    if user.second_factor or not runtime.settings().mfa_required(user.role):
        return None
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return {"error": "set up your second factor first"}, 403
    return cast(Response, redirect(url_for("mfa.setup")))


def _headers(response: Response) -> Response:
    headers = response.headers
    if "Content-Security-Policy" in headers:  # a download's own, stricter policy stays
        for name, value in _ALWAYS:
            headers.setdefault(name, value)
    else:
        headers.extend(_ALWAYS)
    if not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


_ALWAYS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # same-origin, not no-referrer: over HTTPS Flask-WTF's strict check (WTF_CSRF_SSL_STRICT)
    # refuses a POST without a same-origin Referer; no other site is sent one (ASVS 3.4.5).
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


@cache
def _allowed(role: str | None) -> frozenset[str]:
    """The actions a role may take, by name, for `can('...')` in templates (asked a dozen times
    per page): the same `can()` as everywhere, once per role."""
    return frozenset(action.value for action in Action if can(role, action))


def _csrf_failed(error: CSRFError) -> tuple[str, int]:
    """A signed-in user's refused form is its own audit row; a signed-out one is counted with the
    address's other sign-in failures and summarised once per window (a flood of forged posts
    cannot flood the audit trail)."""
    detail = f"{request.method} {request.path}: {error.description}"
    with runtime.call() as c:
        if getattr(current_user, "is_authenticated", False):
            c.audit("security.csrf_failure", detail=detail)
        else:
            reason = f"form refused: {error.description}"[:120]  # no path: keys stay few
            auth_failures.record(c, runtime.client_address(), "", reason)
    return render_template(
        "errors/error.html",
        code=400,
        message="The form expired or was not sent from this site. Go back, "
        "reload the page and try again.",
    ), 400


def init_app(app: Flask) -> None:
    app.session_interface = cookies.RememberedCookieSessions()
    csrf.init_app(app)
    app.jinja_env.globals["csrf_token"] = fragments.csrf_token  # imported macros use globals
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row decides
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(_enrol_first)
    app.after_request(_headers)
    app.teardown_request(runtime.release_connection)
    app.register_error_handler(CSRFError, _csrf_failed)

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        settings = runtime.settings()
        role = current_user.role if current_user.is_authenticated else None
        return {
            "can": _allowed(role).__contains__,
            "allowed": _allowed(role),  # the layout's `'action' in allowed`: no call per link
            "csrf_token": fragments.csrf_token,
            "idle_seconds": settings.idle_timeout_minutes * 60,
            "idle_warning_seconds": settings.idle_warning_seconds,
            "sso_enabled": settings.sso_enabled,
        }
