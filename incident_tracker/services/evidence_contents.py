"""What goes in an incident's evidence file: every document behind its dates and duties, as
(path, bytes) pairs for the signed ZIP (services/evidence_files.py).

45 CFR 164.414(b) puts the burden of proof on the organisation and 164.530(j) asks for six years of
documentation: the summary PDF (facts, timeline, each duty with its reason and how and when it was
met), the signed assessments, every approved notice file, the sent records and returned mail, the
law-enforcement statements, the attachments and the incident's audit trail with the chain's
verification. Risk assessments and legal comments are privileged: left out unless asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import col, or_, select

from incident_tracker.config import PROJECT_ROOT
from incident_tracker.core.rule_names import RULE_NAMES
from incident_tracker.core.spreadsheet import csv_text
from incident_tracker.db.models import (
    AssessmentRecord,
    Attachment,
    AuditEvent,
    HhsAddendum,
    Incident,
    LawEnforcementHold,
    Notice,
    NoticeApproval,
    NoticeVersion,
    ObligationRecord,
    ReturnedMail,
    SentRecord,
)
from incident_tracker.services import assessments, sending
from incident_tracker.services.audit_statement import (
    PRIVILEGED,
    Sources,
    audit_csv,
    chain_statement,
)
from incident_tracker.services.call import Call


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The document templates outside Flask: the scheduler and the command line build too."""
    env = Environment(
        loader=FileSystemLoader(str(PROJECT_ROOT / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.globals["PRIVILEGED"] = PRIVILEGED
    return env


@dataclass(frozen=True)
class DutyLine:
    rule: str
    state: str
    recipient: str
    citation: str
    reason: str
    due: date | None
    done_on: date | None
    how: str
    late_by: int | None
    late_reason: str


def _duties(call: Call, incident: Incident, sent: list[SentRecord]) -> list[DutyLine]:
    rows = call.session.exec(
        select(ObligationRecord)
        .where(ObligationRecord.incident_id == incident.id, col(ObligationRecord.live).is_(True))
        .order_by(col(ObligationRecord.due), col(ObligationRecord.rule_id))
    ).all()
    by_duty: dict[int, list[SentRecord]] = {}
    for s in sent:
        if s.voided_at is None:
            by_duty.setdefault(s.obligation_id, []).append(s)
    out = []
    for r in rows:
        terms: dict[str, Any] = json.loads(r.terms)
        first = min(by_duty.get(r.id or 0, []), key=lambda s: s.sent_on, default=None)
        how = ""
        if r.done_on:
            how = f"{sending.method_label(r.done_method)} on {r.done_on}"
            how += f", reference {r.done_reference}" if r.done_reference else ""
        late = (r.done_on - r.due).days if r.done_on and r.due and r.done_on > r.due else None
        reason = ""
        if late is not None:
            given = (
                [x for x in (first.note, first.order_reason, first.stale_reason) if x]
                if first
                else []
            )
            reason = "; ".join(given) or "no reason recorded"
        out.append(
            DutyLine(
                r.rule_id,
                r.state,
                str(terms.get("recipient") or RULE_NAMES.get(r.rule_id, r.rule_id)),
                str(terms.get("citation") or ""),
                str(terms.get("reason") or ""),
                r.due,
                r.done_on,
                how,
                late,
                reason,
            )
        )
    return out


def _timeline(
    incident: Incident,
    holds: list[LawEnforcementHold],
    records: list[AssessmentRecord],
    sent: list[SentRecord],
    returned: list[ReturnedMail],
    duty_names: dict[int, str],
) -> list[tuple[date, str]]:
    events: list[tuple[date, str]] = []
    if incident.occurred_on:
        events.append((incident.occurred_on, "breach occurred (first day known)"))
    events.append((incident.discovered_on, "breach discovered (45 CFR 164.404(a)(2))"))
    if incident.privacy_office_learned_on:
        events.append((incident.privacy_office_learned_on, "privacy office learned of it"))
    for h in holds:
        until = f" until {h.delay_until}" if h.delay_until else ""
        events.append((h.statement_date, f"{h.form} law-enforcement statement{until}"))
    for a in records:
        events.append((a.signed_on, f"risk assessment v{a.version} signed: {a.outcome}"))
    for s in sent:
        void = " (voided)" if s.voided_at else ""
        name = duty_names.get(s.obligation_id, "notice")
        events.append((s.sent_on, f"{name} sent by {sending.method_label(s.method)}{void}"))
    for m in returned:
        events.append((m.returned_on, f"{m.count} letter(s) returned undeliverable"))
    return sorted(events, key=lambda e: e[0])


def _audit_rows(
    call: Call, incident: Incident, duty_ids: list[int], notice_ids: list[int]
) -> list[AuditEvent]:
    """The incident's own events, its duties' and its notices'."""
    mine = [
        (col(AuditEvent.object_type) == "incident")
        & (col(AuditEvent.object_id) == str(incident.id))
    ]
    if duty_ids:
        mine.append(
            (col(AuditEvent.object_type) == "obligation")
            & col(AuditEvent.object_id).in_([str(i) for i in duty_ids])
        )
    if notice_ids:
        mine.append(
            (col(AuditEvent.object_type) == "notice")
            & col(AuditEvent.object_id).in_([str(i) for i in notice_ids])
        )
    return list(
        call.session.exec(select(AuditEvent).where(or_(*mine)).order_by(col(AuditEvent.id)))
    )


def _safe(name: str) -> str:
    kept = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)
    return kept.strip("._") or "file"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def collect(
    call: Call,
    incident: Incident,
    sources: Sources,
    include_privileged: bool,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[str, bytes]]:
    """Every file of the evidence ZIP but the manifest, its signature and the public key."""
    from incident_tracker.documents.pdf import html_to_pdf

    iid = incident.id
    duties = list(
        call.session.exec(select(ObligationRecord).where(ObligationRecord.incident_id == iid))
    )
    duty_names = {d.id or 0: f"{d.rule_id} {d.state}".strip() for d in duties}
    sent = list(
        call.session.exec(
            select(SentRecord).where(SentRecord.incident_id == iid).order_by(col(SentRecord.id))
        )
    )
    returned = list(
        call.session.exec(
            select(ReturnedMail)
            .where(ReturnedMail.incident_id == iid)
            .order_by(col(ReturnedMail.id))
        )
    )
    addenda = list(
        call.session.exec(
            select(HhsAddendum).where(HhsAddendum.incident_id == iid).order_by(col(HhsAddendum.id))
        )
    )
    holds = list(
        call.session.exec(
            select(LawEnforcementHold)
            .where(LawEnforcementHold.incident_id == iid)
            .order_by(col(LawEnforcementHold.id))
        )
    )
    attachments = list(
        call.session.exec(
            select(Attachment).where(Attachment.incident_id == iid).order_by(col(Attachment.id))
        )
    )
    records = assessments.records(call, incident)
    notices = list(call.session.exec(select(Notice).where(Notice.incident_id == iid)))
    approvals = call.session.exec(
        select(NoticeApproval, NoticeVersion)
        .join(NoticeVersion, col(NoticeVersion.id) == NoticeApproval.version_id)
        .where(col(NoticeApproval.notice_id).in_([n.id for n in notices] or [-1]))
        .order_by(col(NoticeApproval.id))
    ).all()
    events = _audit_rows(call, incident, [d.id or 0 for d in duties], [n.id or 0 for n in notices])
    chain = chain_statement(call, sources)
    total = 6 + len(approvals) * 2 + len(attachments) + (len(records) if include_privileged else 0)
    files: list[tuple[str, bytes]] = []

    def add(path: str, content: bytes) -> None:
        files.append((path, content))
        if progress is not None:
            progress(len(files), total)

    outcome = records[-1].outcome if records else None
    summary = (
        templates()
        .get_template("proof/evidence_summary.html")
        .render(
            i=incident,
            duties=_duties(call, incident, sent),
            timeline=_timeline(incident, holds, records, sent, returned, duty_names),
            outcome=outcome,
            signed=records[-1] if records else None,
            chain=chain,
            include_privileged=include_privileged,
            generated=call.now,
            withheld=0 if include_privileged else len(records),
        )
    )
    add("summary.pdf", html_to_pdf(summary))
    if include_privileged:
        for record in records:
            page = assessments.record_page(call, incident, record.version)
            html = (
                templates()
                .get_template("assessment/record_pdf.html")
                .render(r=page, i=incident, at=call.now, privileged_mark=PRIVILEGED)
            )
            add(f"assessments/risk-assessment-v{record.version}.pdf", html_to_pdf(html))
    notice_duty = {n.id: duty_names.get(n.obligation_id, n.kind) for n in notices}
    for approval, version in approvals:
        stem = f"notices/{_safe(notice_duty.get(approval.notice_id, 'notice'))}-v{version.number}"
        for ext, name in (("pdf", approval.pdf_storage), ("docx", approval.docx_storage)):
            content = _read(sources.notice_storage / name)
            add(
                f"{stem}.{ext}",
                content if content is not None else b"(file missing from storage)\n",
            )
    add(
        "sending/sent-records.csv",
        csv_text(
            (
                "duty",
                "sent_on",
                "method",
                "recipients",
                "reference",
                "note",
                "order_reason",
                "stale_reason",
                "recorded_at_utc",
                "voided_at_utc",
            ),
            (
                (
                    duty_names.get(s.obligation_id, ""),
                    s.sent_on,
                    sending.method_label(s.method),
                    s.recipients,
                    s.reference,
                    s.note,
                    s.order_reason,
                    s.stale_reason,
                    s.recorded_at,
                    s.voided_at or "",
                )
                for s in sent
            ),
        ).encode(),
    )
    add(
        "sending/returned-mail-and-hhs-addenda.csv",
        csv_text(
            ("what", "date", "count", "running_total_or_reference", "note"),
            [("returned mail", m.returned_on, m.count, m.total_after, m.note) for m in returned]
            + [
                ("HHS addendum", a.submitted_on, a.affected_count, a.reference, a.note)
                for a in addenda
            ],
        ).encode(),
    )
    add(
        "law-enforcement/statements.csv",
        csv_text(
            (
                "form",
                "statement_date",
                "delay_until",
                "official",
                "agency",
                "notices_affected",
                "attachment",
            ),
            (
                (
                    h.form,
                    h.statement_date,
                    h.delay_until or "",
                    h.official,
                    h.agency,
                    h.notices_affected,
                    h.attachment_id or "",
                )
                for h in holds
            ),
        ).encode(),
    )
    for a in attachments:
        content = _read(sources.attachment_storage / a.storage_name)
        add(
            f"attachments/{a.id}-{_safe(a.original_name)}",
            content if content is not None else b"(file missing from storage)\n",
        )
    add("audit/incident-audit-trail.csv", audit_csv(events, include_privileged).encode())
    add("audit/chain-verification.txt", ("\n".join(chain) + "\n").encode())
    return files
