"""Administration: users, the organisation profile and the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from incident_tracker.core.parsing import whole_number
from incident_tracker.core.permissions import Action, Role
from incident_tracker.services import (
    account_links,
    account_mail,
    audit,
    mfa,
    organisation,
    review_settings,
    sso,
    users,
)
from incident_tracker.services.errors import DomainError, ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.account_links import send_link
from incident_tracker.web.security import requires

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_PAGE_SIZE = 50


def _user_list(**extra: object) -> str:
    with runtime.call() as c:
        everyone = users.list_users(c)
        enrolled = mfa.enrolled_users(c)
    return render_template(
        "admin/users.html",
        users=everyone,
        roles=list(Role),
        enrolled=enrolled,
        errors=extra.pop("errors", {}),
        form=extra.pop("form", {}),
        row_error=extra.pop("row_error", {}),
        **extra,
    )


@bp.get("/users")
@requires(Action.MANAGE_USERS)
def user_list() -> str:
    return _user_list()


@bp.post("/users/invite")
@requires(Action.MANAGE_USERS)
def invite() -> str | tuple[str, int]:
    form = {k: request.form.get(k, "") for k in ("email", "role", "display_name")}
    try:
        with runtime.call() as c:
            invited = users.invite(c, form["email"], form["role"], form["display_name"])
            token = account_links.issue(c, runtime.settings(), invited, account_links.INVITE)
    except ValidationFailed as exc:
        return _user_list(errors=exc.field_errors, form=form), 422
    except DomainError as exc:
        return _user_list(errors={"email": exc.message}, form=form), exc.status
    if send_link(invited.email, account_links.INVITE, token):
        flash(f"{invited.email} is invited: a one-time link (72 hours) is on its way to them.")
    else:
        flash(
            f"{invited.email} was created, but the invitation e-mail could not be sent. Check "
            "the mail settings, then use Send reset link."
        )
    return redirect(url_for("admin.user_list"))  # type: ignore[return-value]


@bp.post("/users/<int:user_id>/reset-link")
@requires(Action.MANAGE_USERS)
def send_reset_link(user_id: int) -> Response:
    """A reset link by e-mail (30 minutes); the admin never sees it or a password."""
    with runtime.call() as c:
        user = users.get(c, user_id)
        token = account_links.issue(c, runtime.settings(), user, account_links.RESET)
    if send_link(user.email, account_links.RESET, token):
        flash(f"A reset link is on its way to {user.email}.")
    else:
        flash(f"The reset link for {user.email} could not be sent. Check the mail settings.")
    return redirect(url_for("admin.user_list"))  # type: ignore[return-value]


@bp.post("/users/<int:user_id>/mfa-reset")
@requires(Action.MANAGE_USERS)
def reset_second_factor(user_id: int) -> Response | tuple[str, int]:
    try:
        with runtime.call() as c:
            user = mfa.reset(c, user_id)
    except DomainError as exc:
        return _user_list(errors={"user": exc.message}), exc.status
    settings = runtime.settings()
    subject, body = account_mail.second_factor_removed(runtime.actor().email or "an admin")
    told = account_mail.send(settings.mail, settings.production, user.email, subject, body)
    flash(
        f"The second factor of {user.email} is removed and their sessions ended; "
        + ("they are told by e-mail." if told else "the e-mail to tell them could not be sent.")
    )
    return redirect(url_for("admin.user_list"))  # type: ignore[return-value]


def _user_change(user_id: int, change: str) -> Response | tuple[str, int]:
    chosen = request.form.get("role", "")[:40]
    try:
        with runtime.call() as c:
            if change == "role":
                user = users.set_role(c, user_id, chosen)
                flash(f"{user.email} is now {user.role.replace('_', ' ')}; their sessions ended.")
            else:
                user = users.set_active(c, user_id, change == "enable")
                flash(f"{user.email} is {'enabled' if user.is_active else 'disabled'}.")
    except ValidationFailed as exc:
        # Beside the field of that user's row (the role chosen kept), not at the top of the page
        # nor beside the invitation form's own role field.
        field = "role" if change == "role" else "is_active"
        message = "; ".join(exc.field_errors.values()) or exc.message
        row = {"user_id": user_id, "field": field, "message": message, "role": chosen}
        return _user_list(row_error=row), exc.status
    except DomainError as exc:
        return _user_list(errors={"user": exc.message}), exc.status
    return redirect(url_for("admin.user_list"))  # type: ignore[return-value]


@bp.post("/users/<int:user_id>/disable")
@requires(Action.MANAGE_USERS)
def disable(user_id: int) -> Response | tuple[str, int]:
    return _user_change(user_id, "disable")


@bp.post("/users/<int:user_id>/enable")
@requires(Action.MANAGE_USERS)
def enable(user_id: int) -> Response | tuple[str, int]:
    return _user_change(user_id, "enable")


@bp.post("/users/<int:user_id>/emergency-local")
@requires(Action.MANAGE_USERS)
def emergency_local(user_id: int) -> Response | tuple[str, int]:
    """The admin accounts whose local password still works while single sign-on is on."""
    on = request.form.get("on") == "1"
    try:
        with runtime.call() as c:
            user = sso.set_emergency_local(c, user_id, on)
    except DomainError as exc:
        errors = {"user": "; ".join(getattr(exc, "field_errors", {}).values()) or exc.message}
        return _user_list(errors=errors), exc.status
    flash(f"{user.email} is {'now' if on else 'no longer'} an emergency local account.")
    return redirect(url_for("admin.user_list"))  # type: ignore[return-value]


@bp.post("/users/<int:user_id>/role")
@requires(Action.MANAGE_USERS)
def change_role(user_id: int) -> Response | tuple[str, int]:
    return _user_change(user_id, "role")


def _organisation_page(
    errors: dict[str, str],
    form: dict[str, object] | None = None,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> tuple[str, int]:
    """The profile page; `typed` keeps what was entered in a rejected add-facility/client form."""
    with runtime.call() as c:
        org = organisation.get(c)
        facilities, clients = organisation.facilities(c), organisation.clients(c)
        review = review_settings.current(c, runtime.settings().notice_approver_may_be_editor)
        reviewers = review_settings.reviewers(c)
    values = form if form is not None else organisation.snapshot(org)
    return render_template(
        "admin/organisation.html",
        org=values,
        facilities=facilities,
        clients=clients,
        errors=errors,
        ce_types=organisation.CE_TYPES,
        licence_types=organisation.LICENCE_TYPES,
        typed=typed or {},
        review=review,
        reviewers=reviewers,
    ), status


@bp.get("/organisation")
@requires(Action.EDIT_ORGANISATION)
def organisation_view() -> tuple[str, int]:
    return _organisation_page({})


@bp.post("/organisation")
@requires(Action.EDIT_ORGANISATION)
def organisation_save() -> Response | tuple[str, int]:
    f = request.form
    data = organisation.ProfileInput(
        legal_name=f.get("legal_name", ""),
        address=f.get("address", ""),
        time_zone=f.get("time_zone", ""),
        is_covered_entity="is_covered_entity" in f,
        covered_entity_type=f.get("covered_entity_type") or None,
        is_business_associate="is_business_associate" in f,
        nydfs_covered_entity="nydfs_covered_entity" in f,
        toll_free_number=f.get("toll_free_number", ""),
        contact_email=f.get("contact_email", ""),
        website=f.get("website", ""),
        postal_address=f.get("postal_address", ""),
        internal_target_days=f.get("internal_target_days", ""),
    )
    try:
        with runtime.call() as c:
            organisation.update(c, data)
    except ValidationFailed as exc:
        return _organisation_page(exc.field_errors, data.__dict__, 422)
    flash("Organisation profile saved.")
    return redirect(url_for("admin.organisation_view"))  # type: ignore[return-value]


@bp.post("/organisation/facilities")
@requires(Action.EDIT_ORGANISATION)
def facility_add() -> Response | tuple[str, int]:
    try:
        with runtime.call() as c:
            organisation.add_facility(
                c, request.form.get("facility_name", ""), request.form.get("licence_type", "")
            )
    except ValidationFailed as exc:
        return _organisation_page(exc.field_errors, status=422, typed=request.form.to_dict())
    return redirect(url_for("admin.organisation_view"))  # type: ignore[return-value]


@bp.post("/organisation/facilities/<int:facility_id>/delete")
@requires(Action.EDIT_ORGANISATION)
def facility_delete(facility_id: int) -> Response | tuple[str, int]:
    try:
        with runtime.call() as c:
            organisation.remove_facility(c, facility_id)
    except ValidationFailed as exc:  # still used by incidents
        return _organisation_page(exc.field_errors, status=422)
    return redirect(url_for("admin.organisation_view"))  # type: ignore[return-value]


@bp.post("/organisation/clients")
@requires(Action.EDIT_ORGANISATION)
def client_add() -> Response | tuple[str, int]:
    f = request.form
    try:
        with runtime.call() as c:
            organisation.add_client(
                c,
                f.get("client_name", ""),
                f.get("notice_window_days", ""),
                "notice_window_business_days" in f,
                f.get("agreement_reference", ""),
            )
    except ValidationFailed as exc:
        return _organisation_page(exc.field_errors, status=422, typed=request.form.to_dict())
    return redirect(url_for("admin.organisation_view"))  # type: ignore[return-value]


@bp.post("/organisation/clients/<int:client_id>/delete")
@requires(Action.EDIT_ORGANISATION)
def client_delete(client_id: int) -> Response | tuple[str, int]:
    try:
        with runtime.call() as c:
            organisation.remove_client(c, client_id)
    except ValidationFailed as exc:  # still used by incidents
        return _organisation_page(exc.field_errors, status=422)
    return redirect(url_for("admin.organisation_view"))  # type: ignore[return-value]


def _day(value: str, end: bool) -> datetime | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


@bp.get("/audit")
@requires(Action.VIEW_AUDIT)
def audit_trail() -> str:
    """Filter by action, actor, object and UTC date range; newest first, paginated."""
    args = {
        k: request.args.get(k, "").strip()[:100]
        for k in ("action", "actor", "object_type", "object_id", "since", "until")
    }
    page = min(whole_number(request.args.get("page")) or 1, 100_000)
    filters = audit.AuditFilter(
        args["action"],
        args["actor"],
        args["object_type"],
        args["object_id"],
        _day(args["since"], False),
        _day(args["until"], True),
    )
    with runtime.call() as c:
        rows, total = audit.search(c.session, filters, page, AUDIT_PAGE_SIZE)
    pages = max(1, -(-total // AUDIT_PAGE_SIZE))
    return render_template(
        "admin/audit.html", rows=rows, args=args, page=page, pages=pages, total=total
    )
