"""Forgot password, the reset link and the invitation link (services/account_links.py).

The forgot-password answer is the same whether or not the address has an account, and the
e-mail goes from a background thread so the answer takes as long either way. A reset of an
account with a second factor asks for a code before the new password (ASVS 5.0 6.4.3).
"""

from __future__ import annotations

import threading

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_login import logout_user

from incident_tracker.services import account_links, account_mail, auth, mfa, users
from incident_tracker.services.account_links import INVITE, RESET, LinkRefused
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.auth import signed_in

bp = Blueprint("account_links", __name__)
FACTOR_PASSED = "reset_factor_passed"
FORGOT_ANSWER = (
    "If an account uses that address, a link to reset its password is on its way. It works "
    "once, for 30 minutes."
)
HINT = "At least 12 characters; a long phrase is best. Common passwords are refused."


def base_url() -> str:
    """BASE_URL (required in production, so a forged Host header cannot choose where a reset
    link points); elsewhere the address the request came to."""
    return runtime.settings().base_url or request.url_root


def send_link(email: str, purpose: str, token: str) -> bool:
    link = account_links.link(base_url(), purpose, token)
    if purpose == INVITE:
        subject, body = account_mail.invitation(link, 72)
    else:
        subject, body = account_mail.reset(link, 30)
    settings = runtime.settings()
    return account_mail.send(settings.mail, settings.production, email, subject, body)


@bp.get("/password/forgot")
def forgot() -> str:
    return render_template("auth/forgot.html", email="")


@bp.post("/password/forgot")
def forgot_post() -> str:
    email = request.form.get("email", "")[:254]
    settings = runtime.settings()
    with runtime.call() as c:
        user, token = account_links.ask_reset(c, settings, email)
    if user is not None and token is not None:
        link = account_links.link(base_url(), RESET, token)
        subject, body = account_mail.reset(link, 30)
        threading.Thread(
            target=account_mail.send,
            args=(settings.mail, settings.production, user.email, subject, body),
            daemon=True,
        ).start()
    return render_template("auth/forgot.html", email="", sent=FORGOT_ANSWER)


def _refused(exc: LinkRefused) -> tuple[str, int]:
    return render_template("auth/link_refused.html", message=exc.message), exc.status


@bp.get("/password/reset/<token>")
def reset(token: str) -> tuple[str, int]:
    settings = runtime.settings()
    try:
        with runtime.call() as c:
            found = account_links.find(c, settings, token, RESET)
            needs_code = auth.has_second_factor(c, found.user.id or 0)
    except LinkRefused as exc:
        return _refused(exc)
    if needs_code and session.get(FACTOR_PASSED) != account_links.token_key(token):
        return render_template(
            "auth/code.html", action=url_for("account_links.reset_code", token=token)
        ), 200
    return render_template("auth/new_password.html", errors={}, title="Choose a new password"), 200


@bp.post("/password/reset/<token>/code")
def reset_code(token: str) -> tuple[str, int] | Response:
    settings = runtime.settings()
    try:
        with runtime.call() as c:
            found = account_links.find(c, settings, token, RESET)
            outcome = mfa.verify(c, settings, found.user, request.form.get("code", "")[:64])
    except LinkRefused as exc:
        return _refused(exc)
    if not outcome.ok:
        action = url_for("account_links.reset_code", token=token)
        status = 429 if outcome.throttled else 401
        return render_template("auth/code.html", action=action, error=outcome.message), status
    session[FACTOR_PASSED] = account_links.token_key(token)
    return redirect(url_for("account_links.reset", token=token))  # type: ignore[return-value]


@bp.post("/password/reset/<token>")
def reset_post(token: str) -> tuple[str, int] | Response:
    settings = runtime.settings()
    new = request.form.get("new_password", "")[:1024]
    try:
        with runtime.call() as c:
            found = account_links.find(c, settings, token, RESET)
            if auth.has_second_factor(c, found.user.id or 0) and session.get(
                FACTOR_PASSED
            ) != account_links.token_key(token):
                return redirect(url_for("account_links.reset", token=token))  # type: ignore[return-value]
            account_links.spend(c, found)
            users.replace_password(c, found.user, new, "user.password_reset")
    except LinkRefused as exc:
        return _refused(exc)
    except ValidationFailed as exc:
        errors = {"new_password": exc.field_errors.get("password", exc.message)}
        return render_template(
            "auth/new_password.html", errors=errors, title="Choose a new password"
        ), 422
    logout_user()
    session.clear()
    flash("Your password is set and every session of your account ended. Sign in again.")
    return redirect(url_for("auth.login"))  # type: ignore[return-value]


@bp.get("/invitation/<token>")
def invitation(token: str) -> tuple[str, int]:
    try:
        with runtime.call() as c:
            account_links.find(c, runtime.settings(), token, INVITE)
    except LinkRefused as exc:
        return _refused(exc)
    return render_template(
        "auth/new_password.html", errors={}, title="Choose your password", invitation=True
    ), 200


@bp.post("/invitation/<token>")
def invitation_post(token: str) -> tuple[str, int] | Response:
    """The invitee's password; then they are signed in, and where their role must use a second
    factor the enrolment page is the only one they reach (web/security.py)."""
    settings = runtime.settings()
    new = request.form.get("new_password", "")[:1024]
    try:
        with runtime.call() as c:
            found = account_links.find(c, settings, token, INVITE)
            account_links.spend(c, found)
            users.replace_password(c, found.user, new, "user.invitation_accepted")
            session_token = auth.open_session(c, found.user, request.headers.get("User-Agent", ""))
    except LinkRefused as exc:
        return _refused(exc)
    except ValidationFailed as exc:
        errors = {"new_password": exc.field_errors.get("password", exc.message)}
        return render_template(
            "auth/new_password.html", errors=errors, title="Choose your password", invitation=True
        ), 422
    return signed_in(session_token, found.user, "", second_factor=False)
