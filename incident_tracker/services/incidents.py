"""Incidents: create, edit, lifecycle. Each use case saves the facts, recomputes the obligations
and writes its audit row in one transaction, or saves nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import bindparam, text
from sqlmodel import col, func, select

from incident_tracker.core import lifecycle, portal
from incident_tracker.core.facts import FactsError, FipsValidation, parse_incident
from incident_tracker.core.incident_types import BY_KEY
from incident_tracker.core.permissions import Action, can_see_incident
from incident_tracker.core.rule_names import facts_in_words
from incident_tracker.db.mapping import incident_object
from incident_tracker.db.models import (
    CoveredEntityClient,
    Facility,
    Incident,
    IncidentAssignee,
    IncidentState,
    ObligationRecord,
    User,
)
from incident_tracker.services import break_glass, obligations, reminders, webhooks
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, Hidden, NotFound, ValidationFailed
from incident_tracker.services.register import local_today

_GENERATION_ROW = text("SELECT n FROM data_generation WHERE id = 1 FOR UPDATE")

OPEN_STATUSES = lifecycle.OPEN_STATUSES
STATUSES = lifecycle.STATUSES
ENTITY_TYPES = ("covered_entity", "business_associate", "ca_licensed_health_facility")
RISK_OUTCOMES = (
    "not_low_probability",
    "low_probability_documented",
    "not_required_exception",
    "not_required_secured_phi",
)
EXCEPTIONS = ("164.402(1)(i)", "164.402(1)(ii)", "164.402(1)(iii)")
FIPS_VALIDATIONS = tuple(v.value for v in FipsValidation)


@dataclass(frozen=True)
class IncidentValues:
    """Typed values of the incident form (parsing of the raw strings happens in the web layer)."""

    title: str
    discovered_on: date | None
    entity_type: str = "covered_entity"
    narrative: str = ""
    incident_type: str | None = None
    breach_type: str = "unknown"
    location: str = "other"
    location_other: str = ""
    occurred_on: date | None = None
    occurred_until: date | None = None
    privacy_office_learned_on: date | None = None
    privacy_office_justification: str = ""
    hipaa_covered_entity: bool = True
    client_id: int | None = None
    facility_id: int | None = None
    nydfs_covered_entity: bool = False
    dfs_determined_at: datetime | None = None
    dfs_ransom_paid_at: datetime | None = None
    ba_is_agent_of_ce: bool | None = None
    ba_agency_answered: bool = False
    ce_notified_by_ba_on: date | None = None
    # A business associate with several covered-entity clients: client name -> date told.
    ce_clients: dict[str, date | None] = field(default_factory=dict)
    part2_program: bool = False
    states: dict[str, int] = field(default_factory=dict)
    # Residents outside the U.S.: country name -> count.
    countries: dict[str, int] = field(default_factory=dict)
    total_affected: int | None = None
    count_is_estimate: bool = False
    data_elements: tuple[str, ...] = ()
    medium: str = "electronic"
    acquired: bool | None = None
    phi_encrypted: bool | None = None
    encryption_key_compromised: bool | None = None
    fips_validation: str | None = None
    risk_assessment: str | None = None
    exception: str | None = None
    unreachable_individuals: int | None = None
    substitute_notice_started_on: date | None = None
    ny_harm_determination_on: date | None = None
    nj_misuse_determination_on: date | None = None
    cdph_exclusion: str | None = None
    safeguards: tuple[str, ...] = ()
    corrective_actions: tuple[str, ...] = ()
    sanctions: str = ""
    restricted: bool = False
    owner_id: int | None = None
    assignee_ids: tuple[int, ...] = ()
    lock_version: int = 0


def _check(values: IncidentValues) -> dict[str, str]:
    """Questions the engine does not ask: the form's own completeness rules."""
    errors: dict[str, str] = {}
    if not values.title.strip():
        errors["title"] = "give the incident a short title (no patient names)"
    if values.discovered_on is None:
        errors["discovered_on"] = "enter the date the breach was discovered"
    if values.breach_type not in dict(portal.BREACH_TYPES):
        errors["breach_type"] = "choose a type of breach"
    if values.location not in dict(portal.LOCATIONS):
        errors["location"] = "choose where the information was"
    if values.occurred_until and values.occurred_on and values.occurred_until < values.occurred_on:
        errors["occurred_until"] = "the end of the range is before its start"
    if values.occurred_until and not values.occurred_on:
        errors["occurred_on"] = "enter the start of the range"
    if (
        values.privacy_office_learned_on
        and values.discovered_on
        and values.privacy_office_learned_on != values.discovered_on
        and not values.privacy_office_justification.strip()
    ):
        errors["privacy_office_justification"] = (
            "explain why the privacy office learned on a different day than discovery "
            "(the clock runs from discovery, 164.404(a)(2))"
        )
    if values.entity_type not in ENTITY_TYPES:
        errors["entity_type"] = "choose what the organisation is in this incident"
    if values.entity_type == "business_associate" and not values.ba_agency_answered:
        errors["ba_is_agent_of_ce"] = (
            "answer whether the business associate acts as the covered entity's agent "
            "(45 CFR 164.404(a)(2), 164.410): it decides when the covered entity's clocks start"
        )
    if values.risk_assessment is not None and values.risk_assessment not in RISK_OUTCOMES:
        errors["risk_assessment"] = "choose a recorded outcome"
    if values.exception is not None and values.exception not in EXCEPTIONS:
        errors["exception"] = "choose one of the three exceptions of 164.402(1)"
    if values.risk_assessment == "not_required_exception" and values.exception is None:
        errors["exception"] = "name the exception of 164.402(1) that applies"
    if values.fips_validation is not None and values.fips_validation not in FIPS_VALIDATIONS:
        errors["fips_validation"] = "choose from the list"
    if values.ce_clients and values.entity_type != "business_associate":
        errors["ce_clients"] = (
            "covered-entity clients are told by a business associate (164.410): choose "
            "'a business associate' above or leave the clients blank"
        )
    elif values.ce_clients and values.ce_notified_by_ba_on is not None:
        errors["ce_clients"] = (
            "give the date for each client here and leave 'Date the covered entity was told' "
            "blank (it is for a single client)"
        )
    if values.incident_type is not None and values.incident_type not in BY_KEY:
        errors["incident_type"] = "choose an incident type"
    for name, chosen, allowed in (
        ("safeguards", values.safeguards, portal.SAFEGUARDS),
        ("corrective_actions", values.corrective_actions, portal.CORRECTIVE_ACTIONS),
    ):
        if set(chosen) - set(dict(allowed)):
            errors[name] = "choose from the list"
    return errors


