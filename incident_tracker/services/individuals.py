"""The affected-individual list of an incident: upload, check, confirm.

The list is PHI: its rows live only in the database, read through the incident's access check;
no name or address goes into a URL, an e-mail, a log or an audit row (audit rows carry counts).
Confirming a list makes its per-State counts the incident's and recomputes the obligations in the
same transaction; a newer list supersedes the older one, which is kept (45 CFR 164.530(j)).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import col, select

from incident_tracker.core import individuals as core
from incident_tracker.core.individuals import Address, ListCheck, Person
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import AffectedIndividual, Incident, IncidentState, IndividualList
from incident_tracker.services import obligations
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, ValidationFailed

MAX_CSV_BYTES = 15 * 1024 * 1024  # under the app's 16 MB request limit; 50,000 rows is ~5 MB
INSERT_BATCH = 5_000
SHOWN_DUPLICATES = 1_000  # kept for the preview; the count is always exact


@dataclass(frozen=True)
class Upload:
    """What an upload gave: the check (errors by line) and, when it passed, the pending list."""

    check: ListCheck
    pending: IndividualList | None


def upload(call: Call, incident: Incident, content: bytes) -> Upload:
    """Check every row; a clean file becomes the pending list (replacing an earlier pending one),
    to be confirmed after the preview. A file with errors stores nothing."""
    call.require(Action.MANAGE_INDIVIDUALS)
    if not content:
        raise ValidationFailed({"file": "choose a CSV file"})
    if len(content) > MAX_CSV_BYTES:
        raise ValidationFailed({"file": f"lists are limited to {MAX_CSV_BYTES // 2**20} MB"})
    check = core.check(content)
    counts = {"rows": check.rows_read, "errors": len(check.errors)}
    if not check.ok:
        call.audit(
            "individuals.upload_rejected", object_type="incident", object_id=incident.id, new=counts
        )
        return Upload(check, None)
    _drop_pending(call, incident)
    row = IndividualList(
        incident_id=incident.id or 0,
        rows_read=check.rows_read,
        people=len(check.people),
        duplicates=len(check.duplicates),
        deceased=check.deceased,
        without_letter=check.without_letter,
        by_state=json.dumps(check.by_state),
        duplicate_lines=json.dumps(
            [[d.line, d.first_line] for d in check.duplicates[:SHOWN_DUPLICATES]]
        ),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=call.actor.user_id,
        uploaded_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    _store(call, incident, row, check.people)
    call.audit(
        "individuals.upload",
        object_type="incident",
        object_id=incident.id,
        new={
            **counts,
            "people": row.people,
            "duplicates": row.duplicates,
            "by_state": check.by_state,
            "sha256": row.sha256,
        },
    )
    return Upload(check, row)


def _store(call: Call, incident: Incident, row: IndividualList, people: Sequence[Person]) -> None:
    """Plain multi-row INSERTs: 50,000 people in a few seconds, in the caller's transaction."""
    for start in range(0, len(people), INSERT_BATCH):
        batch = [_values(incident, row, p) for p in people[start : start + INSERT_BATCH]]
        call.session.execute(insert(AffectedIndividual), batch)


def _values(incident: Incident, row: IndividualList, p: Person) -> dict[str, Any]:
    kin = p.next_of_kin_address or Address("", "", "", "", "")
    return {
        "list_id": row.id,
        "incident_id": incident.id,
        "line": p.line,
        "name": p.name,
        "address_line1": p.address.line1,
        "address_line2": p.address.line2,
        "city": p.address.city,
        "state": p.address.state,
        "zip": p.address.zip,
        "email": p.email,
        "deceased": p.deceased,
        "next_of_kin_name": p.next_of_kin,
        "next_of_kin_address_line1": kin.line1,
        "next_of_kin_address_line2": kin.line2,
        "next_of_kin_city": kin.city,
        "next_of_kin_state": kin.state,
        "next_of_kin_zip": kin.zip,
    }


def person_of(row: AffectedIndividual) -> Person:
    """A stored row back to the core's person (for the merged letters)."""
    kin = (
        Address(
            row.next_of_kin_address_line1,
            row.next_of_kin_address_line2,
            row.next_of_kin_city,
            row.next_of_kin_state,
            row.next_of_kin_zip,
        )
        if row.next_of_kin_address_line1
        else None
    )
    address = Address(row.address_line1, row.address_line2, row.city, row.state, row.zip)
    return Person(row.line, row.name, address, row.email, row.deceased, row.next_of_kin_name, kin)


