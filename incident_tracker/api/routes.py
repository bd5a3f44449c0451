"""The `/api/v1` routes: parse (the models), call the same services as the pages, answer JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, request, url_for
from flask_openapi3 import APIBlueprint, Tag

from incident_tracker.api import guard, schemas
from incident_tracker.core.engine import compute
from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.permissions import Action
from incident_tracker.core.vocabulary import STATES
from incident_tracker.db.models import Incident
from incident_tracker.services import api_queries, incidents, register, sending
from incident_tracker.services.call import Call
from incident_tracker.services.errors import DomainError, ValidationFailed

ERRORS: dict[int, Any] = {
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    422: schemas.Error,
    429: schemas.Error,
}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: schemas.Error, 409: schemas.Error}

bp = APIBlueprint(
    "api_v1",
    __name__,
    url_prefix="/api/v1",
    abp_security=[{"bearer": []}],
    abp_responses=ERRORS,
)
bp.before_request(guard.authenticate)
bp.register_error_handler(DomainError, guard.domain_error)
INCIDENTS, DUTIES, CALC = Tag(name="incidents"), Tag(name="obligations"), Tag(name="deadlines")


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _incident_json(c: Call, incident: Incident) -> dict[str, Any]:
    facts = asdict(incidents.values_of(c, incident))
    for internal in ("lock_version", "ba_agency_answered"):
        facts.pop(internal, None)
    number = incident.id or 0
    return {
        "id": number,
        "number": incident.number,
        "status": incident.status,
        "lock_version": incident.lock_version,
        "facts": _plain(facts),
        "links": {
            "self": url_for("api_v1.incident_read", incident_id=number),
            "page": url_for("incidents.detail", incident_id=number),
        },
    }


def _values(c: Call, given: dict[str, Any], base: incidents.IncidentValues) -> Any:
    """The typed facts over `base`, with the checks the form's parser makes."""
    states = given.get("states")
    if states is not None and any(code not in STATES for code in states):
        raise ValidationFailed({"states": "use U.S. State or territory codes"})
    stamp = given.get("dfs_determined_at")
    if isinstance(stamp, datetime) and stamp.tzinfo is None:
        given["dfs_determined_at"] = stamp.replace(tzinfo=ZoneInfo(register.zone_name(c)))
    for name in ("data_elements", "safeguards", "corrective_actions", "assignee_ids"):
        if name in given:
            given[name] = tuple(given[name])
    if "ba_is_agent_of_ce" in given:
        given["ba_agency_answered"] = True
    return replace(base, **given)


def _problems(c: Call, values: incidents.IncidentValues) -> None:
    found = incidents.problems(c, values)
    if found:
        raise ValidationFailed(found)


@bp.get("/openapi.json", tags=[Tag(name="meta")], responses={200: None})
def openapi_document() -> dict[str, Any]:
    """This document (signed-in users and token holders only)."""
    from incident_tracker.api import document

    return document()


def _register(query: schemas.IncidentQuery, search: str = "") -> dict[str, Any]:
    f = register.RegisterFilter(
        status=query.status or "",
        owner_id=query.owner_id,
        overdue=query.overdue,
        due_within=query.due_within,
        jurisdiction=query.jurisdiction or "",
        search=search,
    )
    with guard.reading() as c:
        rows, total = register.register(c, f, query.page)
        if rows:
            guard.audit_call(c, "read")  # titles can name what happened
    return {"items": [_plain(asdict(r)) for r in rows], "total": total, "page": query.page}


@bp.get("/incidents", tags=[INCIDENTS], responses={200: schemas.IncidentPage})
def incident_list(query: schemas.IncidentQuery) -> dict[str, Any]:
    """The register, with its filters; restricted incidents only for their owner and assignees."""
    return _register(query)


@bp.post("/incidents/search", tags=[INCIDENTS], responses={200: schemas.IncidentPage})
def incident_search(body: schemas.IncidentSearch) -> dict[str, Any]:
    """The register searched by number or title words, sent in the body (never in a URL), with
    the same filters; reads only, so a read token may search."""
    return _register(body, body.search)


@bp.post(
    "/incidents",
    tags=[INCIDENTS],
    responses={**WRITE_ERRORS, 201: schemas.Incident},
)
def incident_create(header: schemas.WriteHeaders, body: schemas.IncidentCreate) -> Response:
    """A new incident, its obligations computed, as the incident form creates one."""
    given = body.model_dump(exclude_unset=True)

    def work(c: Call) -> guard.Answer:
        values = _values(c, given, incidents.IncidentValues(title="", discovered_on=None))
        _problems(c, values)
        created = incidents.create(c, values)
        return guard.Answer(201, _incident_json(c, created))

    return guard.write(header.idempotency_key, work)