def _apply(incident: Incident, values: IncidentValues) -> None:
    for name in (
        "title",
        "narrative",
        "incident_type",
        "breach_type",
        "location",
        "location_other",
        "occurred_on",
        "occurred_until",
        "privacy_office_learned_on",
        "privacy_office_justification",
        "entity_type",
        "hipaa_covered_entity",
        "client_id",
        "facility_id",
        "nydfs_covered_entity",
        "dfs_determined_at",
        "dfs_ransom_paid_at",
        "ba_is_agent_of_ce",
        "ce_notified_by_ba_on",
        "part2_program",
        "count_is_estimate",
        "medium",
        "acquired",
        "phi_encrypted",
        "encryption_key_compromised",
        "fips_validation",
        "risk_assessment",
        "exception",
        "unreachable_individuals",
        "substitute_notice_started_on",
        "ny_harm_determination_on",
        "nj_misuse_determination_on",
        "cdph_exclusion",
        "sanctions",
        "restricted",
    ):
        value = getattr(values, name)
        setattr(incident, name, value.strip() if isinstance(value, str) else value)
    assert values.discovered_on is not None
    incident.discovered_on = values.discovered_on
    incident.total_affected = (
        values.total_affected
        if values.total_affected is not None
        else sum(values.states.values()) + sum(values.countries.values())
    )
    incident.ce_clients_notified = json.dumps(
        {name: told.isoformat() if told else None for name, told in values.ce_clients.items()}
    )
    incident.affected_outside_us = json.dumps(values.countries)
    incident.data_elements = json.dumps(sorted(values.data_elements))
    incident.safeguards = json.dumps(sorted(values.safeguards))
    incident.corrective_actions = json.dumps(sorted(values.corrective_actions))