def _drop_pending(call: Call, incident: Incident) -> int:
    """A pending list never confirmed is not a record: its people are deleted; the list row stays
    as "discarded" (counts only), so its id is never reused by a later upload."""
    pending = pending_list(call, incident)
    if pending is None:
        return 0
    call.session.execute(
        delete(AffectedIndividual).where(col(AffectedIndividual.list_id) == pending.id)
    )
    pending.status = "discarded"
    call.session.add(pending)
    call.session.flush()
    return pending.people


def pending_list(call: Call, incident: Incident) -> IndividualList | None:
    return _latest(call, incident, "pending")


def current_list(call: Call, incident: Incident) -> IndividualList | None:
    return _latest(call, incident, "confirmed")


def _latest(call: Call, incident: Incident, status: str) -> IndividualList | None:
    return call.session.exec(
        select(IndividualList)
        .where(IndividualList.incident_id == incident.id, IndividualList.status == status)
        .order_by(col(IndividualList.id).desc())
    ).first()


def discard(call: Call, incident: Incident) -> None:
    call.require(Action.MANAGE_INDIVIDUALS)
    dropped = _drop_pending(call, incident)
    call.audit(
        "individuals.discard",
        object_type="incident",
        object_id=incident.id,
        old={"people": dropped},
    )


def confirm(call: Call, incident: Incident, list_id: int) -> IndividualList:
    """The pending list becomes the incident's: its per-State counts and total replace the
    incident's, and the obligations are recomputed in this transaction."""
    call.require(Action.MANAGE_INDIVIDUALS)
    pending = pending_list(call, incident)
    if pending is None or pending.id != list_id:
        raise Conflict("that list is no longer waiting for confirmation; upload it again")
    previous = current_list(call, incident)
    if previous is not None:
        previous.status, previous.superseded_at = "superseded", call.now
        call.session.add(previous)
    pending.status, pending.confirmed_by, pending.confirmed_at = (
        "confirmed",
        call.actor.user_id,
        call.now,
    )
    call.session.add(pending)
    old = {"by_state": states_of(call, incident), "total_affected": incident.total_affected}
    new_states: dict[str, int] = json.loads(pending.by_state)
    _set_states(call, incident, new_states.items())
    incident.total_affected, incident.count_is_estimate = pending.people, False
    incident.updated_at = call.now
    incident.lock_version += 1
    call.session.add(incident)
    call.session.flush()
    call.audit(
        "individuals.confirm",
        object_type="incident",
        object_id=incident.id,
        old=old,
        new={"by_state": new_states, "total_affected": pending.people, "list_id": pending.id},
    )
    obligations.recompute(
        call, incident, f"affected-individual list confirmed ({pending.people:,} people)"
    )
    return pending


def states_of(call: Call, incident: Incident) -> dict[str, int]:
    rows = call.session.exec(
        select(IncidentState).where(IncidentState.incident_id == incident.id)
    ).all()
    return dict(sorted((r.state, r.count) for r in rows))


def _set_states(call: Call, incident: Incident, counts: Iterable[tuple[str, int]]) -> None:
    call.session.execute(delete(IncidentState).where(col(IncidentState.incident_id) == incident.id))
    for state, count in counts:
        call.session.add(IncidentState(incident_id=incident.id or 0, state=state, count=count))
    call.session.flush()


@dataclass(frozen=True)
class Summary:
    """The list page without PHI: counts, the duplicates' line numbers, the change to confirm."""

    current: IndividualList | None
    pending: IndividualList | None
    current_states: dict[str, int]
    pending_states: dict[str, int]
    incident_states: dict[str, int]
    duplicate_lines: list[tuple[int, int]]


def summary(call: Call, incident: Incident) -> Summary:
    current, pending = current_list(call, incident), pending_list(call, incident)
    return Summary(
        current=current,
        pending=pending,
        current_states=json.loads(current.by_state) if current else {},
        pending_states=json.loads(pending.by_state) if pending else {},
        incident_states=states_of(call, incident),
        duplicate_lines=[(a, b) for a, b in json.loads(pending.duplicate_lines)] if pending else [],
    )
