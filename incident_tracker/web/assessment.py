"""The guided risk assessment: one generic view for every step, the signed record (page and PDF),
reopening, discarding a draft and comments. Thin: parse the form, call the service, render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from incident_tracker.core import risk, wizard
from incident_tracker.core.assessment.questions import Kind, Step
from incident_tracker.core.jurisdictions.registry import assessment_steps
from incident_tracker.core.parsing import whole_number
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import Incident
from incident_tracker.documents import html_to_pdf
from incident_tracker.services import assessments, incidents
from incident_tracker.services.assessments import StepNotOpen
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("assessment", __name__, url_prefix="/incidents")
SIGN = assessments.SIGN
# The jurisdictions' own steps (their determinations): each shows what signing would set.
STATE_STEPS = frozenset(s.key for s in assessment_steps())


@bp.app_context_processor
def _summary() -> dict[str, Any]:
    """`assessment_summary(incident)` for the incident page's Risk assessment section."""

    def summary(incident: Incident) -> assessments.Summary | None:
        if not current_user.is_authenticated:
            return None
        try:
            with runtime.call(read_only=True) as c:
                return assessments.summary(c, incident)
        except SQLAlchemyError:  # never let the section break the incident page
            return None

    return {"assessment_summary": summary}


def _submitted(step: Step) -> dict[str, object]:
    form = request.form
    return {
        q.key: form.getlist(q.key)[:50] if q.kind is Kind.MULTI else form.get(q.key, "")[:20_000]
        for q in step.questions
    }


def _step_url(incident_id: int, key: str) -> str:
    return url_for("assessment.step", incident_id=incident_id, step=key)


def _render(
    incident_id: int,
    key: str,
    submitted: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int] | Response:
    step = wizard.find(key)
    if step is None:
        abort(404)
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.ASSESS_RISK)
        w = assessments.walk(c, incident)
        if not w.reachable(key) and submitted is None:
            if key != w.resume:
                flash("That step is not open yet (or does not apply): continue from here.")
            return redirect(_step_url(incident_id, w.resume))  # type: ignore[return-value]
        values = wizard.with_defaults(step, {**w.answers, **(submitted or {})}, w.situation)
        preview = (
            assessments.preview(c, incident, values)
            if key in ("conclusion", SIGN) or step.key in STATE_STEPS
            else None
        )
        problems = wizard.validate_walk(w.answers, w.situation) if key == SIGN else []
    done = {s.key for s in w.steps if s.key != SIGN and w.reachable(s.key)}
    return render_template(
        [f"assessment/{key}.html", "assessment/step.html"],
        i=incident,
        w=w,
        st=step,
        questions=wizard.asked(step, values, w.situation),
        values=values,
        errors=errors or {},
        reachable=done | ({SIGN} if w.reachable(SIGN) else set()),
        back=wizard.previous_step(key, values, w.situation),
        preview=preview,
        problems=problems,
        outcome_labels=risk.OUTCOME_LABELS,
        rating_labels=risk.RATINGS,
    ), status


@bp.get("/<int:incident_id>/assessment/<step>")
@requires(Action.ASSESS_RISK)
def step(incident_id: int, step: str) -> tuple[str, int] | Response:
    if wizard.find(step) is None:
        abort(404)
    with runtime.call() as c:  # the access check and the audit row of the view
        incident = incidents.load_for(c, incident_id, Action.ASSESS_RISK)
        assessments.record_view(c, incident, None, f"step {step}")
    return _render(incident_id, step)


