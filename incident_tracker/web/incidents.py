"""The incident register, the incident page and its forms. Thin: parse, call a service, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup
from sqlmodel import col, select

from incident_tracker.core import portal
from incident_tracker.core.incident_types import BY_KEY, INCIDENT_TYPES
from incident_tracker.core.jurisdictions.registry import codes as jurisdiction_codes
from incident_tracker.core.lifecycle import RISK_OUTCOME_LABELS, STATUS_LABELS
from incident_tracker.core.next_action import party_words
from incident_tracker.core.parsing import MAX_COUNT, record_id, whole_number
from incident_tracker.core.permissions import Action
from incident_tracker.core.rule_names import rule_name, without_file_references
from incident_tracker.db.models import User
from incident_tracker.services import (
    evidence,
    form_tokens,
    incidents,
    obligations,
    organisation,
    register,
    sending,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, ValidationFailed
from incident_tracker.services.incidents import IncidentValues
from incident_tracker.web import fragments, incident_form, incident_sections, runtime
from incident_tracker.web.element_groups import ELEMENT_GROUPS
from incident_tracker.web.security import requires

bp = Blueprint("incidents", __name__, url_prefix="/incidents")


@bp.app_template_filter("thousands")
def thousands(n: int) -> str:
    """1,234. A filter is a direct call; `'{:,}'.format(n)` in a template goes through Jinja's
    attribute lookup and call wrapper, once per row."""
    return f"{n:,}"


@bp.app_template_filter("count_of")
def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 day", "2 days", "1,234 individuals": the count with the word that agrees with it."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


@bp.app_template_filter("rule_name")
def rule_name_filter(rule_id: str, state: str = "") -> str:
    return rule_name(rule_id, state)


@bp.app_template_filter("plain")
def plain(text: str | None) -> str:
    return without_file_references(text or "")


@bp.app_template_filter("party_words")
def party_words_filter(party: str) -> str:
    return party_words(party)


@bp.app_template_filter("risk_outcome")
def risk_outcome(value: str | None) -> str:
    return RISK_OUTCOME_LABELS.get(value, (value or "").replace("_", " "))


@bp.app_template_filter("status_label")
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " "))


def _people(c: Call) -> list[tuple[int | None, str]]:
    active = c.session.exec(
        select(User)
        .where(User.is_active == True)  # noqa: E712
        .order_by(col(User.email))
    ).all()
    return [(u.id, u.email) for u in active]


def _choices(c: Call) -> dict[str, Any]:
    return {
        "breach_types": portal.BREACH_TYPES,
        "locations": portal.LOCATIONS,
        "safeguard_options": portal.SAFEGUARDS,
        "action_options": portal.CORRECTIVE_ACTIONS,
        "element_groups": ELEMENT_GROUPS,
        "incident_types": INCIDENT_TYPES,
        "people": _people(c),
        "facilities": [(f.id, f.name) for f in organisation.facilities(c)],
        "clients": [(x.id, x.name) for x in organisation.clients(c)],
        "risk_outcomes": incidents.RISK_OUTCOMES,
        "exceptions": incidents.EXCEPTIONS,
    }


def _zone(c: Call) -> str:
    return organisation.get(c).time_zone


def _form_page(
    c: Call, form: dict[str, Any], errors: dict[str, str], incident: Any = None, status: int = 200
) -> tuple[str, int]:
    kind = BY_KEY.get(form.get("incident_type") or "")
    return render_template(
        "incidents/form.html",
        form=form,
        errors=errors,
        incident=incident,
        guidance=kind.questions if kind else (),
        **_choices(c),
    ), status


def _defaults(c: Call, type_key: str | None) -> IncidentValues:
    """A new incident starts from the organisation profile and the chosen incident type."""
    org = organisation.get(c)
    entity = "covered_entity" if org.is_covered_entity else "business_associate"
    kind = BY_KEY.get(type_key or "")
    values = IncidentValues(
        title="",
        discovered_on=None,
        entity_type=entity,
        hipaa_covered_entity=org.is_covered_entity,
        nydfs_covered_entity=org.nydfs_covered_entity,
        owner_id=c.actor.user_id,
        risk_assessment=None,  # until assessed: the presumption of 164.402(2), not an outcome
    )
    if kind is None:
        return values
    return IncidentValues(
        **{
            **values.__dict__,
            "incident_type": kind.key,
            "breach_type": kind.breach_type,
            "location": kind.location,
            "medium": kind.medium,
            "acquired": kind.acquired,
            "data_elements": kind.data_elements,
        }
    )


@bp.get("")
@requires(Action.VIEW_INCIDENT)
def index() -> str:
    return _register_page(request.args.get("search_term_never_in_url", ""))


@bp.post("/search")
@requires(Action.VIEW_INCIDENT)
def search() -> str:
    """Search terms travel in the body, never in a URL (titles may carry sensitive words)."""
    return _register_page(request.form.get("q", "")[:100])


def _register_page(term: str) -> str:
    args = request.args
    f = register.RegisterFilter(
        status=args.get("status", "") if args.get("status", "") in incidents.STATUSES else "",
        owner_id=record_id(args.get("owner")),
        overdue=args.get("overdue") == "1",
        due_within=whole_number(args.get("due_within"), 0, 366),
        jurisdiction=args.get("jurisdiction", "")
        if args.get("jurisdiction") in jurisdiction_codes()
        else "",
        search=term,
    )
    page = min(whole_number(args.get("page")) or 1, 100_000)
    query = {k: v for k, v in args.items() if k != "page"}

    def content() -> str:
        with runtime.call(read_only=True) as c:
            rows, total = register.register(c, f, page)
            people = register.owner_choices(c)
        return render_template(
            "incidents/_register.html",
            rows=rows,
            total=total,
            page=page,
            pages=max(1, -(-total // register.PAGE_SIZE)),
            f=f,
            people=people,
            query=query,
            statuses=incidents.STATUSES,
            jurisdictions=jurisdiction_codes(),
        )

    def whole() -> str:
        return render_template("incidents/list.html", content=Markup(content()))

    # Kept until anything changes; search terms are not kept, even in memory.
    shown = ("register", f, page, tuple(sorted(query.items())), runtime.local_today())
    key = None if f.search else fragments.page_key(*shown)
    return whole() if key is None else str(fragments.kept(key, whole))


@bp.get("/new")
@requires(Action.CREATE_INCIDENT)
def new() -> tuple[str, int]:
    with runtime.call() as c:
        values = _defaults(c, request.args.get("type"))
        form = incident_form.as_form(values, _zone(c))
        return _form_page(c, {**form, "form_token": form_tokens.new_token()}, {})


@bp.post("")
@requires(Action.CREATE_INCIDENT)
def create() -> Response | tuple[str, int]:
    with runtime.call() as c:
        zone = _zone(c)
    values, errors = incident_form.parse(request.form, zone)
    token = form_tokens.usable(request.form.get("form_token"))
    try:
        if errors:
            with runtime.call() as c:
                raise ValidationFailed({**incidents.problems(c, values), **errors})
        with runtime.call() as c:

            def save() -> tuple[int, int]:
                created = incidents.create(c, values)
                return created.id or 0, created.id or 0

            incident_id, _ = form_tokens.once(c, token, form_tokens.CREATE_INCIDENT, save)
            number = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT).number
    except form_tokens.AlreadySaved as saved:
        return already_saved(saved)
    except ValidationFailed as exc:
        with runtime.call() as c:
            return _form_page(
                c,
                {
                    **incident_form.raw_form(request.form, zone),
                    "form_token": token or form_tokens.new_token(),  # nothing saved: same form
                },
                {**exc.field_errors, **errors},
                status=422,
            )
    flash(f"{number} created; its obligations are below.")
    return redirect(url_for("incidents.detail", incident_id=incident_id))  # type: ignore[return-value]


def already_saved(saved: form_tokens.AlreadySaved) -> tuple[str, int]:
    """The same form sent again (Back and submit, a double click): nothing new is saved; the
    page links to what the first submission saved."""
    with runtime.call(read_only=True) as c:
        incident = incidents.load_for(c, saved.incident_id, Action.VIEW_INCIDENT)
        what = "incident" if saved.purpose == form_tokens.CREATE_INCIDENT else "sent record"
        target = url_for("incidents.detail", incident_id=incident.id)
        if saved.purpose == form_tokens.RECORD_SENT:
            target = incident_sections.anchor_url(incident.id or 0, "sent")
        page = render_template(
            "already_saved.html", what=what, number=incident.number, target=target
        )
    return page, 409


@bp.get("/<int:incident_id>")
@requires(Action.VIEW_INCIDENT)
def detail(incident_id: int) -> str:
    """The summary: where the incident stands and what is next (its sections have pages of
    their own, web/incident_sections.py)."""
    return incident_sections.summary_page(incident_id)


@bp.get("/<int:incident_id>/edit")
@requires(Action.EDIT_INCIDENT)
def edit(incident_id: int) -> tuple[str, int]:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
        incidents.record_view(c, incident, "edit form")  # the form shows every fact
        values = incidents.values_of(c, incident)
        return _form_page(c, incident_form.as_form(values, _zone(c)), {}, incident)


@bp.post("/<int:incident_id>")
@requires(Action.EDIT_INCIDENT)
def update(incident_id: int) -> Response | tuple[str, int]:
    with runtime.call() as c:
        zone = _zone(c)
        incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
    values, errors = incident_form.parse(request.form, zone)
    try:
        if errors:
            with runtime.call() as c:
                raise ValidationFailed({**incidents.problems(c, values), **errors})
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            saved = incidents.update(c, incident, values)
    except (ValidationFailed, Conflict) as exc:
        field_errors = getattr(exc, "field_errors", {"form": exc.message})
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            return _form_page(
                c,
                incident_form.raw_form(request.form, zone),
                {**field_errors, **errors},
                incident,
                exc.status,
            )
    flash(f"{saved.number} saved; obligations recomputed.")
    return redirect(url_for("incidents.detail", incident_id=incident_id))  # type: ignore[return-value]


def _detail_with_errors(incident_id: int, errors: dict[str, str], status: int) -> tuple[str, int]:
    """A form's errors on the section that holds the form, the input kept."""
    section = incident_sections.section_for(errors)
    return incident_sections.section_page(incident_id, section, errors, status, audit=False)


