"""Setting up the second factor: the QR code (made here, as an inline data: URL) and the first
code that confirms it; the ten recovery codes are shown once."""

from __future__ import annotations

import segno
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from incident_tracker.services import mfa, users
from incident_tracker.services.errors import Conflict
from incident_tracker.web import runtime

bp = Blueprint("mfa", __name__, url_prefix="/account")


def _setup_page(error: str = "", status: int = 200) -> tuple[str, int]:
    with runtime.call() as c:
        user = users.get(c, current_user.user.id)
        try:
            enrolment = mfa.begin_enrolment(c, runtime.settings(), user)
        except Conflict:
            return render_template(
                "account/mfa.html",
                enrolled=True,
                left=mfa.recovery_codes_left(c, user.id or 0),
            ), status
    qr = segno.make(enrolment.uri, error="m").svg_data_uri(scale=5, border=2)
    required = runtime.settings().mfa_required(current_user.role)
    return render_template(
        "account/mfa.html",
        enrolled=False,
        qr=qr,
        secret=enrolment.secret,
        required=required,
        error=error,
    ), status


@bp.get("/mfa")
@login_required
def setup() -> tuple[str, int]:
    return _setup_page()


@bp.post("/mfa")
@login_required
def setup_post() -> tuple[str, int] | Response:
    try:
        with runtime.call() as c:
            user = users.get(c, current_user.user.id)
            outcome = mfa.confirm_enrolment(
                c, runtime.settings(), user, request.form.get("code", "")[:64]
            )
    except Conflict:
        return redirect(url_for("mfa.setup"))  # type: ignore[return-value]
    if not outcome.ok:
        return _setup_page(outcome.message, 429 if outcome.throttled else 422)
    return render_template("account/recovery_codes.html", codes=outcome.recovery_codes), 200
