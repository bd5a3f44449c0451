"""An incident's next step (core.next_action) from its open legal duties and their notices."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import col

from incident_tracker.core.next_action import NextAction, OpenDuty, next_action
from incident_tracker.db.models import Incident, Notice, ObligationRecord
from incident_tracker.services.call import Call

# Built once: constructing a Core statement costs several times what SQLite takes to answer it.
_OPEN_LEGAL = (
    core_select(
        col(ObligationRecord.id),
        col(ObligationRecord.rule_id),
        col(ObligationRecord.state),
        col(ObligationRecord.party),
        col(ObligationRecord.terms),
        col(ObligationRecord.due),
        col(Notice.state),
    )
    .outerjoin(Notice, col(Notice.obligation_id) == ObligationRecord.id)
    .where(
        col(ObligationRecord.incident_id) == bindparam("incident_id"),
        col(ObligationRecord.live).is_(True),
        col(ObligationRecord.kind) == "legal",
        col(ObligationRecord.done_on).is_(None),
    )
)


class Standing(Protocol):
    """What the step depends on of the incident itself (an ORM incident, or the summary's row)."""

    @property
    def status(self) -> str: ...

    @property
    def risk_assessment(self) -> str | None: ...


def of(incident: Standing, open_legal: Iterable[OpenDuty]) -> NextAction | None:
    """The step from open legal duties a page has already read (the summary reads every live
    duty anyway); None when the incident is closed or void or no legal duty is open."""
    if incident.status in ("closed", "void"):
        return None
    return next_action(incident.risk_assessment is not None, list(open_legal))


def for_incident(call: Call, incident: Incident) -> NextAction | None:
    """The soonest open legal duty and the step it waits for (one statement)."""
    if incident.status in ("closed", "void"):
        return None
    rows = call.session.connection().execute(_OPEN_LEGAL, {"incident_id": incident.id})
    return of(
        incident,
        (
            OpenDuty(ident or 0, rule, state, party, json.loads(terms)["recipient"], due, notice)
            for ident, rule, state, party, terms, due, notice in rows
        ),
    )
