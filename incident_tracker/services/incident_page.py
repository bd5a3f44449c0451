"""Everything the incident page shows, prepared so the template only loops and tests flags."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from incident_tracker.core import portal
from incident_tracker.core.incident_types import BY_KEY
from incident_tracker.core.next_action import NextAction
from incident_tracker.core.obligations import NotEvaluated, NotRequired
from incident_tracker.core.vocabulary import DATA_ELEMENTS
from incident_tracker.db.models import (
    Attachment,
    CoveredEntityClient,
    Facility,
    Incident,
    LawEnforcementHold,
    ObligationRecord,
    ObligationVersion,
    User,
)
from incident_tracker.services import (
    break_glass,
    counsel_reviews,
    hold_voids,
    incidents,
    next_actions,
    notice_page,
    obligations,
    reminders,
    sent_page,
)
from incident_tracker.services.call import Call
from incident_tracker.services.register import local_today


@dataclass(frozen=True)
class ReminderRow:
    """One reminder of an obligation, upcoming or sent, at a time in the organisation's zone."""

    when: str  # what the step is, e.g. "7 days before"
    at: datetime  # sent_at once sent, else send_at; local time
    status: str  # upcoming | sending | sent
    attempts: int  # failed sends so far (retried with backoff)


@dataclass(frozen=True)
class ObligationRow:
    id: int
    rule_id: str
    state: str
    party: str
    live: bool
    terms: dict[str, Any]
    due: date | None
    days_left: int | None
    overdue: bool
    done_on: date | None
    done_method: str | None
    done_by: str | None
    version: int
    history: list[dict[str, Any]]
    reminders: list[ReminderRow]


@dataclass(frozen=True)
class IncidentPage:
    incident: Incident
    owner: str
    assignees: list[str]
    states: dict[str, int]
    data_elements: list[str]
    holds: list[LawEnforcementHold]  # voided ones too, kept six years (45 CFR 164.530(j))
    attachments: list[Attachment]
    client: str | None
    facility: str | None
    obligations: list[ObligationRow]
    retired: list[ObligationRow]
    not_required: tuple[NotRequired, ...]
    not_evaluated: tuple[NotEvaluated, ...]
    today: date
    type_label: str | None
    questions: tuple[str, ...]
    labels: dict[str, str]
    open_legal: int
    notices: list[notice_page.NoticeSummary]  # templates/incidents/_notices.html
    sent: sent_page.SentSection  # templates/incidents/_sent.html
    next_action: NextAction | None
    # Emergency access, 45 CFR 164.312(a)(2)(ii): who broke the glass, when, until when, why.
    break_glass_uses: list[break_glass.Use]
    hold_voids: dict[int, hold_voids.Void] = field(default_factory=dict)
    # Counsel's review of the rule set of each jurisdiction with a provisional duty here.
    counsel: dict[str, counsel_reviews.RuleSet] = field(default_factory=dict)


def _rows(call: Call, incident: Incident, today: date) -> list[ObligationRow]:
    records = call.session.exec(
        select(ObligationRecord)
        .where(ObligationRecord.incident_id == incident.id)
        .order_by(
            col(ObligationRecord.due).is_(None), col(ObligationRecord.due), col(ObligationRecord.id)
        )
    ).all()
    ids = [r.id for r in records]
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        for v in call.session.exec(
            select(ObligationVersion)
            .where(col(ObligationVersion.obligation_id).in_(ids))
            .order_by(col(ObligationVersion.obligation_id), col(ObligationVersion.version))
        ):
            terms = json.loads(v.terms)
            history[v.obligation_id].append(
                {
                    "version": v.version,
                    "at": v.computed_at,
                    "live": v.live,
                    "due": terms.get("due"),
                    "cause": v.cause,
                }
            )
    people = (
        {
            u.id: u.email
            for u in call.session.exec(
                select(User).where(col(User.id).in_([r.done_by for r in records if r.done_by]))
            )
        }
        if any(r.done_by for r in records)
        else {}
    )
    planned = reminders.for_obligations(call, [r.id or 0 for r in records])
    zone = reminders.zone(call)
    out = []
    for r in records:
        days = (r.due - today).days if r.due else None
        out.append(
            ObligationRow(
                r.id or 0,
                r.rule_id,
                r.state,
                r.party,
                r.live,
                json.loads(r.terms),
                r.due,
                days,
                bool(days is not None and days < 0 and r.done_on is None and r.kind == "legal"),
                r.done_on,
                r.done_method,
                people.get(r.done_by) if r.done_by else None,
                r.version,
                history[r.id or 0],
                [
                    ReminderRow(
                        step_label(m.offset),
                        (m.sent_at or m.send_at).astimezone(zone),
                        REMINDER_STATUS.get(m.status, m.status),
                        m.attempts,
                    )
                    for m in planned[r.id or 0]
                ],
            )
        )
    return out


