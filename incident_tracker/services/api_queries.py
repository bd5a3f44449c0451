"""What the JSON API lists beyond the register: duties across incidents, an incident's notices
with their approved files, its sent records. Restricted incidents are filtered in SQL, as in the
register (services/register.py), so none reaches a caller who may not see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import col, func, select

from incident_tracker.core.permissions import Action
from incident_tracker.db.models import (
    Incident,
    Notice,
    NoticeApproval,
    ObligationRecord,
    SentRecord,
)
from incident_tracker.services import notice_page
from incident_tracker.services.call import Call
from incident_tracker.services.register import local_today, visible

PAGE_SIZE = 100


@dataclass(frozen=True)
class DutyFilter:
    overdue: bool = False
    due_within: int | None = None
    jurisdiction: str = ""
    incident_id: int | None = None
    include_done: bool = False


def duties(call: Call, f: DutyFilter, page: int) -> tuple[list[dict[str, object]], int]:
    """Live legal duties of the incidents the caller may see, soonest due first."""
    call.require(Action.VIEW_INCIDENT)
    today = local_today(call)
    where = [
        visible(call),
        col(ObligationRecord.live).is_(True),
        col(ObligationRecord.kind) == "legal",
    ]
    if not f.include_done:
        where.append(col(ObligationRecord.done_on).is_(None))
    if f.overdue:
        where.append(col(ObligationRecord.due) < today)
    if f.due_within is not None:
        horizon: date = today + timedelta(days=f.due_within)
        where += [col(ObligationRecord.due) >= today, col(ObligationRecord.due) <= horizon]
    if f.jurisdiction:
        where.append(col(ObligationRecord.jurisdiction) == f.jurisdiction)
    if f.incident_id is not None:
        where.append(col(ObligationRecord.incident_id) == f.incident_id)
    joined = select(ObligationRecord, Incident.number).join(
        Incident, col(Incident.id) == ObligationRecord.incident_id
    )
    total = call.session.exec(
        select(func.count())
        .select_from(ObligationRecord)
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .where(*where)
    ).one()
    rows = call.session.exec(
        joined.where(*where)
        .order_by(
            col(ObligationRecord.due).is_(None),
            col(ObligationRecord.due),
            col(ObligationRecord.id),
        )
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return [
        {
            "id": r.id,
            "incident_id": r.incident_id,
            "incident_number": number,
            "rule_id": r.rule_id,
            "state": r.state,
            "jurisdiction": r.jurisdiction,
            "due": r.due,
            "outcome": r.outcome,
            "done_on": r.done_on,
        }
        for r, number in rows
    ], int(total)


def notices(call: Call, incident: Incident) -> list[dict[str, object]]:
    """The incident page's notices, each with the hashes of its approved DOCX and PDF."""
    summaries = notice_page.summaries(call, incident)
    files: dict[int, list[dict[str, object]]] = {}
    approvals = call.session.exec(
        select(Notice.obligation_id, NoticeApproval)
        .join(NoticeApproval, col(NoticeApproval.notice_id) == Notice.id)
        .where(Notice.incident_id == incident.id)
        .order_by(col(NoticeApproval.id))
    ).all()
    for obligation_id, approval in approvals:
        files.setdefault(obligation_id, []).extend(
            [
                {"format": "docx", "sha256": approval.docx_sha256, "size": approval.docx_size},
                {"format": "pdf", "sha256": approval.pdf_sha256, "size": approval.pdf_size},
            ]
        )
    return [
        {
            "obligation_id": s.obligation_id,
            "rule_id": s.rule_id,
            "state": s.state,
            "title": s.title,
            "review_state": s.review_state,
            "version": s.version,
            "due": s.due,
            "done": s.done,
            "approved_files": files.get(s.obligation_id, []),
        }
        for s in summaries
    ]


def sent_records(call: Call, incident: Incident) -> list[dict[str, object]]:
    rows = call.session.exec(
        select(SentRecord).where(SentRecord.incident_id == incident.id).order_by(col(SentRecord.id))
    ).all()
    return [
        {
            "id": r.id,
            "obligation_id": r.obligation_id,
            "sent_on": r.sent_on,
            "method": r.method,
            "recipients": r.recipients,
            "reference": r.reference,
            "voided": r.voided_at is not None,
            "recorded_at": r.recorded_at,
        }
        for r in rows
    ]
