"""Hand-offs between people: "My reviews", "Changes requested", "My duties", giving a duty to
someone, "Report a possible incident" with "My reports", the officer's confirmation of a reported
discovery date, and the organisation profile's review settings."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from incident_tracker.core.permissions import Action
from incident_tracker.db.models import Incident
from incident_tracker.services import (
    incidents,
    review_settings,
    staff_reports,
    work_queues,
)
from incident_tracker.services.errors import NotFound, ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("work", __name__)


def _date(raw: str) -> date | None:
    """A YYYY-MM-DD date, or None (blank or not a date: the service says which field)."""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _redirect(url: str) -> Response:
    return redirect(url)  # type: ignore[return-value]


@bp.get("/reviews")
@requires(Action.APPROVE_NOTICE)
def my_reviews() -> str:
    with runtime.call(read_only=True) as c:
        rows = work_queues.my_reviews(c)
    return render_template("work/queue.html", rows=rows, queue="reviews")


@bp.get("/changes-requested")
@requires(Action.EDIT_NOTICE)
def changes_requested() -> str:
    with runtime.call(read_only=True) as c:
        rows = work_queues.changes_requested(c)
    return render_template("work/queue.html", rows=rows, queue="changes")


@bp.get("/duties")
@requires(Action.VIEW_INCIDENT)
def my_duties() -> str:
    with runtime.call(read_only=True) as c:
        rows = work_queues.my_duties(c)
    return render_template("work/queue.html", rows=rows, queue="duties")


@bp.post("/incidents/<int:incident_id>/obligations/<int:obligation_id>/assignee")
@requires(Action.EDIT_INCIDENT)
def assign(incident_id: int, obligation_id: int) -> Response:
    back = url_for("sections.obligations", incident_id=incident_id) + f"#obligation-{obligation_id}"
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            person = work_queues.assign(
                c, incident, obligation_id, request.form.get("assignee", "")[:20]
            )
    except ValidationFailed as exc:
        flash(next(iter(exc.field_errors.values()), exc.message), "error")
        return _redirect(back)
    flash(
        f"Duty given to {person.display_name or person.email}."
        if person
        else "Duty no longer given to anyone."
    )
    return _redirect(back)


def _report_page(errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    return render_template(
        "work/report.html", errors=errors, form=request.form, kinds=staff_reports.KINDS
    ), status


@bp.get("/report")
@requires(Action.VIEW_HOME)
def report_form() -> tuple[str, int]:
    return _report_page({})


@bp.post("/report")
@requires(Action.VIEW_HOME)
def report() -> Response | tuple[str, int]:
    f = request.form
    raw_date = f.get("first_knew_on", "").strip()
    given = staff_reports.ReportInput(
        what_happened=f.get("what_happened", "")[:4001],
        first_knew_on=_date(raw_date),
        whose_data=f.get("whose_data", "")[:201],
        what_kind=f.get("what_kind", ""),
        number_affected=f.get("number_affected", "")[:20],
    )
    try:
        with runtime.call() as c:
            row = staff_reports.report(c, given)
            number = c.session.get(Incident, row.incident_id)
    except ValidationFailed as exc:
        return _report_page(exc.field_errors, 422)
    flash(
        f"Thank you. The privacy office has your report as {number.number if number else ''}; "
        "its status is below."
    )
    return _redirect(url_for("work.my_reports"))


@bp.get("/reports")
@requires(Action.VIEW_HOME)
def my_reports() -> str:
    with runtime.call(read_only=True) as c:
        rows = staff_reports.mine(c)
        confirm = staff_reports.to_confirm(c)
    return render_template("work/reports.html", rows=rows, confirm=confirm)


def _discovery_page(incident_id: int, errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
        row = staff_reports.for_incident(c, incident)
    if row is None:
        raise NotFound("this incident was not reported by a member of the workforce")
    return render_template(
        "work/discovery.html", i=incident, r=row, errors=errors, form=request.form
    ), status


@bp.get("/incidents/<int:incident_id>/discovery")
@requires(Action.EDIT_INCIDENT)
def discovery(incident_id: int) -> Response | tuple[str, int]:
    """The reported discovery date to confirm; an incident nobody reported has its date on the
    incident form, so the page sends the officer there. Each view is audited like the incident's."""
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
        row = staff_reports.for_incident(c, incident)
        if row is not None:
            incidents.record_view(c, incident, "discovery")
    if row is None:
        return _redirect(url_for("incidents.detail", incident_id=incident_id))
    return _discovery_page(incident_id, {})


@bp.post("/incidents/<int:incident_id>/discovery")
@requires(Action.EDIT_INCIDENT)
def confirm_discovery(incident_id: int) -> Response | tuple[str, int]:
    f = request.form
    raw = f.get("discovered_on", "").strip()
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            staff_reports.confirm_discovery(
                c,
                incident,
                _date(raw),
                f.get("privacy_office_justification", "")[:2001],
            )
    except ValidationFailed as exc:
        return _discovery_page(incident_id, exc.field_errors, 422)
    flash("Discovery date confirmed; the deadlines run from it.")
    return _redirect(url_for("incidents.detail", incident_id=incident_id))


@bp.post("/admin/organisation/review")
@requires(Action.EDIT_ORGANISATION)
def review_settings_save() -> Response:
    f = request.form
    try:
        with runtime.call() as c:
            review_settings.save(
                c,
                f.get("default_reviewer", "")[:20],
                f.get("approver_may_be_editor") == "1",
                runtime.settings().notice_approver_may_be_editor,
            )
    except ValidationFailed as exc:
        flash(next(iter(exc.field_errors.values()), exc.message), "error")
    else:
        flash("Notice review settings saved.")
    return _redirect(url_for("admin.organisation_view") + "#review-settings")
