"""Recording notices sent, returned mail and HHS addenda. Thin: parse, call
services.sending, render or redirect."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from incident_tracker.core.parsing import MAX_COUNT, record_id, whole_number
from incident_tracker.core.permissions import Action
from incident_tracker.services import (
    discharges,
    evidence,
    form_tokens,
    incidents,
    notice_review,
    sending,
    sent_page,
)
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.services.register import local_today
from incident_tracker.web import runtime
from incident_tracker.web.incidents import _detail_with_errors, already_saved
from incident_tracker.web.security import requires

bp = Blueprint("sending", __name__, url_prefix="/incidents")


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _count(raw: str | None) -> int | None:
    return whole_number((raw or "").replace(",", ""), 0, MAX_COUNT)


def _form_page(
    incident_id: int, obligation_id: int, form: dict[str, Any], errors: dict[str, str], status: int
) -> tuple[str, int]:
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        record = sending.obligation_of(c, incident, obligation_id)
        history = sent_page.for_obligation(c, incident, obligation_id)
        approved = notice_review.approved_version_for(c, incident, obligation_id)
        meets = discharges.for_letter(c, incident, record, approved)
        page = render_template(
            "sending/form.html",
            incident=incident,
            record=record,
            history=history,
            approved=approved,
            meets=meets,
            methods=sending.METHOD_LABELS,
            form=form,
            errors=errors,
            today=local_today(c),
            form_token=form_tokens.usable(form.get("form_token")) or form_tokens.new_token(),
        )
    return page, status


@bp.get("/<int:incident_id>/obligations/<int:obligation_id>/sent")
@requires(Action.VIEW_INCIDENT)
def sent_form(incident_id: int, obligation_id: int) -> tuple[str, int]:
    with runtime.call() as c:  # the access check and the audit row of the view
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        sending.obligation_of(c, incident, obligation_id)  # an unknown duty is a 404, unaudited
        incidents.record_view(c, incident, f"sent form, obligation {obligation_id}")
    return _form_page(incident_id, obligation_id, {}, {}, 200)


@bp.post("/<int:incident_id>/obligations/<int:obligation_id>/sent")
@requires(Action.RECORD_SENT)
def record_sent(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    f = request.form
    sent_on, recipients = _date(f.get("sent_on")), f.get("recipients", "").strip()
    errors = {}
    if sent_on is None:
        errors["sent_on"] = "enter the date it was sent"
    if recipients and _count(recipients) is None:
        errors["recipients"] = f"enter a whole number (at most {MAX_COUNT:,})"
    upload = request.files.get("proof")
    proof = None
    if upload is not None and upload.filename:
        content = upload.read(evidence.MAX_ATTACHMENT_BYTES + 1)
        storage = runtime.settings().attachment_storage
        proof = sending.Proof(upload.filename, content, storage)
    version = f.get("notice_version_id", "")
    try:
        if errors:
            raise ValidationFailed(errors)
        assert sent_on is not None
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.RECORD_SENT)

            def save() -> tuple[int, int]:
                row = sending.record_sent(
                    c,
                    incident,
                    obligation_id,
                    sending.SentInput(
                        sent_on,
                        f.get("method", ""),
                        _count(recipients),
                        f.get("reference", ""),
                        f.get("note", ""),
                        proof,
                        record_id(version),
                        order_confirmed=f.get("order_confirmed") == "yes",
                        order_reason=f.get("order_reason", ""),
                        stale_override=f.get("stale_override") == "yes",
                        stale_reason=f.get("stale_reason", ""),
                    ),
                )
                return incident_id, row.id or 0

            token = form_tokens.usable(f.get("form_token"))
            form_tokens.once(c, token, form_tokens.RECORD_SENT, save)
    except form_tokens.AlreadySaved as saved:
        return already_saved(saved)
    except ValidationFailed as exc:
        return _form_page(incident_id, obligation_id, dict(f), exc.field_errors, 422)
    target = url_for("sections.notices", incident_id=incident_id) + "#sent"
    return redirect(target)  # type: ignore[return-value]


@bp.post("/<int:incident_id>/returned-mail")
@requires(Action.RECORD_SENT)
def returned_mail(incident_id: int) -> Response | tuple[str, int]:
    f = request.form
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.RECORD_SENT)
            sending.record_returned_mail(
                c,
                incident,
                _date(f.get("returned_on")),
                _count(f.get("returned_count")),
                f.get("returned_note", ""),
            )
    except ValidationFailed as exc:
        names = {"returned_on": "returned_on", "count": "returned_count", "note": "returned_note"}
        return _detail_with_errors(
            incident_id, {names.get(k, k): v for k, v in exc.field_errors.items()}, 422
        )
    return redirect(url_for("sections.notices", incident_id=incident_id) + "#returned")  # type: ignore[return-value]


@bp.post("/<int:incident_id>/hhs-addenda")
@requires(Action.RECORD_SENT)
def hhs_addendum(incident_id: int) -> Response | tuple[str, int]:
    f = request.form
    obligation = f.get("addendum_obligation", "")
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.RECORD_SENT)
            sending.record_hhs_addendum(
                c,
                incident,
                record_id(obligation) or 0,
                _date(f.get("addendum_on")),
                _count(f.get("addendum_count")),
                f.get("addendum_reference", ""),
                f.get("addendum_note", ""),
            )
    except ValidationFailed as exc:
        return _detail_with_errors(
            incident_id, {f"addendum_{k}": v for k, v in exc.field_errors.items()}, 422
        )
    return redirect(url_for("sections.notices", incident_id=incident_id) + "#addenda")  # type: ignore[return-value]