def _back(incident_id: int, anchor: str = "") -> Response:
    return redirect(incident_sections.anchor_url(incident_id, anchor))  # type: ignore[return-value]


@bp.post("/<int:incident_id>/status")
@requires(Action.EDIT_INCIDENT)
def status(incident_id: int) -> Response | tuple[str, int]:
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            incidents.set_status(
                c,
                incident,
                request.form.get("status", ""),
                request.form.get("note", "")[:4000],
                request.form.get("confirm_open") == "1",
            )
    except ValidationFailed as exc:
        return _detail_with_errors(incident_id, exc.field_errors, 422)
    return _back(incident_id, "status")


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


@bp.post("/<int:incident_id>/obligations/<int:obligation_id>/done")
@requires(Action.RECORD_SENT)
def obligation_done(incident_id: int, obligation_id: int) -> Response | tuple[str, int]:
    f = request.form
    done_on = _parse_date(f.get("done_on", ""))
    recipients = f.get("recipients", "").strip()
    count = whole_number(recipients, 0, MAX_COUNT)
    if done_on is None or (recipients and count is None):
        errors = (
            {"done_on": "enter the date it was sent"}
            if done_on is None
            else {"recipients": "enter a whole number"}
        )
        return _detail_with_errors(
            incident_id, {f"done-{obligation_id}": "; ".join(errors.values())}, 422
        )
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.RECORD_SENT)
            sending.record_sent(  # the one record-sent service
                c,
                incident,
                obligation_id,
                sending.SentInput(
                    done_on,
                    f.get("method", ""),
                    count,
                    f.get("reference", ""),
                ),
            )
    except ValidationFailed as exc:
        return _detail_with_errors(
            incident_id, {f"done-{obligation_id}": "; ".join(exc.field_errors.values())}, 422
        )
    return _back(incident_id, f"obligation-{obligation_id}")


