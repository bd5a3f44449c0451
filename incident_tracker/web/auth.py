"""Sign-in, sign-out, the idle-warning ping and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from incident_tracker.services import auth, users
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import SignedIn

bp = Blueprint("auth", __name__)


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
    if not result.ok or result.token is None or result.user is None:
        status = 429 if result.throttled else 401
        return render_template(
            "auth/login.html", email=email, next=target, error=result.message
        ), status
    session.clear()  # a fresh session at sign-in (ASVS 7.2.4)
    login_user(SignedIn(result.token, result.user))
    return redirect(_safe_next(target))  # type: ignore[return-value]


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


@bp.get("/account/password")
@login_required
def password() -> str:
    return render_template("auth/password.html", errors={})


@bp.post("/account/password")
@login_required
def password_post() -> tuple[str, int] | Response:
    """Throttled like sign-in (services/auth.py): 429 while the address or account is held."""
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
