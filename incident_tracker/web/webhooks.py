"""Admin: webhook endpoints (register, deactivate) and the delivery log."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from incident_tracker.core.permissions import Action
from incident_tracker.services import webhooks
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _page(
    errors: dict[str, str] | None = None, secret: str = "", status: int = 200
) -> tuple[str, int]:
    with runtime.call(read_only=True) as c:
        endpoints = webhooks.endpoints(c)
        log = webhooks.log(c)
    names = {e.id: e.url for e in endpoints}
    page = render_template(
        "admin/webhooks.html",
        endpoints=endpoints,
        log=log,
        names=names,
        events=webhooks.EVENTS,
        errors=errors or {},
        form=request.form if errors else {},
        chosen=request.form.getlist("events") if errors else [],
        secret=secret,
    )
    return page, status


@bp.get("")
@requires(Action.MANAGE_USERS)
def webhook_page() -> tuple[str, int]:
    return _page()


@bp.post("")
@requires(Action.MANAGE_USERS)
def webhook_add() -> tuple[str, int]:
    settings = runtime.settings()
    try:
        with runtime.call() as c:
            made = webhooks.register(
                c,
                request.form.get("url", "")[:600],
                request.form.getlist("events"),
                settings.production,
                settings.mfa_encryption_key,
            )
    except ValidationFailed as exc:
        return _page(exc.field_errors, status=422)
    return _page(secret=made.secret)


@bp.post("/<int:endpoint_id>/deactivate")
@requires(Action.MANAGE_USERS)
def webhook_deactivate(endpoint_id: int) -> Response:
    with runtime.call() as c:
        webhooks.deactivate(c, endpoint_id)
    flash("The endpoint gets no more deliveries.")
    return redirect(url_for("webhooks.webhook_page"))  # type: ignore[return-value]
