"""Setting up the second factor: the QR code (made here, as an inline data: URL) and the first
code that confirms it; the ten recovery codes are shown once.

The seed not yet confirmed waits in the visitor's signed session cookie, encrypted with the MFA
key (services/mfa_secrets.py): a reload shows the same QR code, so a code from an app that
already scanned it still works, and showing the page writes nothing to the database. A new
sign-in starts a new seed."""

from __future__ import annotations

import segno
from flask import Blueprint, Response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from incident_tracker.services import mfa, users
from incident_tracker.services.errors import Conflict
from incident_tracker.services.mfa_secrets import SeedUnreadable, decrypt_seed, encrypt_seed
from incident_tracker.web import runtime

bp = Blueprint("mfa", __name__, url_prefix="/account")
PENDING_SEED = "mfa_pending_seed"


def _kept_seed() -> str | None:
    stored = session.get(PENDING_SEED)
    if not isinstance(stored, str):
        return None
    try:
        return decrypt_seed(runtime.settings().mfa_encryption_key, stored)
    except SeedUnreadable:  # the key changed since: a new seed is made
        return None


def _pending_seed() -> str:
    """This session's seed not yet confirmed, made on the first visit."""
    secret = _kept_seed()
    if secret is None:
        secret = mfa.new_seed()
        session[PENDING_SEED] = encrypt_seed(runtime.settings().mfa_encryption_key, secret)
    return secret


def _setup_page(error: str = "", status: int = 200) -> tuple[str, int]:
    with runtime.call() as c:
        user = users.get(c, current_user.user.id)
        if mfa.is_enrolled(c, user.id or 0):
            session.pop(PENDING_SEED, None)
            return render_template(
                "account/mfa.html",
                enrolled=True,
                left=mfa.recovery_codes_left(c, user.id or 0),
            ), status
    enrolment = mfa.enrolment(user, _pending_seed())
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
    secret = _kept_seed()
    if secret is None:  # no page shown in this session yet: show one
        return redirect(url_for("mfa.setup"))  # type: ignore[return-value]
    try:
        with runtime.call() as c:
            user = users.get(c, current_user.user.id)
            outcome = mfa.confirm_enrolment(
                c, runtime.settings(), user, secret, request.form.get("code", "")[:64]
            )
    except Conflict:
        return redirect(url_for("mfa.setup"))  # type: ignore[return-value]
    if not outcome.ok:
        return _setup_page(outcome.message, 429 if outcome.throttled else 422)
    session.pop(PENDING_SEED, None)
    return render_template("account/recovery_codes.html", codes=outcome.recovery_codes), 200
