"""The annual small-breach log: every incident discovered in a calendar year whose report to the
HHS Secretary is owed within 60 days after the end of that year (45 CFR 164.408(c), rule F5),
with the OCR breach portal's questions answered from the record (docs/law/federal.md).

A submission is recorded as a sent record of the F5 duty (services/sending.py), which marks F5 done
and moves every clock that runs from the HHS notice (N.Y. Gen. Bus. Law § 899-aa(9), NY5) in the
same transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.notices import NoticeKind
from incident_tracker.core.notices.drafting import prepare
from incident_tracker.core.spreadsheet import csv_text
from incident_tracker.db.mapping import incident_object
from incident_tracker.db.models import (
    CoveredEntityClient,
    Incident,
    IncidentState,
    LawEnforcementHold,
    NoticeDetailsRecord,
    ObligationRecord,
    Organisation,
    SentRecord,
)
from incident_tracker.services import (
    hold_voids,
    notice_details,
    notice_drafting,
    organisation,
    register,
    sending,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed

RULE = "F5"
MISSING = "[MISSING:"
DAYS_AFTER_YEAR_END = 60  # 164.408(c): "not later than 60 days after the end of each calendar year"
FIRST_YEAR = 2009  # the breach notification rule took effect on 23 September 2009


@dataclass(frozen=True)
class Question:
    section: str
    label: str
    answer: str

    @property
    def missing(self) -> bool:
        return MISSING in self.answer

    @property
    def heading(self) -> str:
        """The CSV column: the portal's section and question, in its order."""
        return f"{self.section}: {self.label}" if self.label else self.section


@dataclass(frozen=True)
class Submission:
    sent_on: date
    confirmation: str


@dataclass(frozen=True)
class LogEntry:
    incident_id: int
    number: str
    title: str
    discovered_on: date
    affected: int
    obligation_id: int
    due: date | None
    done_on: date | None
    submissions: tuple[Submission, ...]
    questions: tuple[Question, ...]

    @property
    def missing(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.missing)


def check_year(raw: str | int | None, today: date) -> int:
    """A calendar year from FIRST_YEAR to this year, else a field error."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationFailed({"year": "give a year such as 2026"}) from None
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed({"year": f"give a year from {FIRST_YEAR} to {today.year}"})
    return year


def _questions(call: Call, incidents: list[Incident]) -> dict[int, tuple[Question, ...]]:
    """The HHS worksheet's questions for each incident, read in six queries whatever their number:
    the same facts (obligations.facts_object) and notice details (notice_details.details_for) a
    draft reads, fetched for every incident at once."""
    ids = [i.id or 0 for i in incidents]
    if not ids:
        return {}
    states: dict[int, list[IncidentState]] = defaultdict(list)
    for row in call.session.exec(
        select(IncidentState).where(col(IncidentState.incident_id).in_(ids))
    ):
        states[row.incident_id].append(row)
    holds: dict[int, list[LawEnforcementHold]] = defaultdict(list)
    for hold in call.session.exec(
        select(LawEnforcementHold).where(
            col(LawEnforcementHold.incident_id).in_(ids), hold_voids.in_effect()
        )
    ):
        holds[hold.incident_id].append(hold)
    done: dict[int, dict[str, date]] = defaultdict(dict)
    for record in call.session.exec(
        select(ObligationRecord).where(
            col(ObligationRecord.incident_id).in_(ids),
            col(ObligationRecord.done_on).is_not(None),
            ObligationRecord.state == "",
        )
    ):
        if record.done_on is not None:
            done[record.incident_id][record.rule_id] = record.done_on
    saved = {
        r.incident_id: r
        for r in call.session.exec(
            select(NoticeDetailsRecord).where(col(NoticeDetailsRecord.incident_id).in_(ids))
        )
    }
    client_ids = [i.client_id for i in incidents if i.client_id]
    clients = {
        c.id: c
        for c in call.session.exec(
            select(CoveredEntityClient).where(col(CoveredEntityClient.id).in_(client_ids or [-1]))
        )
    }
    stored_org = call.session.get(Organisation, 1)  # None before the profile is first saved
    org_row = organisation.get(call)
    org = notice_drafting.organisation_for(call)
    out: dict[int, tuple[Question, ...]] = {}
    for incident in incidents:
        iid = incident.id or 0
        raw = json.loads(saved[iid].data) if iid in saved else {}
        details = notice_details.with_recorded(
            notice_details.parse_saved(raw if isinstance(raw, dict) else {}), incident, org_row
        )
        try:
            facts = parse_incident(
                incident_object(
                    incident,
                    states[iid],
                    holds[iid],
                    done[iid],
                    stored_org,
                    clients.get(incident.client_id),
                )
            )
        except FactsError:  # saved facts are validated on save; never fail the log on one
            out[iid] = (Question("Facts", "", "[MISSING: facts that the engine can read]"),)
            continue
        ctx = prepare(facts, org, details, NoticeKind.HHS)
        out[iid] = tuple(
            Question(section.title, f.label, f.value)
            for section in ctx.sections
            for f in section.fields
        )
    return out


def entries(call: Call, year: int) -> list[LogEntry]:
    """The year's log: incidents the user may see, discovered in `year`, with a live F5 duty."""
    rows = call.session.exec(
        select(Incident, ObligationRecord)
        .join(ObligationRecord, col(ObligationRecord.incident_id) == Incident.id)
        .where(
            ObligationRecord.rule_id == RULE,
            col(ObligationRecord.live).is_(True),
            col(Incident.discovered_on) >= date(year, 1, 1),
            col(Incident.discovered_on) <= date(year, 12, 31),
            Incident.status != "void",
            register.visible(call),
        )
        .order_by(col(Incident.discovered_on), col(Incident.id))
    ).all()
    ids = [o.id for _, o in rows]
    questions = _questions(call, [incident for incident, _ in rows])
    sent: dict[int, list[Submission]] = {}
    if ids:
        for s in call.session.exec(
            select(SentRecord)
            .where(col(SentRecord.obligation_id).in_(ids), col(SentRecord.voided_at).is_(None))
            .order_by(col(SentRecord.sent_on), col(SentRecord.id))
        ):
            sent.setdefault(s.obligation_id, []).append(Submission(s.sent_on, s.reference))
    return [
        LogEntry(
            incident.id or 0,
            incident.number,
            incident.title,
            incident.discovered_on,
            incident.total_affected,
            record.id or 0,
            record.due,
            record.done_on,
            tuple(sent.get(record.id or 0, ())),
            questions.get(incident.id or 0, ()),
        )
        for incident, record in rows
    ]


