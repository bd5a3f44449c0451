"""The audit trail as auditors receive it: the chain's verification with the latest checkpoint
(45 CFR 164.312(b)), and the rows as CSV with privileged contents (risk assessments, legal
comments: prepared at the direction of counsel) withheld unless the exporter includes them.
Shared by the audit-trail exports (services/exports.py) and the evidence file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from incident_tracker.core.spreadsheet import csv_text
from incident_tracker.db.models import AuditEvent
from incident_tracker.services import audit, audit_checkpoints
from incident_tracker.services.call import Call

PRIVILEGED = "Privileged and confidential — prepared at the direction of counsel"
PRIVILEGED_ACTIONS = ("assessment.", "notice.comment")  # risk assessments, legal comments
WITHHELD = "[privileged — withheld]"


@dataclass(frozen=True)
class Sources:
    """Where the stored files are, and what the chain verification needs."""

    notice_storage: Path
    attachment_storage: Path
    checkpoint_dir: Path
    audit_key: str


def privileged(action: str) -> bool:
    return action.startswith(PRIVILEGED_ACTIONS)


AUDIT_COLUMNS = (
    "id",
    "at_utc",
    "actor",
    "action",
    "object",
    "old_values",
    "new_values",
    "detail",
    "client_address",
)


def audit_csv(events: list[AuditEvent], include_privileged: bool) -> str:
    """Audit rows as CSV; a privileged row keeps who, what and when, its contents withheld."""

    def values(e: AuditEvent) -> tuple[object, ...]:
        hide = privileged(e.action) and not include_privileged
        return (
            e.id,
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_email or "",
            e.action,
            f"{e.object_type or ''} {e.object_id or ''}".strip(),
            WITHHELD if hide and e.old_values else e.old_values or "",
            WITHHELD if hide and e.new_values else e.new_values or "",
            WITHHELD if hide and e.detail else e.detail or "",
            e.client_address or "",
        )

    return csv_text(AUDIT_COLUMNS, (values(e) for e in events))


def chain_statement(call: Call, sources: Sources) -> list[str]:
    """The chain verification result and the latest checkpoint it was checked against."""
    try:
        latest = audit_checkpoints.latest(sources.checkpoint_dir)
    except audit_checkpoints.CheckpointError as exc:
        latest, problem = None, str(exc)
    else:
        problem = ""
    result = audit.verify(call.session, sources.audit_key, latest.text if latest else None)
    lines = [
        f"Audit chain verification at {call.now:%Y-%m-%d %H:%M:%S} UTC: "
        + ("intact" if result.ok else "FAILED"),
        result.message,
    ]
    if latest is not None:
        where = latest.path.name if latest.path else "given"
        lines.append(f"Checked against the latest checkpoint {latest.text} ({where})")
    else:
        lines.append(problem or "No checkpoint has been written yet: a cut tail would not show")
    return lines