def _engine_errors(incident: Incident, values: IncidentValues) -> dict[str, str]:
    """The engine's own validation (the incident JSON format (README.md, Calculator)), mapped to
    form fields."""
    states = [IncidentState(incident_id=0, state=s, count=n) for s, n in values.states.items()]
    data = incident_object(incident, states, [], {})
    if values.occurred_on is not None:
        data["breach_occurred_on"] = values.occurred_on.isoformat()
    try:
        parse_incident(data)
    except FactsError as exc:
        errors: dict[str, str] = {}
        for problem in exc.problems:
            name, _, message = problem.partition(": ")
            field_name = name.split(".")[0]
            field_name = {
                "affected_by_state": "states",
                "breach_occurred_on": "occurred_on",
                "first_known_to_privacy_office": "privacy_office_learned_on",
                "flags": "entity_type",
                "affected_outside_us": "countries",
                "ce_notified_by_ba_on": "ce_clients"
                if values.ce_clients
                else "ce_notified_by_ba_on",
            }.get(field_name, field_name)
            errors.setdefault(field_name, facts_in_words(message))
        return errors
    return {}


def snapshot(
    incident: Incident, states: dict[str, int], assignees: tuple[int, ...]
) -> dict[str, object]:
    """What the audit trail records of the facts."""
    data = incident.model_dump(exclude={"created_at", "updated_at", "lock_version"})
    data["states"] = dict(sorted(states.items()))
    data["assignee_ids"] = sorted(assignees)
    return data


def _next_number(call: Call) -> str:
    """One more than this year's count. SQLite runs write transactions one at a time (BEGIN
    IMMEDIATE); PostgreSQL's READ COMMITTED would let two creations count the same rows and
    collide on the number, so they first lock the data generation row, which the incident's
    INSERT locks anyway (its trigger, migration 0010): the count then sees every creation
    committed before, and the locks come in the order other writes take them (that row, then
    the audit chain's lock at the audit row), never the reverse."""
    connection = call.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_GENERATION_ROW)
    year = call.now.year
    prefix = f"INC-{year}-"
    count = call.session.exec(
        select(func.count()).where(col(Incident.number).startswith(prefix))
    ).one()
    return f"{prefix}{int(count) + 1:04d}"


def _future(values: IncidentValues, today: date) -> dict[str, str]:
    """Dates that have not happened yet (today in the organisation's time zone): a typo that
    would otherwise put every clock months out."""
    errors: dict[str, str] = {}
    for name in ("discovered_on", "occurred_on", "occurred_until", "privacy_office_learned_on"):
        value = getattr(values, name)
        if value is not None and value > today:
            errors[name] = f"cannot be in the future (today is {today.isoformat()})"
    return errors


def _validate(call: Call, incident: Incident, values: IncidentValues) -> None:
    errors = {**_check(values), **_future(values, local_today(call))}
    if values.owner_id is not None:
        owner = call.session.get(User, values.owner_id)
        if owner is None or not owner.is_active:
            errors["owner_id"] = "choose an active user as owner"
    for user_id in values.assignee_ids:
        if call.session.get(User, user_id) is None:
            errors["assignee_ids"] = "choose assignees from the list"
    # A removed client or facility (or a forged id) is a message, not a foreign-key failure.
    client, facility = values.client_id, values.facility_id
    if client is not None and call.session.get(CoveredEntityClient, client) is None:
        errors["client_id"] = "that client no longer exists; choose one from the list"
    if facility is not None and call.session.get(Facility, facility) is None:
        errors["facility_id"] = "that facility no longer exists; choose one from the list"
    if not errors:
        _apply(incident, values)
        errors = _engine_errors(incident, values)
    if errors:
        raise ValidationFailed(errors)


def problems(call: Call, values: IncidentValues) -> dict[str, str]:
    """Every problem the service would find, without saving (to report all errors at once)."""
    probe = Incident(
        number="",
        title="",
        discovered_on=values.discovered_on or date.min,
        entity_type=values.entity_type,
        owner_id=0,
        created_at=call.now,
        updated_at=call.now,
    )
    try:
        _validate(call, probe, values)
    except ValidationFailed as exc:
        return exc.field_errors
    return {}


