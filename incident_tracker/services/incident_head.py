"""The summary's first read: the incident's own columns, its owner, whether the viewer is assigned
to it, its latest signed assessment and whether it has any law-enforcement statement, in one
statement, with the access check of services/incidents.load_for.

The summary is the page opened most: loading the ORM incident (every column, an identity map),
then its assignees, owner and assessment one statement each, cost more than the page's duties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, exists, func
from sqlalchemy import select as core_select
from sqlmodel import col

from incident_tracker.core.permissions import Action, can_see_incident
from incident_tracker.db.models import (
    AssessmentRecord,
    Incident,
    IncidentAssignee,
    LawEnforcementHold,
    User,
)
from incident_tracker.services import incidents
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound


@dataclass(frozen=True, slots=True)
class Standing:
    """The incident's columns the summary and its header show (and its view's audit row needs)."""

    id: int
    number: str
    title: str
    status: str
    restricted: bool
    owner_id: int
    discovered_on: date
    risk_assessment: str | None


@dataclass(frozen=True, slots=True)
class Decision:
    """The latest signed assessment: its outcome, who signed it and when."""

    version: int
    outcome: str
    exception: str | None
    signer_name: str
    signed_on: date


@dataclass(frozen=True, slots=True)
class Head:
    incident: Standing
    owner: str
    decision: Decision | None
    has_holds: bool  # any statement, voided or not: the summary reads them only then


_LATEST = (
    core_select(func.max(col(AssessmentRecord.version)))
    .where(col(AssessmentRecord.incident_id) == col(Incident.id))
    .correlate(Incident)
    .scalar_subquery()
)
# Built once, with the incident and the viewer as parameters (constructing a Core statement
# costs several times what the database takes to answer it).
_HEAD = (
    core_select(
        col(Incident.id),
        col(Incident.number),
        col(Incident.title),
        col(Incident.status),
        col(Incident.restricted),
        col(Incident.owner_id),
        col(Incident.discovered_on),
        col(Incident.risk_assessment),
        col(User.email),
        exists()
        .where(
            col(IncidentAssignee.incident_id) == col(Incident.id),
            col(IncidentAssignee.user_id) == bindparam("viewer"),
        )
        .correlate(Incident),
        exists().where(col(LawEnforcementHold.incident_id) == col(Incident.id)).correlate(Incident),
        col(AssessmentRecord.version),
        col(AssessmentRecord.outcome),
        col(AssessmentRecord.exception),
        col(AssessmentRecord.signer_name),
        col(AssessmentRecord.signed_on),
    )
    .select_from(Incident)
    .outerjoin(User, col(User.id) == col(Incident.owner_id))
    .outerjoin(
        AssessmentRecord,
        and_(
            col(AssessmentRecord.incident_id) == col(Incident.id),
            col(AssessmentRecord.version) == _LATEST,
        ),
    )
    .where(col(Incident.id) == bindparam("incident_id"))
)


def load(call: Call, incident_id: int) -> Head:
    """The incident as the summary shows it, or NotFound. Whoever the one row does not show may
    see it (not the owner, not assigned, a role without access) is checked by
    `incidents.load_for` itself, break-glass grants and the audited refusal included."""
    actor = call.actor
    found = call.rows(_HEAD, {"incident_id": incident_id, "viewer": actor.user_id})
    if not found:
        raise NotFound("no such incident")
    row = found[0]
    ident, number, title, status, restricted, owner_id, discovered, risk, *rest = row
    owner, assigned, has_holds, version, outcome, exception, signer, signed_on = rest
    if not actor.trusted:
        owns = actor.user_id == owner_id
        if not can_see_incident(actor.role, bool(restricted), owns, bool(assigned)):
            incidents.load_for(call, incident_id, Action.VIEW_INCIDENT)  # a grant, or Hidden
        call.require(Action.VIEW_INCIDENT)
    return Head(
        Standing(ident or 0, number, title, status, bool(restricted), owner_id, discovered, risk),
        owner or "?",
        Decision(version, outcome, exception, signer, signed_on) if version is not None else None,
        bool(has_holds),
    )
