"""Sign-in, sign-out, the idle-warning ping and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from incident_tracker.db.models import User
from incident_tracker.services import auth, mfa, users
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import SignedIn

bp = Blueprint("auth", __name__)
PENDING = "second_factor_pending"
PENDING_SECONDS = 300  # the password step is good for five minutes of the code step
NO_LOCAL_PASSWORD = (
    "Your account signs in with single sign-on: its password is managed by your organisation's "
    "identity provider, not here."
)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (microblog's check): never an absolute or protocol-relative URL."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home.index")
    return target


@bp.get("/login")
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))  # type: ignore[return-value]
    return render_template("auth/login.html", email="", next=request.args.get("next", ""))


@bp.post("/login")
def login_post() -> tuple[str, int] | Response:
    email = request.form.get("email", "")[:254]
    password = request.form.get("password", "")[:1024]
    target = request.form.get("next", "")
    with runtime.call() as c:
        result = auth.sign_in(
            c, runtime.settings(), email, password, request.headers.get("User-Agent", "")
        )
    if result.ok and result.second_factor and result.user is not None:
        # Not signed in: only the code step may follow, for a few minutes (no session row yet).
        session.clear()
        session[PENDING] = {
            "user": result.user.id,
            "at": int(runtime.now().timestamp()),
            "next": target[:500],
        }
        return redirect(url_for("auth.code"))  # type: ignore[return-value]
    if not result.ok or result.token is None or result.user is None:
        status = 429 if result.throttled else 401
        return render_template(
            "auth/login.html", email=email, next=target, error=result.message
        ), status
    return signed_in(result.token, result.user, target, second_factor=False)


def signed_in(token: str, user: User, target: str, second_factor: bool) -> Response:
    session.clear()  # a fresh session at sign-in (ASVS 7.2.4)
    who = auth.SignedInUser(user.id or 0, user.email, user.role, second_factor)
    login_user(SignedIn(token, who))
    return redirect(_safe_next(target))  # type: ignore[return-value]


def _pending() -> dict[str, object] | None:
    found = session.get(PENDING)
    if not isinstance(found, dict) or not isinstance(found.get("at"), int):
        return None
    if runtime.now().timestamp() - found["at"] > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return found


@bp.get("/login/code")
def code() -> str | Response:
    if _pending() is None:
        flash("Sign in with your password first.")
        return redirect(url_for("auth.login"))  # type: ignore[return-value]
    return render_template("auth/code.html")


@bp.post("/login/code")
def code_post() -> tuple[str, int] | Response:
    """The second step: the session row is made only when the code is right."""
    pending = _pending()
    if pending is None:
        flash("Sign in with your password first.")
        return redirect(url_for("auth.login"))  # type: ignore[return-value]
    typed = request.form.get("code", "")[:64]
    with runtime.call() as c:
        user = users.get(c, int(str(pending["user"])))
        outcome = mfa.verify(c, runtime.settings(), user, typed)
        token = None
        if outcome.ok and user.is_active:
            token = auth.open_session(c, user, request.headers.get("User-Agent", ""))
    if token is None:
        status = 429 if outcome.throttled else 401
        return render_template("auth/code.html", error=outcome.message or mfa.WRONG_CODE), status
    response = signed_in(token, user, str(pending.get("next", "")), second_factor=True)
    if outcome.used_recovery_code:
        flash("You signed in with a recovery code; it cannot be used again.")
    return response


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        with runtime.call() as c:
            auth.sign_out(c, current_user.token)
    logout_user()
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))  # type: ignore[return-value]


@bp.post("/session/ping")
@login_required
def ping() -> tuple[dict[str, str], int]:
    """The idle warning's "stay signed in": counts as activity."""
    with runtime.call() as c:
        auth.touch(c, current_user.token)
    return {"status": "ok"}, 200


def has_local_password() -> bool:
    """Whether the signed-in user signs in here with a password, and so may change it: with
    single sign-on on, only an emergency local admin does (services/auth.py `may_use_password`).
    Read once per request, and only while single sign-on is on."""
    settings = runtime.settings()
    if not settings.sso_enabled:
        return True
    if "local_password" not in g:
        with runtime.call(read_only=True) as c:
            user = users.get(c, current_user.user.id)
            g.local_password = auth.may_use_password(settings, user)
    return bool(g.local_password)


@bp.app_context_processor
def _password_link() -> dict[str, object]:
    """`has_local_password()` for the header and the home page's links."""
    return {"has_local_password": has_local_password}


def _no_local_password() -> Response:
    flash(NO_LOCAL_PASSWORD)
    return redirect(url_for("home.index"))  # type: ignore[return-value]


@bp.get("/account/password")
@login_required
def password() -> str | Response:
    if not has_local_password():
        return _no_local_password()
    return render_template("auth/password.html", errors={})


@bp.post("/account/password")
@login_required
def password_post() -> tuple[str, int] | Response:
    """Throttled like sign-in (services/auth.py): 429 while the address or account is held."""
    if not has_local_password():
        return _no_local_password()
    try:
        with runtime.call() as c:
            user = users.get(c, current_user.user.id)
            changed = auth.change_password(
                c,
                runtime.settings(),
                user,
                request.form.get("current_password", "")[:1024],
                request.form.get("new_password", "")[:1024],
            )
    except ValidationFailed as exc:
        return render_template("auth/password.html", errors=exc.field_errors), 422
    if not changed.ok:
        status = 429 if changed.throttled else 422
        return render_template("auth/password.html", errors=changed.errors), status
    logout_user()
    session.clear()
    flash("Your password changed. Please sign in again.")
    return redirect(url_for("auth.login"))  # type: ignore[return-value]