def _save_people_and_states(call: Call, incident: Incident, values: IncidentValues) -> None:
    incident_id = incident.id or 0
    for row in call.session.exec(
        select(IncidentState).where(IncidentState.incident_id == incident_id)
    ):
        call.session.delete(row)
    for assignee in call.session.exec(
        select(IncidentAssignee).where(IncidentAssignee.incident_id == incident_id)
    ):
        call.session.delete(assignee)
    call.session.flush()
    for state, count in sorted(values.states.items()):
        if count > 0:
            call.session.add(IncidentState(incident_id=incident_id, state=state, count=count))
    for user_id in sorted(set(values.assignee_ids)):
        call.session.add(IncidentAssignee(incident_id=incident_id, user_id=user_id))
    call.session.flush()


def create(call: Call, values: IncidentValues) -> Incident:
    call.require(Action.CREATE_INCIDENT)
    owner_id = values.owner_id or call.actor.user_id
    if owner_id is None:
        raise ValidationFailed({"owner_id": "choose an owner"})
    values = replace(values, owner_id=owner_id)
    incident = Incident(
        number="",
        title="",
        discovered_on=values.discovered_on or date.min,
        entity_type=values.entity_type,
        owner_id=owner_id,
        created_at=call.now,
        updated_at=call.now,
    )
    _validate(call, incident, values)
    incident.number = _next_number(call)
    incident.owner_id = owner_id
    call.session.add(incident)
    call.session.flush()
    _save_people_and_states(call, incident, values)
    call.audit(
        "incident.create",
        object_type="incident",
        object_id=incident.id,
        new=snapshot(incident, values.states, values.assignee_ids),
    )
    obligations.recompute(call, incident, "incident created")
    webhooks.incident_created(call, incident)
    return incident


def update(call: Call, incident: Incident, values: IncidentValues) -> Incident:
    call.require(Action.EDIT_INCIDENT)
    if values.lock_version != incident.lock_version:
        raise Conflict(
            "someone else saved this incident while you were editing; your changes are below — "
            "reload the page to see theirs, then apply yours again"
        )
    before = snapshot(incident, states_of(call, incident), assignees_of(call, incident))
    values = replace(values, owner_id=values.owner_id or incident.owner_id)
    _validate(call, incident, values)
    incident.owner_id = values.owner_id or incident.owner_id
    incident.updated_at = call.now
    incident.lock_version += 1
    call.session.add(incident)
    call.session.flush()
    _save_people_and_states(call, incident, values)
    after = snapshot(incident, values.states, values.assignee_ids)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    call.audit(
        "incident.update",
        object_type="incident",
        object_id=incident.id,
        old={k: before.get(k) for k in changed},
        new=changed,
    )
    obligations.recompute(call, incident, "facts changed: " + ", ".join(sorted(changed))[:180])
    return incident


def states_of(call: Call, incident: Incident) -> dict[str, int]:
    rows = call.session.exec(select(IncidentState).where(IncidentState.incident_id == incident.id))
    return {r.state: r.count for r in rows}


# Built once (every incident page's access check runs it): building a select costs several
# times SQLite's answer. Run on the session, so pending assignee changes are flushed first.
_ASSIGNEES = select(col(IncidentAssignee.user_id)).where(
    col(IncidentAssignee.incident_id) == bindparam("incident_id")
)


def assignees_of(call: Call, incident: Incident) -> tuple[int, ...]:
    rows = call.session.execute(_ASSIGNEES, {"incident_id": incident.id}).scalars()
    return tuple(sorted(rows))


def load_for(call: Call, incident_id: int, action: Action) -> Incident:
    """The one access check for an incident: 404 when the user may not see it, 403 when they may
    see it but not do `action`."""
    incident = call.session.get(Incident, incident_id)
    actor = call.actor
    if incident is None:
        raise NotFound("no such incident")
    if not actor.trusted:
        assignee = actor.user_id in assignees_of(call, incident)
        owner = actor.user_id == incident.owner_id
        sees = can_see_incident(actor.role, incident.restricted, owner, assignee)
        if not sees and incident.restricted:  # the grant is looked up only when needed
            sees = can_see_incident(actor.role, True, owner, assignee, _broke_glass(call, incident))
        if not sees:
            detail = f"{action} on a restricted incident"
            raise Hidden("no such incident", "incident", incident_id, detail)
        call.require(action)
    return incident