@bp.get("/incidents/<int:incident_id>", tags=[INCIDENTS], responses={200: schemas.Incident})
def incident_read(path: schemas.IncidentPath) -> dict[str, Any]:
    with guard.reading() as c:
        incident = incidents.load_for(c, path.incident_id, Action.VIEW_INCIDENT)
        incidents.record_view(c, incident, "api")
        guard.audit_call(c, "read")
        return _incident_json(c, incident)


@bp.patch(
    "/incidents/<int:incident_id>",
    tags=[INCIDENTS],
    responses={**WRITE_ERRORS, 200: schemas.Incident},
)
def incident_update(
    path: schemas.IncidentPath, header: schemas.WriteHeaders, body: schemas.IncidentUpdate
) -> Response:
    """Change facts: only the fields sent; `lock_version` as read (else 409)."""
    given = body.model_dump(exclude_unset=True)
    lock = given.pop("lock_version")

    def work(c: Call) -> guard.Answer:
        incident = incidents.load_for(c, path.incident_id, Action.EDIT_INCIDENT)
        values = _values(c, given, replace(incidents.values_of(c, incident), lock_version=lock))
        incidents.update(c, incident, values)
        return guard.Answer(200, _incident_json(c, incident))

    return guard.write(header.idempotency_key, work)


@bp.get("/obligations", tags=[DUTIES], responses={200: schemas.ObligationPage})
def obligation_list(query: schemas.ObligationQuery) -> dict[str, Any]:
    """Open legal duties across the incidents the caller may see, soonest first."""
    f = api_queries.DutyFilter(
        query.overdue,
        query.due_within,
        query.jurisdiction or "",
        query.incident_id,
        query.include_done,
    )
    with guard.reading() as c:
        items, total = api_queries.duties(c, f, query.page)
    return {"items": _plain(items), "total": total, "page": query.page}


@bp.post(
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/done",
    tags=[DUTIES],
    responses={**WRITE_ERRORS, 200: schemas.SentItem},
)
def obligation_done(
    path: schemas.ObligationPath, header: schemas.WriteHeaders, body: schemas.DoneBody
) -> Response:
    """Record the duty as done (sent), as the incident page's form does."""

    def work(c: Call) -> guard.Answer:
        incident = incidents.load_for(c, path.incident_id, Action.RECORD_SENT)
        row = sending.record_sent(
            c,
            incident,
            path.obligation_id,
            sending.SentInput(body.done_on, body.method, body.recipients, body.reference),
        )
        return guard.Answer(
            200,
            _plain(
                {
                    "id": row.id,
                    "obligation_id": row.obligation_id,
                    "sent_on": row.sent_on,
                    "method": row.method,
                    "recipients": row.recipients,
                    "reference": row.reference,
                    "voided": False,
                    "recorded_at": row.recorded_at,
                }
            ),
        )

    return guard.write(header.idempotency_key, work)


@bp.get("/incidents/<int:incident_id>/notices", tags=[DUTIES], responses={200: schemas.Notices})
def notice_list(path: schemas.IncidentPath) -> dict[str, Any]:
    """The incident's notices and the SHA-256 of each approved DOCX and PDF."""
    with guard.reading() as c:
        incident = incidents.load_for(c, path.incident_id, Action.VIEW_INCIDENT)
        items = api_queries.notices(c, incident)
    return {"items": _plain(items)}


@bp.get("/incidents/<int:incident_id>/sent", tags=[DUTIES], responses={200: schemas.SentRecords})
def sent_list(path: schemas.IncidentPath) -> dict[str, Any]:
    """What was sent for each of the incident's duties (voided rows included, marked)."""
    with guard.reading() as c:
        incident = incidents.load_for(c, path.incident_id, Action.VIEW_INCIDENT)
        items = api_queries.sent_records(c, incident)
    return {"items": _plain(items)}


@bp.post(
    "/deadlines",
    tags=[CALC],
    responses={200: schemas.Deadlines, 400: schemas.Error},
)
def deadlines(body: schemas.DeadlinesBody) -> Response:
    """Stateless: the incident JSON in, exactly what `incident-tracker deadlines` prints out."""
    data = request.get_json(silent=True)  # the CLI's reader takes the JSON as it is
    try:
        facts = parse_incident(data)
    except FactsError as exc:
        problems = {f"problem {n}": p for n, p in enumerate(exc.problems, 1)}
        return guard.error(422, "the incident JSON has problems", problems)
    text = json.dumps(compute(facts).to_json(), indent=2, ensure_ascii=False) + "\n"
    return Response(text, mimetype="application/json")