@bp.post("/<int:incident_id>/obligations/<int:obligation_id>/undo")
@requires(Action.RECORD_SENT)
def obligation_undo(incident_id: int, obligation_id: int) -> Response:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.RECORD_SENT)
        sending.undo_sent(c, incident, obligation_id)
    return _back(incident_id, f"obligation-{obligation_id}")


@bp.post("/<int:incident_id>/holds")
@requires(Action.EDIT_INCIDENT)
def hold_add(incident_id: int) -> Response | tuple[str, int]:
    f = request.form
    hold = evidence.HoldInput(
        form=f.get("form", ""),
        statement_date=_parse_date(f.get("statement_date", "")),
        delay_until=_parse_date(f.get("delay_until", "")),
        official=f.get("official", ""),
        agency=f.get("agency", ""),
        notices_affected=f.get("notices_affected", ""),
        attachment_id=record_id(f.get("attachment_id")),
    )
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            evidence.add_hold(c, incident, hold)
    except ValidationFailed as exc:
        return _detail_with_errors(
            incident_id, {f"hold_{k}": v for k, v in exc.field_errors.items()}, 422
        )
    return _back(incident_id, "holds")


@bp.post("/<int:incident_id>/holds/<int:hold_id>/void")
@requires(Action.EDIT_INCIDENT)
def hold_void(incident_id: int, hold_id: int) -> Response | tuple[str, int]:
    """Kept six years (45 CFR 164.530(j)): a mistaken statement is voided with a reason."""
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            evidence.void_hold(c, incident, hold_id, request.form.get("void_reason", ""))
    except ValidationFailed as exc:
        return _detail_with_errors(
            incident_id, {f"void_reason-{hold_id}": v for v in exc.field_errors.values()}, 422
        )
    return _back(incident_id, "holds")


