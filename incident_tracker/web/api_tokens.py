"""Personal API tokens on the account page's own block: create (the secret shown on that response
only), list with last use, revoke. With a second factor, creating one asks for a fresh code."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from incident_tracker.core.parsing import whole_number
from incident_tracker.services import api_tokens, mfa, users
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime

bp = Blueprint("api_tokens", __name__)


def _page(
    errors: dict[str, str] | None = None, issued: str = "", status: int = 200
) -> tuple[str, int]:
    with runtime.call(read_only=True) as c:
        rows = api_tokens.list_own(c, current_user.user.id)
    page = render_template(
        "account/api_tokens.html",
        rows=rows,
        errors=errors or {},
        issued=issued,
        form=request.form if errors else {},
        needs_code=current_user.user.second_factor,
        now=runtime.now().replace(tzinfo=None),
        max_days=api_tokens.MAX_DAYS,
        default_days=api_tokens.DEFAULT_DAYS,
    )
    return page, status


@bp.get("/account/api-tokens")
@login_required
def token_page() -> tuple[str, int]:
    return _page()


@bp.post("/account/api-tokens")
@login_required
def token_create() -> tuple[str, int]:
    f = request.form
    errors: dict[str, str] = {}
    raw_days = f.get("expires", "").strip()
    days = whole_number(raw_days, 1, api_tokens.MAX_DAYS) if raw_days else None
    if raw_days and days is None:
        errors["expires"] = f"a token lasts 1 to {api_tokens.MAX_DAYS} days"
    try:
        with runtime.call() as c:
            if current_user.user.second_factor:
                user = users.get(c, current_user.user.id)
                outcome = mfa.verify(c, runtime.settings(), user, f.get("code", "")[:64])
                if not outcome.ok:
                    errors["code"] = outcome.message or "the code is not correct"
            if errors:
                raise ValidationFailed(errors)
            issued = api_tokens.create(
                c, current_user.user.id, f.get("scope", ""), days, f.get("name", "")[:120]
            )
    except ValidationFailed as exc:
        return _page({**errors, **exc.field_errors}, status=422)
    return _page(issued=issued.secret)


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def token_revoke(token_id: int) -> Response:
    with runtime.call() as c:
        api_tokens.revoke(c, token_id)
    flash("The token no longer works.")
    return redirect(url_for("api_tokens.token_page"))  # type: ignore[return-value]
