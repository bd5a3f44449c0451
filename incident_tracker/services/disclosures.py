"""The accounting of disclosures (45 CFR 164.528): a breach is an impermissible disclosure, which
an individual may ask to have accounted for; the rows come from the incident (date, to whom, what,
why) and its confirmed affected-individual list. Privacy officers can also find a person by name
across incidents; each export and search is audited, without the name searched for (a hash).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlmodel import col, func, select

from incident_tracker.core import portal
from incident_tracker.core.notices.labels import element_labels
from incident_tracker.core.permissions import Action
from incident_tracker.core.spreadsheet import csv_text
from incident_tracker.db.models import AffectedIndividual, Incident, IndividualList
from incident_tracker.services import notice_details, register
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed

MAX_RESULTS = 200
COLUMNS = ("name", "disclosure_date", "to_whom", "what", "why", "incident")


@dataclass(frozen=True)
class Disclosure:
    """What the incident says about one disclosure: the same for everyone on its list."""

    on: str
    to_whom: str
    what: str
    why: str


@dataclass(frozen=True)
class Entry:
    individual_id: int
    name: str
    state: str
    incident_id: int
    number: str
    title: str
    disclosure: Disclosure


def disclosure_of(call: Call, incident: Incident) -> Disclosure:
    """Date (the day it happened, or its range, else "on or before" discovery), recipient, the
    information and the reason, in words an individual can read (164.528(b)(2))."""
    if incident.occurred_on and incident.occurred_until:
        on = f"{incident.occurred_on} to {incident.occurred_until}"
    elif incident.occurred_on:
        on = incident.occurred_on.isoformat()
    else:
        on = f"on or before {incident.discovered_on}"
    details = notice_details.details_for(call, incident)
    kind = portal.label(portal.BREACH_TYPES, incident.breach_type) or "breach"
    to_whom = (details.persons_involved or "").strip() or (
        f"an unauthorized person or persons not identified ({kind.lower()})"
    )
    try:
        elements = frozenset(json.loads(incident.data_elements))
    except ValueError:
        elements = frozenset()
    what = ", ".join(element_labels(elements)) or "information about you"
    why = (
        f"Not a permitted disclosure: {kind.lower()} — {incident.title}. "
        "Reported as a breach of unsecured protected health information."
    )
    return Disclosure(on, to_whom, what, why)


def _people(call: Call, incident: Incident, individual_id: int | None) -> list[AffectedIndividual]:
    confirmed = select(IndividualList.id).where(
        IndividualList.incident_id == incident.id, IndividualList.status == "confirmed"
    )
    query = select(AffectedIndividual).where(col(AffectedIndividual.list_id).in_(confirmed))
    if individual_id is not None:
        query = query.where(AffectedIndividual.id == individual_id)
    return list(call.session.exec(query.order_by(col(AffectedIndividual.name))))


def accounting_csv(call: Call, incident: Incident, individual_id: int | None) -> str:
    """One row per person on the confirmed list (or the one asked for); audited."""
    call.require(Action.MANAGE_INDIVIDUALS)
    people = _people(call, incident, individual_id)
    if individual_id is not None and not people:
        raise NotFound("no such individual on this incident's confirmed list")
    d = disclosure_of(call, incident)
    call.audit(
        "disclosures.export",
        object_type="incident",
        object_id=incident.id,
        new={"people": len(people), "individual": individual_id},
    )
    return csv_text(
        COLUMNS, ((p.name, d.on, d.to_whom, d.what, d.why, incident.number) for p in people)
    )


def search(call: Call, name: str) -> list[Entry]:
    """People whose name contains `name` (at least 3 characters, case-insensitive) on the
    confirmed lists of incidents the user may see; audited with a hash of the name only."""
    call.require(Action.MANAGE_INDIVIDUALS)
    wanted = " ".join(name.split())
    if len(wanted) < 3:
        raise ValidationFailed({"name": "type at least 3 letters of the name"})
    if len(wanted) > 200:
        raise ValidationFailed({"name": "at most 200 characters"})
    rows = call.session.exec(
        select(AffectedIndividual, Incident)
        .join(Incident, col(Incident.id) == AffectedIndividual.incident_id)
        .join(IndividualList, col(IndividualList.id) == AffectedIndividual.list_id)
        .where(
            IndividualList.status == "confirmed",
            func.lower(AffectedIndividual.name).contains(wanted.lower()),
            register.visible(call),
        )
        .order_by(col(AffectedIndividual.name), col(Incident.discovered_on))
        .limit(MAX_RESULTS)
    ).all()
    call.audit(
        "disclosures.search",
        new={
            "name_sha256": hashlib.sha256(wanted.lower().encode()).hexdigest(),
            "results": len(rows),
        },
    )
    said: dict[int, Disclosure] = {}  # one reading per incident, not per person
    for _, i in rows:
        if i.id not in said:
            said[i.id or 0] = disclosure_of(call, i)
    return [
        Entry(p.id or 0, p.name, p.state, i.id or 0, i.number, i.title, said[i.id or 0])
        for p, i in rows
    ]
