"""Proof for auditors and regulators: the annual small-breach log, evidence files, exports, the
accounting of disclosures and the dashboard (services/annual_log.py, evidence_files.py,
exports.py, disclosures.py, dashboard.py). Views parse, call a service, render."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from incident_tracker import signing
from incident_tracker.core.incident_types import INCIDENT_TYPES
from incident_tracker.core.permissions import Action
from incident_tracker.documents.pdf import html_to_pdf
from incident_tracker.services import (
    annual_log,
    audit,
    dashboard,
    disclosures,
    evidence_files,
    exports,
    incidents,
    register,
)
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import refuse, requires

bp = Blueprint("proof", __name__)


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _ticked(name: str) -> bool:
    return (request.values.get(name) or "") in ("1", "on", "yes", "true")


@bp.app_template_global()
def evidence_public_key() -> str:
    """The organisation's evidence-signing public key and its fingerprint, for the admin page."""
    try:
        key = signing.public_key_text(signing.private_key(runtime.settings().evidence_secret()))
    except signing.SigningKeyMissing:
        return "not configured: set EVIDENCE_SIGNING_KEY"
    return f"{key} (fingerprint {signing.fingerprint(key)})"


# -- the annual small-breach log ---------------------------------------------------------------


@bp.get("/annual-log")
@requires(Action.VIEW_INCIDENT)
def annual_log_index() -> tuple[str, int]:
    """The year asked for (the form's ?year=), else last year's log: the one being filed in the
    first 60 days of a year."""
    today = runtime.local_today()
    try:
        year = annual_log.check_year(request.args.get("year") or today.year - 1, today)
    except ValidationFailed as exc:
        return _log_page(today.year - 1, exc.field_errors, {}, 422)
    return _log_page(year, {}, {}, 200)


def _log_page(
    year: int, errors: dict[str, str], form: dict[str, str], status: int
) -> tuple[str, int]:
    annual_log.check_year(year, runtime.local_today())
    with runtime.call(read_only=True) as c:
        log = annual_log.entries(c, year)
    due = date(year, 12, 31) + timedelta(days=annual_log.DAYS_AFTER_YEAR_END)
    page = render_template(
        "proof/annual_log.html",
        year=year,
        log=log,
        strict_due=due,
        errors=errors,
        form=form,
        today=runtime.local_today(),
    )
    return page, status


@bp.get("/annual-log/<int:year>")
@requires(Action.VIEW_INCIDENT)
def annual_log_page(year: int) -> tuple[str, int]:
    return _log_page(year, {}, {}, 200)


@bp.get("/annual-log/<int:year>.csv")
@requires(Action.VIEW_INCIDENT)
def annual_log_csv(year: int) -> Response:
    annual_log.check_year(year, runtime.local_today())
    with runtime.call() as c:
        text = annual_log.to_csv(annual_log.entries(c, year))
        c.audit("annual_log.export", new={"year": year})
    return _csv(text, f"hhs-annual-log-{year}.csv")


@bp.post("/annual-log/<int:year>/incidents/<int:incident_id>/obligations/<int:obligation_id>")
@requires(Action.RECORD_SENT)
def annual_log_submit(
    year: int, incident_id: int, obligation_id: int
) -> Response | tuple[str, int]:
    form = {k: request.form.get(k, "").strip()[:200] for k in ("sent_on", "confirmation")}
    errors: dict[str, str] = {}
    sent_on = None
    if form["sent_on"]:
        try:
            sent_on = date.fromisoformat(form["sent_on"])
        except ValueError:
            errors["sent_on"] = "give a date as YYYY-MM-DD"
    try:
        if errors:
            raise ValidationFailed(errors)
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.RECORD_SENT)
            annual_log.record_submission(c, incident, obligation_id, sent_on, form["confirmation"])
    except ValidationFailed as exc:
        keyed = {f"{obligation_id}-{k}": v for k, v in exc.field_errors.items()}
        return _log_page(year, keyed, {f"{obligation_id}-{k}": v for k, v in form.items()}, 422)
    flash(
        "Submission recorded: the annual-log duty (F5) is done and the clocks that run from "
        "the HHS notice have moved."
    )
    return redirect(url_for("proof.annual_log_page", year=year))  # type: ignore[return-value]


# -- evidence files --------------------------------------------------------------------------------


def _evidence_page(incident_id: int, status: int = 200) -> tuple[str, int]:
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        latest = evidence_files.latest(c, incident)
    page = render_template(
        "proof/evidence.html",
        incident=incident,
        latest=latest,
        may_export=evidence_files.may_export(current_user.role),
    )
    return page, status


@bp.get("/incidents/<int:incident_id>/evidence-file")
@requires(Action.VIEW_INCIDENT)
def evidence_page(incident_id: int) -> tuple[str, int]:
    return _evidence_page(incident_id)


@bp.post("/incidents/<int:incident_id>/evidence-file")
@requires(Action.VIEW_INCIDENT)
def evidence_request(incident_id: int) -> Response:
    _may_export()
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        evidence_files.request(
            c, incident, _ticked("include_privileged"), runtime.settings().evidence_secret()
        )
    flash(
        "The evidence file is being built in the background; refresh this page to see its progress."
    )
    return redirect(url_for("proof.evidence_page", incident_id=incident_id))  # type: ignore[return-value]


