"""Break-glass pages (services/break_glass.py): the form that asks a reason, and the grant.

The e-mails to the owner and the privacy officers leave after the grant commits (the grant
stands even if the mail server is down; the in-app notifications are in the same transaction).
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from incident_tracker.core.permissions import Action
from incident_tracker.services import account_mail, break_glass
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.account_links import base_url
from incident_tracker.web.security import requires

bp = Blueprint("break_glass", __name__, url_prefix="/incidents")


def _form(target: break_glass.Target, reason: str, errors: dict[str, str]) -> str:
    return render_template(
        "incidents/break_glass.html",
        target=target,
        reason=reason,
        errors=errors,
        hours=int(break_glass.DURATION.total_seconds() // 3600),
    )


@bp.get("/<int:incident_id>/break-glass")
@requires(Action.BREAK_GLASS)
def form(incident_id: int) -> str | Response:
    with runtime.call(read_only=True) as c:
        target = break_glass.target(c, incident_id)
    if target.already_visible:
        return redirect(url_for("incidents.detail", incident_id=incident_id))  # type: ignore[return-value]
    return _form(target, "", {})


@bp.post("/<int:incident_id>/break-glass")
@requires(Action.BREAK_GLASS)
def grant(incident_id: int) -> tuple[str, int] | Response:
    reason = request.form.get("reason", "")[: break_glass.MAX_REASON * 2]
    try:
        with runtime.call() as c:
            opened = break_glass.open_incident(c, incident_id, reason)
    except ValidationFailed as exc:
        with runtime.call(read_only=True) as c:
            target = break_glass.target(c, incident_id)
        return _form(target, reason, exc.field_errors), 422
    by = runtime.actor().email or "someone"
    link = base_url().rstrip("/") + url_for("incidents.detail", incident_id=incident_id)
    subject, body = break_glass.mail(opened.number, by, link, opened.expires_at)
    settings = runtime.settings()
    sent = []
    for user_id, address in opened.told:
        message_id = account_mail.sent_id(
            settings.mail, settings.production, address, subject, body
        )
        if message_id is not None:
            sent.append((user_id, address, subject, body + account_mail.FOOTER, message_id))
    if sent:
        with runtime.call() as c:
            break_glass.record_mail(c, sent)
    flash(
        f"Break-glass: you can open {opened.number} until "
        f"{opened.expires_at:%Y-%m-%d %H:%M} UTC. Every view is audited with your reason; "
        f"{len(opened.told)} {'person was' if len(opened.told) == 1 else 'people were'} told "
        f"({len(sent)} by e-mail)."
    )
    return redirect(url_for("incidents.detail", incident_id=incident_id))  # type: ignore[return-value]