REMINDER_STATUS = {"pending": "upcoming", "claimed": "sending", "sent": "sent"}
_FIXED_STEPS = {
    "d0": "on the due day",
    "h0": "at the deadline",
    "created": "when the duty arose",
    "soon": "due soon (the earlier steps had passed)",
    "late": "overdue when the duty arose",
}


def step_label(offset: str) -> str:
    """A reminder step in words: d-7 "7 days before", o+2 "2 days overdue", o+w1 "overdue,
    weekly (1)", n3 "nudge 3", h-24 "24 hours before"."""
    if offset in _FIXED_STEPS:
        return _FIXED_STEPS[offset]
    number = "".join(ch for ch in offset if ch.isdigit())
    plural = "" if number == "1" else "s"
    if offset.startswith("d-"):
        return f"{number} day{plural} before"
    if offset.startswith("h-"):
        return f"{number} hour{plural} before"
    if offset.startswith("o+w"):
        return f"overdue, weekly ({number})"
    if offset.startswith("o+"):
        return f"{number} day{plural} overdue"
    if offset.startswith("n"):
        return f"nudge {number}"
    return offset


def build(call: Call, incident: Incident) -> IncidentPage:
    today = local_today(call)
    rows = _rows(call, incident, today)
    result = obligations.evaluate(call, incident)
    owner = call.session.get(User, incident.owner_id)
    assignee_ids = incidents.assignees_of(call, incident)
    assignees = (
        [u.email for u in call.session.exec(select(User).where(col(User.id).in_(assignee_ids)))]
        if assignee_ids
        else []
    )
    client = (
        call.session.get(CoveredEntityClient, incident.client_id) if incident.client_id else None
    )
    facility = call.session.get(Facility, incident.facility_id) if incident.facility_id else None
    kind = BY_KEY.get(incident.incident_type or "")
    holds = list(
        call.session.exec(
            select(LawEnforcementHold)
            .where(LawEnforcementHold.incident_id == incident.id)
            .order_by(col(LawEnforcementHold.statement_date))
        )
    )
    labels = {
        "breach_type": portal.label(portal.BREACH_TYPES, incident.breach_type),
        "location": portal.label(portal.LOCATIONS, incident.location),
        "safeguards": ", ".join(
            portal.label(portal.SAFEGUARDS, s) for s in json.loads(incident.safeguards)
        )
        or "none recorded",
        "corrective_actions": ", ".join(
            portal.label(portal.CORRECTIVE_ACTIONS, s)
            for s in json.loads(incident.corrective_actions)
        )
        or "none recorded",
    }
    elements = [e for e in json.loads(incident.data_elements) if e in DATA_ELEMENTS]
    return IncidentPage(
        incident=incident,
        owner=owner.email if owner else "?",
        assignees=assignees,
        states=incidents.states_of(call, incident),
        data_elements=elements,
        holds=holds,
        hold_voids=hold_voids.voids_of(call, [h.id or 0 for h in holds]),
        attachments=list(
            call.session.exec(
                select(Attachment)
                .where(Attachment.incident_id == incident.id)
                .order_by(col(Attachment.uploaded_at))
            )
        ),
        client=client.name if client else None,
        facility=facility.name if facility else None,
        obligations=[r for r in rows if r.live],
        retired=[r for r in rows if not r.live],
        not_required=result.not_required,
        not_evaluated=result.not_evaluated,
        today=today,
        type_label=kind.label if kind else None,
        questions=kind.questions if kind else (),
        labels=labels,
        open_legal=incidents.open_obligations(call, incident),
        notices=notice_page.summaries(call, incident),
        sent=sent_page.build(call, incident),
        next_action=next_actions.for_incident(call, incident),
        # only a restricted incident can be opened by break-glass: no query for the others
        break_glass_uses=break_glass.uses(call, incident.id or 0) if incident.restricted else [],
        counsel=counsel_reviews.for_duties(
            call, [r.terms.get("jurisdiction") for r in rows if r.terms.get("provisional")]
        ),
    )
