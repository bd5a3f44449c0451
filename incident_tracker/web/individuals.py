"""The affected-individual list and the merged letters. The list is PHI: it is
posted in a request body, shown only as counts and line numbers, never put in a URL."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, send_file, url_for

from incident_tracker.core.individuals import COLUMNS, REQUIRED_COLUMNS, ListCheck
from incident_tracker.core.parsing import record_id
from incident_tracker.core.permissions import Action
from incident_tracker.services import incidents, individuals, letters
from incident_tracker.services.errors import Conflict, ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import requires

bp = Blueprint("individuals", __name__, url_prefix="/incidents")
SHOWN_ERRORS = 500


def _storage() -> Any:
    return runtime.settings().letter_storage


def worker() -> letters.LetterWorker:
    return letters.LetterWorker(
        runtime.engine(), runtime.settings().audit_key, _storage(), runtime.clock().now
    )


def _page(
    incident_id: int,
    check: ListCheck | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        page = render_template(
            "individuals/page.html",
            incident=incident,
            s=individuals.summary(c, incident),
            run=letters.latest_run(c, incident),
            check=check,
            shown_errors=check.errors[:SHOWN_ERRORS] if check else (),
            errors=errors or {},
            columns=COLUMNS,
            required=REQUIRED_COLUMNS,
            max_mb=individuals.MAX_CSV_BYTES // 2**20,
        )
    return page, status


def _here(incident_id: int, anchor: str = "") -> Response:
    target = url_for("individuals.page", incident_id=incident_id)
    return redirect(target + (f"#{anchor}" if anchor else ""))  # type: ignore[return-value]


@bp.get("/<int:incident_id>/individuals")
@requires(Action.VIEW_INCIDENT)
def page(incident_id: int) -> tuple[str, int]:
    with runtime.call() as c:  # the access check and the audit row of the view
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        incidents.record_view(c, incident, "affected individuals")
    return _page(incident_id)


@bp.post("/<int:incident_id>/individuals")
@requires(Action.MANAGE_INDIVIDUALS)
def upload(incident_id: int) -> tuple[str, int]:
    sent = request.files.get("file")
    content = sent.read(individuals.MAX_CSV_BYTES + 1) if sent else b""
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.MANAGE_INDIVIDUALS)
            result = individuals.upload(c, incident, content)
    except ValidationFailed as exc:
        return _page(incident_id, errors=exc.field_errors, status=422)
    return _page(incident_id, result.check, status=200 if result.check.ok else 422)


@bp.post("/<int:incident_id>/individuals/confirm")
@requires(Action.MANAGE_INDIVIDUALS)
def confirm(incident_id: int) -> Response | tuple[str, int]:
    raw = request.form.get("list_id", "")
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.MANAGE_INDIVIDUALS)
            individuals.confirm(c, incident, record_id(raw) or 0)
    except Conflict as exc:
        return _page(incident_id, errors={"confirm": exc.message}, status=409)
    return _here(incident_id)


@bp.post("/<int:incident_id>/individuals/discard")
@requires(Action.MANAGE_INDIVIDUALS)
def discard(incident_id: int) -> Response:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.MANAGE_INDIVIDUALS)
        individuals.discard(c, incident)
    return _here(incident_id)


@bp.post("/<int:incident_id>/letters")
@requires(Action.MANAGE_INDIVIDUALS)
def start_letters(incident_id: int) -> Response | tuple[str, int]:
    """Queue the run, then make its first chunk in this request: a short list is done at once,
    a long one carries on in the scheduler process while the page shows its progress."""
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.MANAGE_INDIVIDUALS)
            run = letters.start(c, incident)
    except (ValidationFailed, Conflict) as exc:
        errors = getattr(exc, "field_errors", {"letters": exc.message})
        return _page(incident_id, errors={"letters": "; ".join(errors.values())}, status=exc.status)
    worker().step(run.id)
    return _here(incident_id, "letters")


@bp.get("/<int:incident_id>/letters/progress")
@requires(Action.VIEW_INCIDENT)
def letters_progress(incident_id: int) -> tuple[dict[str, Any], int]:
    """Polled by static/app.js: counts only."""
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        run = letters.latest_run(c, incident)
    if run is None:
        return {"status": "none", "done": 0, "total": 0}, 200
    return {"status": run.status, "done": run.done, "total": run.total}, 200


def _download(incident_id: int, fmt: str) -> Response | tuple[str, int]:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        found = letters.file_for(c, incident, fmt, _storage())
    if found.path is None:
        return render_template("errors/error.html", code=409, message=found.problem), 409
    response = send_file(
        found.path,
        mimetype=letters.FORMATS[fmt],
        as_attachment=True,
        download_name=found.name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/<int:incident_id>/letters.pdf")
@requires(Action.VIEW_INCIDENT)
def letters_pdf(incident_id: int) -> Response | tuple[str, int]:
    return _download(incident_id, "pdf")


@bp.get("/<int:incident_id>/letters.docx")
@requires(Action.VIEW_INCIDENT)
def letters_docx(incident_id: int) -> Response | tuple[str, int]:
    return _download(incident_id, "docx")
