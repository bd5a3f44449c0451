"""What each section of an incident shows, prepared so the template only loops and tests flags;
each section reads only its own rows."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from incident_tracker.core import portal
from incident_tracker.core.incident_types import BY_KEY
from incident_tracker.core.jurisdictions import registry
from incident_tracker.core.obligations import NotEvaluated, NotRequired
from incident_tracker.core.vocabulary import DATA_ELEMENTS
from incident_tracker.db.models import (
    Attachment,
    CoveredEntityClient,
    Facility,
    Incident,
    LawEnforcementHold,
    Notice,
    ObligationRecord,
    ObligationVersion,
    SentRecord,
    User,
)
from incident_tracker.services import (
    break_glass,
    counsel_reviews,
    discharges,
    hold_voids,
    incidents,
    notice_page,
    obligations,
    reminders,
    sent_page,
)
from incident_tracker.services.call import Call
from incident_tracker.services.register import local_today
from incident_tracker.services.work_queues import assignable


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
    assignee_id: int | None = None  # the person the duty is given to (services/work_queues.py)


@dataclass(frozen=True)
class Settles:
    """A State duty one HIPAA individual letter would settle or leave open when recorded here
    (services/discharges.py: no letter text recorded, so only a duty the statute deems met)."""

    rule_id: str
    state: str
    settles: bool
    why: str


@dataclass(frozen=True)
class IncidentPage:
    """One section's content; a section fills only its own fields (the rest stay empty)."""

    incident: Incident
    today: date
    owner: str = ""
    assignees: list[str] = field(default_factory=list)
    states: dict[str, int] = field(default_factory=dict)
    data_elements: list[str] = field(default_factory=list)
    holds: list[LawEnforcementHold] = field(default_factory=list)  # voided too (164.530(j))
    attachments: list[Attachment] = field(default_factory=list)
    client: str | None = None
    facility: str | None = None
    obligations: list[ObligationRow] = field(default_factory=list)
    assignable: list[tuple[int, str]] = field(default_factory=list)  # who a duty may be given to
    retired: list[ObligationRow] = field(default_factory=list)
    not_required: tuple[NotRequired, ...] = ()
    not_evaluated: tuple[NotEvaluated, ...] = ()
    # Facts the law caps or questions but the engine accepts (the FIPS 140-2 safe harbor, the
    # CDPH hold caps): shown beside the duties, never refused.
    warnings: tuple[str, ...] = ()
    type_label: str | None = None
    questions: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    open_legal: int = 0
    notices: list[notice_page.NoticeSummary] = field(default_factory=list)
    sent: sent_page.SentSection | None = None
    # Emergency access, 45 CFR 164.312(a)(2)(ii): who broke the glass, when, until when, why.
    break_glass_uses: list[break_glass.Use] = field(default_factory=list)
    hold_voids: dict[int, hold_voids.Void] = field(default_factory=dict)
    # Counsel's review of the rule set of each jurisdiction with a provisional duty here.
    counsel: dict[str, counsel_reviews.RuleSet] = field(default_factory=dict)
    settles: dict[int, list[Settles]] = field(default_factory=dict)  # by the letter's duty id


def _rows(
    call: Call, incident: Incident, today: date, with_history: bool = True
) -> list[ObligationRow]:
    records = call.session.exec(
        select(ObligationRecord)
        .where(ObligationRecord.incident_id == incident.id)
        .order_by(
            col(ObligationRecord.due).is_(None), col(ObligationRecord.due), col(ObligationRecord.id)
        )
    ).all()
    ids = [r.id for r in records]
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids and with_history:
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
                r.assignee_id,
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


def _people(call: Call, ids: Sequence[int]) -> list[str]:
    if not ids:
        return []
    found = call.session.exec(select(User).where(col(User.id).in_(ids)).order_by(col(User.email)))
    return [u.email for u in found]


def _would_settle(
    call: Call, incident: Incident, rows: list[ObligationRow]
) -> dict[int, list[Settles]]:
    """For each open HIPAA individual letter duty: what recording it here (no letter text) would
    settle, by the rules of services/discharges.py (N.Y. Gen. Bus. Law 899-aa(2)(b) deems the
    HIPAA letter the NY notice; another State's duty needs the approved letter's text). Two
    statements whatever the number of duties."""
    leads = [r for r in rows if r.rule_id == discharges.LEAD and r.done_on is None]
    if not leads:
        return {}
    own = set(
        call.session.exec(select(Notice.obligation_id).where(Notice.incident_id == incident.id))
    )
    alone = set(
        call.session.exec(
            select(SentRecord.obligation_id).where(
                SentRecord.incident_id == incident.id,
                col(SentRecord.voided_at).is_(None),
                col(SentRecord.deemed_from_id).is_(None),
            )
        )
    )
    out: dict[int, list[Settles]] = {}
    for lead in leads:
        found = []
        for r in rows:
            if r.rule_id not in discharges.STATE_DUTIES or r.party != lead.party or r.done_on:
                continue
            if r.id in own:
                found.append(Settles(r.rule_id, r.state, False, "it has a State letter of its own"))
            elif r.id in alone:
                found.append(
                    Settles(r.rule_id, r.state, False, "it is recorded as sent on its own")
                )
            elif registry.met_by_hipaa_letter(r.rule_id, str(r.terms.get("citation", ""))):
                found.append(Settles(r.rule_id, r.state, True, ""))
            else:
                why = "record the approved letter (Record sent…) to settle it with this mailing"
                found.append(Settles(r.rule_id, r.state, False, why))
        out[lead.id] = found
    return out