def _storage() -> Any:
    return runtime.settings().attachment_storage


@bp.post("/<int:incident_id>/attachments")
@requires(Action.EDIT_INCIDENT)
def attachment_add(incident_id: int) -> Response | tuple[str, int]:
    upload = request.files.get("file")
    content = upload.read(evidence.MAX_ATTACHMENT_BYTES + 1) if upload else b""
    try:
        with runtime.call() as c:
            incident = incidents.load_for(c, incident_id, Action.EDIT_INCIDENT)
            evidence.attach(
                c,
                incident,
                _storage(),
                upload.filename or "" if upload else "",
                content,
                request.form.get("kind", ""),
            )
    except ValidationFailed as exc:
        return _detail_with_errors(
            incident_id, {f"attachment_{k}": v for k, v in exc.field_errors.items()}, 422
        )
    return _back(incident_id, "attachments")


@bp.get("/<int:incident_id>/attachments/<int:attachment_id>")
@requires(Action.VIEW_INCIDENT)
def attachment_get(incident_id: int, attachment_id: int) -> Response:
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        row, path = evidence.attachment_for(c, incident, attachment_id, _storage())
    response = send_file(
        path,
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=row.original_name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/<int:incident_id>/export.json")
@requires(Action.VIEW_INCIDENT)
def export(incident_id: int) -> tuple[dict[str, Any], int]:
    """The incident as the incident JSON format (README.md, Calculator) JSON, for `incident-tracker
    deadlines`."""
    with runtime.call() as c:
        incident = incidents.load_for(c, incident_id, Action.VIEW_INCIDENT)
        data = obligations.facts_object(c, incident)
        c.audit("incident.export", object_type="incident", object_id=incident_id)
    return {"incident": data}, 200
