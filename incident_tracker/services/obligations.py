"""Recompute an incident's obligations in the caller's transaction, keeping identity and versions.

Every fact change calls `recompute`: the engine runs on the §10 object built from the rows, new
duties get a row and version 1, changed ones a new version, vanished ones are retired (a version
saying so); nothing old is edited (architecture.md §1.5).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import col, select

from incident_tracker.core import versions
from incident_tracker.core.engine import compute
from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.obligations import Result
from incident_tracker.db.mapping import incident_object
from incident_tracker.db.models import (
    CoveredEntityClient,
    Incident,
    IncidentState,
    LawEnforcementHold,
    ObligationRecord,
    ObligationVersion,
    Organisation,
)
from incident_tracker.services import hold_voids, lifecycle, reminders
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed

DONE_METHODS = ("mail", "email", "portal", "press_release", "web_posting", "telephone", "other")


def _done_dates(call: Call, incident_id: int) -> dict[str, date]:
    rows = call.session.exec(
        select(ObligationRecord).where(
            ObligationRecord.incident_id == incident_id,
            col(ObligationRecord.done_on).is_not(None),
            ObligationRecord.state == "",
        )
    ).all()
    return {r.rule_id: r.done_on for r in rows if r.done_on is not None}


def facts_object(call: Call, incident: Incident) -> dict[str, Any]:
    """The incident as a the incident JSON format (README.md, Calculator) object, as the engine
    will see it."""
    incident_id = incident.id or 0
    states = call.session.exec(
        select(IncidentState).where(IncidentState.incident_id == incident_id)
    ).all()
    holds = call.session.exec(
        select(LawEnforcementHold).where(
            LawEnforcementHold.incident_id == incident_id, hold_voids.in_effect()
        )
    ).all()
    org = call.session.get(Organisation, 1)
    client = (
        call.session.get(CoveredEntityClient, incident.client_id) if incident.client_id else None
    )
    return incident_object(incident, states, holds, _done_dates(call, incident_id), org, client)


def evaluate(call: Call, incident: Incident) -> Result:
    try:
        return compute(parse_incident(facts_object(call, incident)))
    except FactsError as exc:  # the form validates first; this guards every other path
        raise ValidationFailed(_field_errors(exc.problems)) from exc


def _field_errors(problems: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in problems:
        name, _, message = problem.partition(": ")
        errors.setdefault(name.split(".")[0].split("[")[0], message)
    return errors


def recompute(call: Call, incident: Incident, cause: str) -> versions.Plan:
    """Bring the stored obligations in line with the facts; returns what changed."""
    result = evaluate(call, incident)
    records = {
        (r.rule_id, r.state, r.party): r
        for r in call.session.exec(
            select(ObligationRecord).where(ObligationRecord.incident_id == incident.id)
        ).all()
    }
    previous = {k: (json.loads(r.terms) if r.live else None) for k, r in records.items()}
    plan = versions.plan(previous, result)
    for obligation in plan.new + plan.changed:
        key = versions.key_of(obligation)
        terms = versions.snapshot(obligation)
        record = records.get(key)
        if record is None:
            record = ObligationRecord(
                incident_id=incident.id or 0,
                rule_id=key[0],
                state=key[1],
                party=key[2],
                jurisdiction=obligation.jurisdiction,
                kind=obligation.kind.value,
                due=obligation.due,
                outcome=obligation.status.value,
                terms="",
                version=0,
                created_at=call.now,
            )
        _apply(record, terms, live=True)
        call.session.add(record)
        call.session.flush()
        _version(call, record, cause)
        reminders.sync(call, record)
    for key in plan.retired:
        record = records[key]
        record.live = False
        record.version += 1
        call.session.add(record)
        _version(call, record, cause)
        reminders.sync(call, record)
    lifecycle.duties_changed(call, incident)
    return plan


def _apply(record: ObligationRecord, terms: dict[str, Any], live: bool) -> None:
    record.terms = json.dumps(terms, sort_keys=True)
    record.due = date.fromisoformat(terms["due"]) if terms["due"] else None
    record.outcome = terms["status"]
    record.kind = terms["kind"]
    record.jurisdiction = terms["jurisdiction"]
    record.live = live
    record.version += 1


def _version(call: Call, record: ObligationRecord, cause: str) -> None:
    call.session.add(
        ObligationVersion(
            obligation_id=record.id or 0,
            version=record.version,
            computed_at=call.now,
            live=record.live,
            terms=record.terms,
            cause=cause[:200],
        )
    )
