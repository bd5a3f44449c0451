"""The incident's status moving by itself (core.lifecycle), in the transaction of the change
that moves it and with its own audit row; a person can still set any status by hand."""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy import select as core_select
from sqlmodel import col, func

from incident_tracker.core import lifecycle
from incident_tracker.db.models import Incident, ObligationRecord
from incident_tracker.services.call import Call


def _move(call: Call, incident: Incident, status: str, cause: str) -> None:
    before = incident.status
    if status == before:
        return
    incident.status = status
    incident.updated_at = call.now
    call.session.add(incident)
    call.audit(
        "incident.status_auto",
        object_type="incident",
        object_id=incident.id,
        old={"status": before},
        new={"status": status},
        detail=cause,
    )


def _legal_counts(call: Call, incident: Incident) -> tuple[int, int]:
    """Live legal duties, and how many of them are open (one statement)."""
    call.session.flush()
    total, still_open = (
        call.session.connection()
        .execute(
            core_select(
                func.count(),
                func.count(case((col(ObligationRecord.done_on).is_(None), 1))),
            ).where(
                col(ObligationRecord.incident_id) == incident.id,
                col(ObligationRecord.live).is_(True),
                col(ObligationRecord.kind) == "legal",
            )
        )
        .one()
    )
    return int(total), int(still_open)


def assessment_started(call: Call, incident: Incident) -> None:
    _move(
        call,
        incident,
        lifecycle.after_assessment_started(incident.status),
        "risk assessment started",
    )


def assessment_signed(call: Call, incident: Incident, version: int) -> None:
    """After the signed facts' recompute: notices owed, none owed, or all already done."""
    total, still_open = _legal_counts(call, incident)
    _move(
        call,
        incident,
        lifecycle.after_signing(incident.status, total > 0, still_open),
        f"risk assessment v{version} signed",
    )


def duties_changed(call: Call, incident: Incident) -> None:
    """After any recompute (a notice recorded as sent or withdrawn, facts changed)."""
    if incident.status not in ("notification", "monitoring"):
        return
    total, still_open = _legal_counts(call, incident)
    _move(
        call,
        incident,
        lifecycle.after_duties_changed(incident.status, total, still_open),
        "every legal duty recorded as done" if not still_open else "a legal duty is open again",
    )
