"""Exports for auditors: the audit trail as CSV and PDF with filters, each stating the chain's
verification result and the latest checkpoint (45 CFR 164.312(b)), and the register as CSV.

Every CSV goes through core/spreadsheet.py (no cell runs as a formula). Privileged material (risk
assessments, legal comments) keeps its who, what and when but not its contents unless the
exporter ticks "include privileged material", which is audited with the export.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from incident_tracker.core.spreadsheet import csv_text
from incident_tracker.db.models import AuditEvent, Incident
from incident_tracker.services import audit, register
from incident_tracker.services.audit_statement import (
    PRIVILEGED,
    Sources,
    audit_csv,
    chain_statement,
    privileged,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed

MAX_ROWS = 100_000  # one export; narrow the filters for more


@dataclass(frozen=True)
class AuditExport:
    filters: audit.AuditFilter
    incident_number: str
    events: list[AuditEvent]
    chain: list[str]
    include_privileged: bool


def _incident_id(call: Call, number: str) -> int:
    found = call.session.exec(select(Incident.id).where(Incident.number == number.strip())).first()
    if found is None:
        raise ValidationFailed({"incident": "no incident with that number"})
    return int(found)


def audit_export(
    call: Call,
    filters: audit.AuditFilter,
    incident_number: str,
    include_privileged: bool,
    sources: Sources,
    form: str,
) -> AuditExport:
    """The filtered events, oldest first, with the chain statement; the export is audited."""
    query = select(AuditEvent)
    if incident_number.strip():
        query = query.where(
            AuditEvent.object_type == "incident",
            AuditEvent.object_id == str(_incident_id(call, incident_number)),
        )
    if filters.action:
        query = query.where(col(AuditEvent.action).startswith(filters.action))
    if filters.actor:
        query = query.where(col(AuditEvent.actor_email).contains(filters.actor.lower()))
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.since:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until:
        query = query.where(AuditEvent.at <= filters.until)
    events = list(call.session.exec(query.order_by(col(AuditEvent.id)).limit(MAX_ROWS)))
    chain = chain_statement(call, sources)
    call.audit(
        "audit.export",
        new={
            "form": form,
            "action": filters.action,
            "actor": filters.actor,
            "incident": incident_number.strip(),
            "since": filters.since,
            "until": filters.until,
            "rows": len(events),
            "include_privileged": include_privileged,
        },
    )
    return AuditExport(filters, incident_number.strip(), events, chain, include_privileged)


def audit_export_csv(export: AuditExport) -> str:
    """The chain statement in the first rows, a blank row, then the events with their header."""
    head = csv_text(("audit chain", "statement"), (("", line) for line in export.chain))
    return head + "\r\n" + audit_csv(export.events, export.include_privileged)


@dataclass(frozen=True)
class PrintedEvent:
    id: int
    at: str
    actor: str
    action: str
    object: str
    values: str
    detail: str
    withheld: bool


def printed(export: AuditExport) -> list[PrintedEvent]:
    """The events as the PDF prints them; privileged contents withheld unless included."""
    out = []
    for e in export.events:
        hide = privileged(e.action) and not export.include_privileged
        values = " → ".join(v for v in (e.old_values, e.new_values) if v)
        out.append(
            PrintedEvent(
                e.id or 0,
                e.at.strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_email or "",
                e.action,
                f"{e.object_type or ''} {e.object_id or ''}".strip(),
                "" if hide else values,
                "" if hide else e.detail or "",
                hide and bool(values or e.detail),
            )
        )
    return out


REGISTER_COLUMNS = (
    "incident",
    "title",
    "status",
    "owner",
    "discovered_on",
    "individuals_affected",
    "next_due",
    "days_left",
    "restricted",
)


def register_csv(call: Call, filters: register.RegisterFilter) -> str:
    """Every incident the user may see (restricted ones only for their owner and assignees), in
    the register's order; the export is audited."""
    rows: list[register.RegisterRow] = []
    page = 1
    while True:
        found, total = register.register(call, filters, page)
        rows.extend(found)
        if not found or len(rows) >= total or len(rows) >= MAX_ROWS:
            break
        page += 1
    call.audit("register.export", new={"rows": len(rows), "search": filters.search})
    return csv_text(
        REGISTER_COLUMNS,
        (
            (
                r.number,
                r.title,
                r.status,
                r.owner,
                r.discovered_on.isoformat(),
                r.total_affected,
                r.next_due.isoformat() if r.next_due else "",
                "" if r.days_left is None else r.days_left,
                "yes" if r.restricted else "no",
            )
            for r in rows
        ),
    )


__all__ = ["PRIVILEGED", "AuditExport", "audit_export", "audit_export_csv", "register_csv"]