def obligations_section(call: Call, incident: Incident) -> IncidentPage:
    """The duties, compact: dates, days left, the mark-done form; their history is elsewhere."""
    today = local_today(call)
    rows = _rows(call, incident, today, with_history=False)
    live = [r for r in rows if r.live]
    result = obligations.evaluate(call, incident)
    return IncidentPage(
        incident,
        today,
        obligations=live,
        retired=[r for r in rows if not r.live],
        not_required=result.not_required,
        not_evaluated=result.not_evaluated,
        warnings=result.warnings,
        counsel=counsel_reviews.for_duties(
            call, [r.terms.get("jurisdiction") for r in rows if r.terms.get("provisional")]
        ),
        settles=_would_settle(call, incident, live),
        assignable=[(u.id or 0, u.display_name or u.email) for u in assignable(call, incident)],
    )


def notices_section(call: Call, incident: Incident) -> IncidentPage:
    return IncidentPage(
        incident,
        local_today(call),
        notices=notice_page.summaries(call, incident),
        sent=sent_page.build(call, incident),
    )


def facts_section(call: Call, incident: Incident) -> IncidentPage:
    client = (
        call.session.get(CoveredEntityClient, incident.client_id) if incident.client_id else None
    )
    facility = call.session.get(Facility, incident.facility_id) if incident.facility_id else None
    kind = BY_KEY.get(incident.incident_type or "")
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
        # Residents outside the U.S. and a business associate's clients (JSON on the incident).
        "outside_us": ", ".join(
            f"{country} {count:,}"
            for country, count in json.loads(incident.affected_outside_us or "{}").items()
        ),
        "ce_clients": ", ".join(
            f"{name} ({f'told {told}' if told else 'not yet told'})"
            for name, told in json.loads(incident.ce_clients_notified or "{}").items()
        ),
    }
    return IncidentPage(
        incident,
        local_today(call),
        states=incidents.states_of(call, incident),
        data_elements=[e for e in json.loads(incident.data_elements) if e in DATA_ELEMENTS],
        client=client.name if client else None,
        facility=facility.name if facility else None,
        type_label=kind.label if kind else None,
        questions=kind.questions if kind else (),
        labels=labels,
    )


def evidence_section(call: Call, incident: Incident) -> IncidentPage:
    """Law-enforcement statements (voided ones too, kept six years, 45 CFR 164.530(j)) and
    attachments."""
    holds = list(
        call.session.exec(
            select(LawEnforcementHold)
            .where(LawEnforcementHold.incident_id == incident.id)
            .order_by(col(LawEnforcementHold.statement_date))
        )
    )
    return IncidentPage(
        incident,
        local_today(call),
        holds=holds,
        hold_voids=hold_voids.voids_of(call, [h.id or 0 for h in holds]),
        attachments=list(
            call.session.exec(
                select(Attachment)
                .where(Attachment.incident_id == incident.id)
                .order_by(col(Attachment.uploaded_at))
            )
        ),
    )


def people_section(call: Call, incident: Incident) -> IncidentPage:
    """Who owns and works on it, who is affected where, and emergency access to it."""
    owner = call.session.get(User, incident.owner_id)
    return IncidentPage(
        incident,
        local_today(call),
        owner=owner.email if owner else "?",
        assignees=_people(call, incidents.assignees_of(call, incident)),
        states=incidents.states_of(call, incident),
        # only a restricted incident can be opened by break-glass: no query for the others
        break_glass_uses=break_glass.uses(call, incident.id or 0) if incident.restricted else [],
    )


def history_section(call: Call, incident: Incident) -> IncidentPage:
    """Every computation of every duty, the duties no longer owed, and the status."""
    today = local_today(call)
    rows = _rows(call, incident, today)
    return IncidentPage(
        incident,
        today,
        obligations=[r for r in rows if r.live],
        retired=[r for r in rows if not r.live],
        open_legal=incidents.open_obligations(call, incident),
    )


SECTIONS = {
    "obligations": obligations_section,
    "notices": notices_section,
    "facts": facts_section,
    "evidence": evidence_section,
    "people": people_section,
    "history": history_section,
}
