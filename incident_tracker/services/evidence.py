"""Law-enforcement holds and attachments: the documents behind an incident's dates.

Attachments are stored outside the web root under random names, limited in size and type, and
handed out only as downloads to people who may see the incident.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from incident_tracker import files
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import Attachment, Incident, LawEnforcementHold
from incident_tracker.services import hold_voids, obligations
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, NotFound, ValidationFailed

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Extension -> content type served back; anything else is refused (ASVS 5.2.2).
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".eml": "message/rfc822",
}
MAGIC = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8",
    ".jpeg": b"\xff\xd8",
    ".docx": b"PK\x03\x04",
}
ATTACHMENT_KINDS = (
    "law_enforcement_statement",
    "forensic_report",
    "letter",
    "assurance",
    "proof_of_sending",  # a mailing receipt or portal confirmation (services.sending)
    "other",
)


@dataclass(frozen=True)
class HoldInput:
    form: str
    statement_date: date | None
    delay_until: date | None
    official: str
    agency: str
    notices_affected: str
    attachment_id: int | None = None


def add_hold(call: Call, incident: Incident, hold: HoldInput) -> LawEnforcementHold:
    """45 CFR 164.412: written (the period stated) or oral (documented, at most 30 days)."""
    call.require(Action.EDIT_INCIDENT)
    errors: dict[str, str] = {}
    if hold.form not in ("oral", "written"):
        errors["form"] = "choose oral or written"
    if hold.statement_date is None:
        errors["statement_date"] = "enter the date of the statement"
    if hold.form == "written" and hold.delay_until is None:
        errors["delay_until"] = "a written statement specifies the period: enter its end date"
    if hold.statement_date and hold.delay_until and hold.delay_until < hold.statement_date:
        errors["delay_until"] = "the end date is before the statement"
    if hold.form == "oral" and not hold.official.strip():
        errors["official"] = "an oral statement must be documented with the official's identity"
    if hold.attachment_id is not None:
        found = call.session.get(Attachment, hold.attachment_id)
        if found is None or found.incident_id != incident.id:
            errors["attachment_id"] = "choose a document attached to this incident"
    if errors:
        raise ValidationFailed(errors)
    assert hold.statement_date is not None
    row = LawEnforcementHold(
        incident_id=incident.id or 0,
        form=hold.form,
        statement_date=hold.statement_date,
        delay_until=hold.delay_until,
        official=hold.official.strip()[:200],
        agency=hold.agency.strip()[:200],
        notices_affected=hold.notices_affected.strip()[:500],
        attachment_id=hold.attachment_id,
        created_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "hold.create",
        object_type="incident",
        object_id=incident.id,
        new={
            "form": row.form,
            "statement_date": row.statement_date,
            "delay_until": row.delay_until,
            "official": row.official,
            "agency": row.agency,
            "notices_affected": row.notices_affected,
        },
    )
    obligations.recompute(call, incident, f"law-enforcement statement of {row.statement_date}")
    return row


def void_hold(call: Call, incident: Incident, hold_id: int, reason: str) -> None:
    """A mistaken statement is voided with a reason, never deleted: it is kept six years
    (45 CFR 164.530(j)) and no longer delays any notice (services/hold_voids.py)."""
    call.require(Action.EDIT_INCIDENT)
    row = call.session.get(LawEnforcementHold, hold_id)
    if row is None or row.incident_id != incident.id:
        raise NotFound("no such statement")
    why = reason.strip()
    if not why:
        raise ValidationFailed({"void_reason": "say why this statement is void"})
    if len(why) > 2000:
        raise ValidationFailed({"void_reason": "at most 2,000 characters"})
    if hold_voids.voids_of(call, [hold_id]):
        raise Conflict("this statement is already void")
    call.audit(
        hold_voids.VOID_ACTION,
        object_type=hold_voids.OBJECT_TYPE,
        object_id=row.id,
        old={
            "incident_id": incident.id,
            "form": row.form,
            "statement_date": row.statement_date,
            "delay_until": row.delay_until,
        },
        detail=why,
    )
    call.session.flush()
    obligations.recompute(call, incident, "law-enforcement statement voided")


def attach(
    call: Call, incident: Incident, storage: Path, filename: str, content: bytes, kind: str
) -> Attachment:
    call.require(Action.EDIT_INCIDENT)
    name = Path(filename.replace("\\", "/")).name.strip()[:255]
    extension = Path(name).suffix.lower()
    errors = {}
    if not name:
        errors["file"] = "choose a file"
    elif extension not in ALLOWED_TYPES:
        errors["file"] = "allowed types: " + ", ".join(sorted(ALLOWED_TYPES))
    elif extension in MAGIC and not content.startswith(MAGIC[extension]):
        errors["file"] = f"the file's content is not a {extension} file"
    if not content and "file" not in errors:
        errors["file"] = "the file is empty"
    if len(content) > MAX_ATTACHMENT_BYTES:
        errors["file"] = f"files are limited to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB"
    if kind not in ATTACHMENT_KINDS:
        errors["kind"] = "choose what the document is"
    if errors:
        raise ValidationFailed(errors)
    files.private_dir(storage)
    stored = secrets.token_hex(20)
    files.write_private(storage / stored, content)
    row = Attachment(
        incident_id=incident.id or 0,
        kind=kind,
        original_name=name,
        content_type=ALLOWED_TYPES[extension],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_name=stored,
        uploaded_by=call.actor.user_id,
        uploaded_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "attachment.create",
        object_type="incident",
        object_id=incident.id,
        new={"name": name, "kind": kind, "size": len(content), "sha256": row.sha256},
    )
    return row


def attachment_for(
    call: Call, incident: Incident, attachment_id: int, storage: Path
) -> tuple[Attachment, Path]:
    row = call.session.get(Attachment, attachment_id)
    if row is None or row.incident_id != incident.id:
        raise NotFound("no such attachment")
    call.audit(
        "attachment.download",
        object_type="incident",
        object_id=incident.id,
        detail=row.original_name,
    )
    return row, storage / row.storage_name