@bp.post("/<int:incident_id>/assessment/<step>")
@requires(Action.ASSESS_RISK)
def save(incident_id: int, step: str) -> tuple[str, int] | Response:
    found = wizard.find(step)
    if found is None:
        abort(404)
    submitted = _submitted(found)
    try:
        with runtime.call() as c:
            if step == SIGN:
                incident = incidents.load_for(c, incident_id, Action.SIGN_ASSESSMENT)
                attest = submitted.get("attest")
                record = assessments.sign(
                    c,
                    incident,
                    str(submitted.get("signer_name", "")),
                    isinstance(attest, list) and "yes" in attest,
                )
            else:
                incident = incidents.load_for(c, incident_id, Action.ASSESS_RISK)
                following = assessments.save_step(c, incident, step, submitted)
    except ValidationFailed as exc:
        return _render(incident_id, step, submitted, exc.field_errors, 422)
    except StepNotOpen as exc:
        flash("Answer the earlier steps first.")
        return redirect(_step_url(incident_id, exc.resume))  # type: ignore[return-value]
    if step == SIGN:
        flash(
            f"Risk assessment version {record.version} signed; the incident's facts are set and "
            "its obligations recomputed."
        )
        return redirect(  # type: ignore[return-value]
            url_for("assessment.record", incident_id=incident_id, version=record.version)
        )
    return redirect(_step_url(incident_id, following))  # type: ignore[return-value]


@bp.post("/<int:incident_id>/assessments/reopen")
@requires(Action.ASSESS_RISK)
def reopen(incident_id: int) -> Response:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.ASSESS_RISK)
        assessments.reopen(c, incident)
    flash("Reopened: the last signed answers are filled in. Signing creates a new version.")
    return redirect(_step_url(incident_id, "approach"))  # type: ignore[return-value]


@bp.post("/<int:incident_id>/assessments/discard")
@requires(Action.ASSESS_RISK)
def discard(incident_id: int) -> Response:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.ASSESS_RISK)
        assessments.discard(c, incident)
    flash("The draft assessment was discarded; signed versions are unchanged.")
    return redirect(url_for("incidents.detail", incident_id=incident_id))  # type: ignore[return-value]


def _page(incident_id: int, version: int | None, form: str) -> assessments.RecordPage | None:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        if version is None:
            page = assessments.draft_page(c, incident)
        else:
            page = assessments.record_page(c, incident, version)
        assessments.record_view(c, incident, version, form)
        return page


def _record_page(
    incident_id: int,
    version: int | None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    page = _page(incident_id, version, "page")
    if page is None:
        with runtime.call(read_only=True) as c:
            incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
    else:
        incident = page.incident
    return render_template(
        "assessment/record.html",
        r=page,
        i=incident,
        version=version,
        errors=errors or {},
        body=request.form.get("body", "") if errors else "",
    ), status


@bp.get("/<int:incident_id>/assessments/draft")
@requires(Action.VIEW_INCIDENT)
def draft(incident_id: int) -> tuple[str, int]:
    return _record_page(incident_id, None)


@bp.get("/<int:incident_id>/assessments/<int:version>")
@requires(Action.VIEW_INCIDENT)
def record(incident_id: int, version: int) -> tuple[str, int]:
    return _record_page(incident_id, version)


@bp.get("/<int:incident_id>/assessments/<int:version>.pdf")
@requires(Action.VIEW_INCIDENT)
def record_pdf(incident_id: int, version: int) -> Response:
    page = _page(incident_id, version, "pdf")
    assert page is not None
    with runtime.call(read_only=True) as c:
        generated = c.now
    html = render_template("assessment/record_pdf.html", r=page, i=page.incident, at=generated)
    name = f"{page.incident.number}-risk-assessment-v{version}.pdf"
    return Response(
        html_to_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@bp.post("/<int:incident_id>/assessments/comments")
@requires(Action.COMMENT)
def comment(incident_id: int) -> Response | tuple[str, int]:
    version = whole_number(request.form.get("version"))
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.COMMENT)
            assessments.comment(c, incident, version, request.form.get("body", "")[:20_000])
    except ValidationFailed as exc:
        return _record_page(incident_id, version, exc.field_errors, 422)
    target = (
        url_for("assessment.draft", incident_id=incident_id)
        if version is None
        else url_for("assessment.record", incident_id=incident_id, version=version)
    )
    return redirect(target + "#comments")  # type: ignore[return-value]