def set_status(call: Call, incident: Incident, status: str, note: str, confirm_open: bool) -> None:
    """Intake -> assessment -> notification -> closed, or void; closing warns about open duties."""
    call.require(Action.EDIT_INCIDENT)
    note = note.strip()
    if status not in STATUSES:
        raise ValidationFailed({"status": "choose a status"})
    if status == "closed":
        if not note:
            raise ValidationFailed({"note": "write a closing note: what was done and why it ends"})
        open_count = open_obligations(call, incident)
        if open_count and not confirm_open:
            raise ValidationFailed(
                {
                    "confirm_open": f"{open_count} legal obligation(s) are not "
                    "recorded as done; tick to close anyway"
                }
            )
        incident.closing_note = note
    if status == "void":
        if not note:
            raise ValidationFailed({"note": "give the reason the incident is void"})
        incident.void_reason = note
    before = incident.status
    incident.status = status
    incident.updated_at = call.now
    call.session.add(incident)
    action = {"closed": "incident.close", "void": "incident.void"}.get(status, "incident.status")
    if before in ("closed", "void") and status in OPEN_STATUSES:
        action = "incident.reopen"
        _replan_reminders(call, incident)
    call.audit(
        action,
        object_type="incident",
        object_id=incident.id,
        old={"status": before},
        new={"status": status},
        detail=note or None,
    )


def _replan_reminders(call: Call, incident: Incident) -> None:
    """Reminders cancelled while the incident was closed come back with it (their unsent steps
    are planned again; steps already past are not sent in a burst)."""
    records = call.session.exec(
        select(ObligationRecord).where(ObligationRecord.incident_id == incident.id)
    ).all()
    for record in records:
        reminders.sync(call, record)


def open_obligations(call: Call, incident: Incident) -> int:
    query = select(func.count()).where(
        ObligationRecord.incident_id == incident.id,
        ObligationRecord.live == True,  # noqa: E712
        ObligationRecord.kind == "legal",
        col(ObligationRecord.done_on).is_(None),
    )
    return int(call.session.exec(query).one())


def _broke_glass(call: Call, incident: Incident) -> bool:
    """A live break-glass grant of the actor's (asked only when nothing else lets them see)."""
    return break_glass.live_grant(call, incident.id or 0) is not None


class Viewed(Protocol):
    """What a view's audit row needs of the incident (an ORM incident, or a page's own row)."""

    @property
    def id(self) -> int | None: ...

    @property
    def restricted(self) -> bool: ...

    @property
    def owner_id(self) -> int: ...


def record_view(call: Call, incident: Viewed, page: str | None = None) -> None:
    """HIPAA 164.312(b): who looked at which incident, and when; `page` names any page other
    than the incident page that shows its content (the edit form, the notice details, ...).
    A view under a break-glass grant is audited as such, with the grant's reason."""
    grant = None
    if incident.restricted and call.actor.user_id not in (None, incident.owner_id):
        grant = break_glass.live_grant(call, incident.id or 0)
    if grant is not None:
        call.audit(
            "incident.break_glass_view",
            object_type="incident",
            object_id=incident.id,
            new={"reason": grant.reason, "grant": grant.id, "page": page or "incident"},
        )
        return
    call.audit("incident.view", object_type="incident", object_id=incident.id, detail=page)


def values_of(call: Call, incident: Incident) -> IncidentValues:
    """The stored incident as form values (for the edit form)."""
    data = {
        k: getattr(incident, k) for k in IncidentValues.__dataclass_fields__ if hasattr(incident, k)
    }
    data.update(
        states=states_of(call, incident),
        assignee_ids=assignees_of(call, incident),
        data_elements=tuple(json.loads(incident.data_elements)),
        safeguards=tuple(json.loads(incident.safeguards)),
        corrective_actions=tuple(json.loads(incident.corrective_actions)),
        ba_agency_answered=incident.entity_type == "business_associate",
        ce_clients={
            name: date.fromisoformat(told) if told else None
            for name, told in json.loads(incident.ce_clients_notified or "{}").items()
        },
        countries=json.loads(incident.affected_outside_us or "{}"),
    )
    return IncidentValues(**data)
