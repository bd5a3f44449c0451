"""What the incident page shows of notices sent, returned mail, HHS addenda and the list.

A fixed number of queries whatever the number of rows (tests/web/test_query_counts.py); no name
or address from the affected-individual list, only its counts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import col, select

from incident_tracker.core.rule_names import rule_name
from incident_tracker.db.models import (
    Attachment,
    HhsAddendum,
    Incident,
    IndividualList,
    LetterRun,
    NoticeVersion,
    ObligationRecord,
    ReturnedMail,
    SentRecord,
    User,
)
from incident_tracker.services import discharges, sending
from incident_tracker.services.call import Call


@dataclass(frozen=True)
class SentRow:
    id: int
    sent_on: date
    method: str
    recipients: int | None
    reference: str
    note: str
    attachment_id: int | None
    attachment_name: str | None
    version: int | None
    deemed: bool
    by: str | None
    voided: bool


@dataclass(frozen=True)
class ObligationSent:
    id: int
    label: str  # rule id and State
    recipient: str
    done_on: date | None
    rows: list[SentRow] = field(default_factory=list)
    live: bool = True  # false: no longer owed (kept for its sent records)

    @property
    def status(self) -> str:
        """done, open or retired: the data-status of the incident page's rows."""
        return "retired" if not self.live else ("done" if self.done_on else "open")

    @property
    def total_recipients(self) -> int:
        return sum(r.recipients or 0 for r in self.rows if not r.voided)


@dataclass(frozen=True)
class SentSection:
    obligations: list[ObligationSent]
    returned: list[ReturnedMail]
    addenda: list[tuple[HhsAddendum, str]]  # with the HHS obligation's label
    hhs_reports: list[tuple[int, str]]  # recorded HHS reports an addendum can follow
    unreachable: int
    people: int | None  # on the confirmed list
    by_state: dict[str, int]
    run: LetterRun | None
    # Notices recorded before one that must precede them (N.J.S.A. 56:8-163(c)(1)), with why.
    order_breaches: list[discharges.OrderBreach] = field(default_factory=list)


def _label(record: ObligationRecord) -> str:
    """The duty's name with its rule id, never the id alone."""
    return rule_name(record.rule_id, record.state)


def build(call: Call, incident: Incident) -> SentSection:
    records = call.session.exec(
        select(ObligationRecord)
        .where(ObligationRecord.incident_id == incident.id, ObligationRecord.kind != "record")
        .order_by(col(ObligationRecord.id))
    ).all()
    sent = call.session.exec(
        select(SentRecord)
        .where(SentRecord.incident_id == incident.id)
        .order_by(col(SentRecord.sent_on), col(SentRecord.id))
    ).all()
    files = _names(call, Attachment, [r.attachment_id for r in sent])
    versions = _numbers(call, [r.notice_version_id for r in sent])
    returned = call.session.exec(
        select(ReturnedMail)
        .where(ReturnedMail.incident_id == incident.id)
        .order_by(col(ReturnedMail.returned_on), col(ReturnedMail.id))
    ).all()
    addenda = call.session.exec(
        select(HhsAddendum)
        .where(HhsAddendum.incident_id == incident.id)
        .order_by(col(HhsAddendum.submitted_on), col(HhsAddendum.id))
    ).all()
    people = _emails(call, [r.recorded_by for r in sent])
    rows: dict[int, list[SentRow]] = defaultdict(list)
    for r in sent:
        rows[r.obligation_id].append(
            SentRow(
                r.id or 0,
                r.sent_on,
                sending.method_label(r.method),
                r.recipients,
                r.reference,
                r.note,
                r.attachment_id,
                files.get(r.attachment_id or 0),
                versions.get(r.notice_version_id or 0),
                r.deemed_from_id is not None,
                people.get(r.recorded_by or 0),
                r.voided_at is not None,
            )
        )
    labels = {r.id: _label(r) for r in records}
    current = call.session.exec(
        select(IndividualList)
        .where(IndividualList.incident_id == incident.id, IndividualList.status == "confirmed")
        .order_by(col(IndividualList.id).desc())
    ).first()
    run = call.session.exec(
        select(LetterRun)
        .where(LetterRun.incident_id == incident.id)
        .order_by(col(LetterRun.id).desc())
    ).first()
    return SentSection(
        order_breaches=discharges.order_breaches(call, incident),
        obligations=[
            ObligationSent(
                r.id or 0,
                _label(r),
                json.loads(r.terms).get("recipient", ""),
                r.done_on,
                rows[r.id or 0],
                r.live,
            )
            for r in records
            if r.live or rows[r.id or 0]
        ],
        returned=list(returned),
        addenda=[(a, labels.get(a.obligation_id, "HHS")) for a in addenda],
        hhs_reports=[
            (r.id or 0, f"{_label(r)} sent {r.done_on}")
            for r in records
            if r.rule_id in sending.HHS_RULES and r.done_on is not None
        ],
        unreachable=incident.unreachable_individuals or 0,
        people=current.people if current else None,
        by_state=json.loads(current.by_state) if current else {},
        run=run,
    )


def _names(call: Call, model: type[Attachment], ids: list[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    found = call.session.exec(select(model).where(col(model.id).in_(wanted))).all()
    return {a.id or 0: a.original_name for a in found}


def _numbers(call: Call, ids: list[int | None]) -> dict[int, int]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    found = call.session.exec(select(NoticeVersion).where(col(NoticeVersion.id).in_(wanted))).all()
    return {v.id or 0: v.number for v in found}


def _emails(call: Call, ids: list[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    found = call.session.exec(select(User).where(col(User.id).in_(wanted))).all()
    return {u.id or 0: u.email for u in found}


def for_obligation(call: Call, incident: Incident, obligation_id: int) -> ObligationSent:
    """One obligation's history, for its record-sent page."""
    record = sending.obligation_of(call, incident, obligation_id)
    section = build(call, incident)
    found = next((o for o in section.obligations if o.id == record.id), None)
    return found or ObligationSent(record.id or 0, _label(record), "", record.done_on)