def _may_export() -> None:
    """Only privacy officers and admins build or download evidence files: refused before any
    row is read, audited with the method and path like every other refusal."""
    if not evidence_files.may_export(current_user.role):
        refuse("export_evidence")


@bp.get("/incidents/<int:incident_id>/evidence-file/<int:file_id>.zip")
@requires(Action.VIEW_INCIDENT)
def evidence_download(incident_id: int, file_id: int) -> Response:
    _may_export()
    settings = runtime.settings()
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        name, data = evidence_files.download(
            c, incident, file_id, evidence_files.storage_of(settings)
        )
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- exports ---------------------------------------------------------------------------------------


def _audit_filters() -> tuple[audit.AuditFilter, str, dict[str, str]]:
    args = {
        k: request.args.get(k, "").strip()[:100]
        for k in ("action", "actor", "incident", "since", "until")
    }
    errors: dict[str, str] = {}

    def day(name: str, end: bool) -> datetime | None:
        if not args[name]:
            return None
        try:
            d = date.fromisoformat(args[name])
        except ValueError:
            errors[name] = "give a date as YYYY-MM-DD"
            return None
        return datetime.combine(d, time.max if end else time.min, tzinfo=UTC)

    filters = audit.AuditFilter(
        args["action"], args["actor"], "", "", day("since", False), day("until", True)
    )
    if errors:
        raise ValidationFailed(errors)
    return filters, args["incident"], args


def _audit_export(form: str) -> exports.AuditExport:
    filters, number, _ = _audit_filters()
    with runtime.call() as c:
        return exports.audit_export(
            c,
            filters,
            number,
            _ticked("include_privileged"),
            evidence_files.sources_of(runtime.settings()),
            form,
        )


@bp.get("/admin/audit.csv")
@requires(Action.VIEW_AUDIT)
def audit_csv() -> Response:
    export = _audit_export("csv")
    stamp = runtime.now().strftime("%Y%m%d-%H%M")
    return _csv(exports.audit_export_csv(export), f"audit-trail-{stamp}.csv")


@bp.get("/admin/audit.pdf")
@requires(Action.VIEW_AUDIT)
def audit_pdf() -> Response:
    export = _audit_export("pdf")
    html = render_template(
        "proof/audit_pdf.html",
        export=export,
        rows=exports.printed(export),
        generated=runtime.now(),
        privileged=exports.PRIVILEGED,
    )
    stamp = runtime.now().strftime("%Y%m%d-%H%M")
    return Response(
        html_to_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="audit-trail-{stamp}.pdf"'},
    )


@bp.get("/incidents.csv")
@requires(Action.VIEW_INCIDENT)
def register_csv() -> Response:
    # No search term here: search terms never travel in a URL (titles may carry sensitive words).
    status = request.args.get("status", "").strip()
    filters = register.RegisterFilter(
        status=status if status in incidents.STATUSES else "",
        overdue=request.args.get("overdue") == "1",
    )
    with runtime.call() as c:
        text = exports.register_csv(c, filters)
    return _csv(text, f"incident-register-{runtime.local_today()}.csv")


# -- accounting of disclosures ---------------------------------------------------------------------


@bp.get("/incidents/<int:incident_id>/disclosures.csv")
@requires(Action.MANAGE_INDIVIDUALS)
def disclosures_csv(incident_id: int) -> Response:
    raw = request.args.get("individual", "").strip()
    individual = int(raw) if raw.isdigit() else None
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.MANAGE_INDIVIDUALS)
        text = disclosures.accounting_csv(c, incident, individual)
        number = incident.number
    suffix = f"-person-{individual}" if individual else ""
    return _csv(text, f"{number}-accounting-of-disclosures{suffix}.csv")


@bp.get("/disclosures")
@requires(Action.MANAGE_INDIVIDUALS)
def disclosure_search() -> tuple[str, int]:
    name = request.args.get("name", "").strip()[:200]
    found: list[disclosures.Entry] = []
    errors: dict[str, str] = {}
    if name:
        try:
            with runtime.call() as c:
                found = disclosures.search(c, name)
        except ValidationFailed as exc:
            errors = exc.field_errors
    page = render_template(
        "proof/disclosures.html", name=name, found=found, errors=errors, searched=bool(name)
    )
    return page, 422 if errors else 200


# -- dashboard -------------------------------------------------------------------------------------


@bp.get("/dashboard")
@requires(Action.VIEW_INCIDENT)
def dashboard_page() -> tuple[str, int]:
    today = runtime.local_today()
    errors: dict[str, str] = {}
    try:
        filters = dashboard.filters_of(request.args.get("year"), request.args.get("type"), today)
    except ValidationFailed as exc:
        errors = exc.field_errors
        filters = dashboard.Filters(today.year, "")
    with runtime.call(read_only=True) as c:
        board = dashboard.build(c, filters, today)
    page = render_template(
        "proof/dashboard.html",
        board=board,
        svgs=board.svgs(),
        years=range(today.year, 2019, -1),
        types=[(t.key, t.label) for t in INCIDENT_TYPES] + [(dashboard.NO_TYPE, "No type given")],
        errors=errors,
        args={"year": request.args.get("year", ""), "type": request.args.get("type", "")},
    )
    return page, 422 if errors else 200