def record_submission(
    call: Call, incident: Incident, obligation_id: int, sent_on: date | None, confirmation: str
) -> SentRecord:
    """One annual-log submission through the OCR portal: the date and the portal's confirmation
    (transaction) number, as a sent record of the F5 duty."""
    record = sending.obligation_of(call, incident, obligation_id)
    if record.rule_id != RULE:
        raise NotFound("no such annual-log duty")
    errors: dict[str, str] = {}
    number = confirmation.strip()
    if sent_on is None:
        errors["sent_on"] = "enter the date of the submission"
    if not number:
        errors["confirmation"] = "enter the portal's confirmation number"
    if errors:
        raise ValidationFailed(errors)
    assert sent_on is not None
    try:
        return sending.record_sent(
            call,
            incident,
            obligation_id,
            sending.SentInput(
                sent_on=sent_on,
                method="portal",
                recipients=incident.total_affected,
                reference=number,
                note="annual small-breach log (45 CFR 164.408(c))",
            ),
        )
    except ValidationFailed as exc:  # the portal form names its fields differently
        renamed = {"reference": "confirmation"}
        raise ValidationFailed({renamed.get(k, k): v for k, v in exc.field_errors.items()}) from exc


FIXED_COLUMNS = (
    "incident",
    "discovered_on",
    "f5_due",
    "submitted_on",
    "confirmation_number",
    "missing_answers",
)


def to_csv(log: list[LogEntry]) -> str:
    """The log in the portal's field order, one row per incident, after the tracker's own
    columns (incident, due date, the latest submission); no cell can run as a formula."""
    headings: list[str] = []
    for entry in log:
        for q in entry.questions:
            if q.heading not in headings:
                headings.append(q.heading)
    rows = []
    for entry in log:
        answers = {q.heading: q.answer for q in entry.questions}
        last = entry.submissions[-1] if entry.submissions else None
        rows.append(
            [
                entry.number,
                entry.discovered_on.isoformat(),
                entry.due.isoformat() if entry.due else "",
                last.sent_on.isoformat() if last else "",
                last.confirmation if last else "",
                len(entry.missing),
                *(answers.get(h, "") for h in headings),
            ]
        )
    return csv_text([*FIXED_COLUMNS, *headings], rows)
