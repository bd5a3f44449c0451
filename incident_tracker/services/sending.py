"""Recording what was sent: the one service behind every obligation marked done (issue 9 item 3).

Each submission is a `SentRecord` row (date, method, recipients, proof, the approved notice
version); the obligation's done_* columns show the earliest record still standing, because the
clocks that hang off a notice run from the day it first went out (rules.md §0). Everything is
recomputed in the same transaction: an HHS date moves the NY AG clock (NY5), consumer letters
move the CA AG sample-copy clock (CA2), a substitute posting starts its 90 days (F2 keep_until).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import col, select

from incident_tracker.core.permissions import Action
from incident_tracker.db.models import (
    Attachment,
    HhsAddendum,
    Incident,
    Notice,
    ObligationRecord,
    ReturnedMail,
    SentRecord,
)
from incident_tracker.services import evidence, notice_review, obligations, reminders
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed
from incident_tracker.services.register import local_today

# Stored values never change, so rows written before this service still load; labels are words.
METHOD_LABELS = {
    "mail": "first-class mail",
    "email": "e-mail",
    "portal": "portal",
    "press_release": "press release",
    "web_posting": "web posting",
    "telephone": "telephone",
    "other": "other",
}
assert set(METHOD_LABELS) == set(obligations.DONE_METHODS)
HHS_RULES = ("F4", "F5", "P2")  # 164.408(b), 164.408(c), the separate Part 2 report
SUBSTITUTE_RULE = "F2"  # 164.404(d)(2)
# N.Y. Gen. Bus. Law § 899-aa(2)(b): the HIPAA letter is the NY resident notice, so a record of
# the HIPAA letters is mirrored on NY1 (and voided with it).
SAME_LETTER = "the HIPAA individual notice (899-aa(2)(b))"
PROOF_KIND = "proof_of_sending"


def method_label(method: str | None) -> str:
    return METHOD_LABELS.get(method or "", method or "")


@dataclass(frozen=True)
class Proof:
    """An uploaded file proving the sending (a mailing receipt, the portal's confirmation)."""

    filename: str
    content: bytes
    storage: Path


@dataclass(frozen=True)
class SentInput:
    sent_on: date
    method: str
    recipients: int | None = None
    reference: str = ""  # tracking or portal transaction number
    note: str = ""
    proof: Proof | None = None
    notice_version_id: int | None = None


def obligation_of(call: Call, incident: Incident, obligation_id: int) -> ObligationRecord:
    record = call.session.get(ObligationRecord, obligation_id)
    if record is None or record.incident_id != incident.id:
        raise NotFound("no such obligation")
    return record


def _problems(
    call: Call, incident: Incident, record: ObligationRecord, sent: SentInput
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if record.kind == "record":
        errors["obligation"] = "a record-keeping duty is kept, not sent"
    if sent.method not in METHOD_LABELS:
        errors["method"] = "choose how it was sent"
    if sent.sent_on < incident.discovered_on:
        errors["sent_on"] = f"cannot be before discovery ({incident.discovered_on})"
    elif sent.sent_on > local_today(call):
        errors["sent_on"] = "cannot be in the future"
    if sent.recipients is not None and not 0 <= sent.recipients <= 100_000_000:
        errors["recipients"] = "enter the number of recipients"
    if len(sent.reference.strip()) > 200:
        errors["reference"] = "at most 200 characters"
    if len(sent.note.strip()) > 500:
        errors["note"] = "at most 500 characters"
    if sent.notice_version_id is not None and not _version_fits(call, incident, record, sent):
        errors["notice_version_id"] = "choose the approved version of this obligation's notice"
    return errors


def _version_fits(
    call: Call, incident: Incident, record: ObligationRecord, sent: SentInput
) -> bool:
    """The approved version (about to be marked sent), or the version already recorded as sent
    (a second mailing of the same text)."""
    approved = notice_review.approved_version_for(call, incident, record.id or 0)
    if approved is not None:
        return approved.id == sent.notice_version_id
    notice = call.session.exec(select(Notice).where(Notice.obligation_id == record.id)).first()
    return notice is not None and notice.sent_version_id == sent.notice_version_id


def record_sent(call: Call, incident: Incident, obligation_id: int, sent: SentInput) -> SentRecord:
    """Record one submission of the obligation's notice and recompute, in one transaction."""
    call.require(Action.RECORD_SENT)
    record = obligation_of(call, incident, obligation_id)
    errors = _problems(call, incident, record, sent)
    if errors:
        raise ValidationFailed(errors)
    approved = notice_review.approved_version_for(call, incident, record.id or 0)
    attachment = _store_proof(call, incident, sent.proof) if sent.proof else None
    row = _add(call, incident, record, sent, attachment)
    if approved is not None and approved.id == sent.notice_version_id:
        notice_review.mark_sent(call, incident, approved.id or 0)
    call.audit(
        "sent.record",
        object_type="obligation",
        object_id=record.id,
        new={
            "rule": record.rule_id,
            "state": record.state,
            "sent_on": row.sent_on,
            "method": row.method,
            "recipients": row.recipients,
            "reference": row.reference,
            "proof_sha256": attachment.sha256 if attachment else None,
            "notice_version_id": row.notice_version_id,
        },
        detail=f"{incident.number} {record.rule_id} {record.state}".strip(),
    )
    _refresh(call, record)
    if record.rule_id == "F1":
        _mirror_on_ny1(call, incident, row)
    _after(call, incident, record)
    obligations.recompute(call, incident, f"{record.rule_id} recorded as done on {sent.sent_on}")
    return row


def _store_proof(call: Call, incident: Incident, proof: Proof) -> Attachment:
    try:
        return evidence.attach(
            call, incident, proof.storage, proof.filename, proof.content, PROOF_KIND
        )
    except ValidationFailed as exc:
        raise ValidationFailed({"proof": exc.field_errors.get("file", exc.message)}) from exc


def _add(
    call: Call,
    incident: Incident,
    record: ObligationRecord,
    sent: SentInput,
    attachment: Attachment | None,
    deemed_from: SentRecord | None = None,
) -> SentRecord:
    row = SentRecord(
        incident_id=incident.id or 0,
        obligation_id=record.id or 0,
        sent_on=sent.sent_on,
        method=sent.method,
        recipients=sent.recipients,
        reference=sent.reference.strip()[:200],
        attachment_id=attachment.id if attachment else None,
        notice_version_id=sent.notice_version_id,
        deemed_from_id=deemed_from.id if deemed_from else None,
        note=sent.note.strip()[:500],
        recorded_by=call.actor.user_id,
        recorded_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    return row


def _deemed_ny_notice(call: Call, incident: Incident) -> ObligationRecord | None:
    record = call.session.exec(
        select(ObligationRecord).where(
            ObligationRecord.incident_id == incident.id, ObligationRecord.rule_id == "NY1"
        )
    ).first()
    if record is None or "(2)(b)" not in json.loads(record.terms)["citation"]:
        return None
    return record


def _active(call: Call, record: ObligationRecord) -> list[SentRecord]:
    return list(
        call.session.exec(
            select(SentRecord)
            .where(SentRecord.obligation_id == record.id, col(SentRecord.voided_at).is_(None))
            .order_by(col(SentRecord.sent_on), col(SentRecord.id))
        )
    )


def _mirror_on_ny1(call: Call, incident: Incident, letter: SentRecord) -> None:
    """NY1 follows the HIPAA letters unless NY residents were sent a notice of their own."""
    ny1 = _deemed_ny_notice(call, incident)
    if ny1 is None or any(r.deemed_from_id is None for r in _active(call, ny1)):
        return
    mirrored = SentInput(letter.sent_on, letter.method, letter.recipients, SAME_LETTER)
    _add(call, incident, ny1, mirrored, None, deemed_from=letter)
    _refresh(call, ny1)


def _refresh(call: Call, record: ObligationRecord) -> None:
    """The obligation shows its earliest standing record; the engine reads that date."""
    active = _active(call, record)
    first = active[0] if active else None
    before = {"done_on": record.done_on, "method": record.done_method}
    if first is None:
        record.done_on = record.done_method = record.done_at = record.done_by = None
        record.done_recipients, record.done_reference = None, ""
    else:
        record.done_on, record.done_method = first.sent_on, first.method
        record.done_recipients, record.done_reference = first.recipients, first.reference
        record.done_by, record.done_at = first.recorded_by, first.recorded_at
    if before == {"done_on": record.done_on, "method": record.done_method}:
        return
    call.session.add(record)
    call.session.flush()
    reminders.sync(call, record)
    call.audit(
        "obligation.done" if first else "obligation.undone",
        object_type="obligation",
        object_id=record.id,
        old=before,
        new={"done_on": record.done_on, "method": record.done_method},
    )


def _after(call: Call, incident: Incident, record: ObligationRecord) -> None:
    """Facts that follow from a sending: the substitute posting's start (164.404(d)(2)(ii), C05:
    kept up until the start + 90 days)."""
    if record.rule_id != SUBSTITUTE_RULE or incident.substitute_notice_started_on == record.done_on:
        return
    call.audit(
        "incident.substitute_notice_started",
        object_type="incident",
        object_id=incident.id,
        old={"substitute_notice_started_on": incident.substitute_notice_started_on},
        new={"substitute_notice_started_on": record.done_on},
    )
    incident.substitute_notice_started_on = record.done_on
    incident.updated_at = call.now
    incident.lock_version += 1
    call.session.add(incident)
    call.session.flush()


def undo_sent(call: Call, incident: Incident, obligation_id: int) -> None:
    """The obligation is no longer recorded as sent: its records are voided (kept as history),
    with the NY1 records that mirrored them."""
    call.require(Action.RECORD_SENT)
    record = obligation_of(call, incident, obligation_id)
    voided = _void(call, _active(call, record))
    if any(r.notice_version_id for r in voided):
        notice_review.unmark_sent(call, incident, record.id or 0)  # back to approved, same files
    if record.rule_id == "F1":
        ny1 = _deemed_ny_notice(call, incident)
        if ny1 is not None:
            ids = {r.id for r in voided}
            _void(call, [r for r in _active(call, ny1) if r.deemed_from_id in ids])
            _refresh(call, ny1)
    call.audit(
        "sent.void",
        object_type="obligation",
        object_id=record.id,
        old={"records": len(voided)},
        detail=f"{incident.number} {record.rule_id} {record.state}".strip(),
    )
    _refresh(call, record)
    _after(call, incident, record)
    obligations.recompute(call, incident, f"{record.rule_id} no longer recorded as done")


def _void(call: Call, rows: list[SentRecord]) -> list[SentRecord]:
    for row in rows:
        row.voided_at, row.voided_by = call.now, call.actor.user_id
        call.session.add(row)
    call.session.flush()
    return rows


def record_returned_mail(
    call: Call, incident: Incident, returned_on: date | None, count: int | None, note: str
) -> ReturnedMail:
    """Letters returned undeliverable: the people the incident cannot reach add up, and at 10 or
    more the engine owes the substitute notice of 164.404(d)(2)(ii)."""
    call.require(Action.RECORD_SENT)
    errors = {}
    if returned_on is None:
        errors["returned_on"] = "enter the date the letters came back"
    elif returned_on < incident.discovered_on:
        errors["returned_on"] = f"cannot be before discovery ({incident.discovered_on})"
    elif returned_on > local_today(call):
        errors["returned_on"] = "cannot be in the future"
    if count is None or count < 1:
        errors["count"] = "enter how many letters came back (1 or more)"
    elif (incident.unreachable_individuals or 0) + count > incident.total_affected:
        errors["count"] = (
            f"{incident.unreachable_individuals or 0:,} already could not be reached; {count:,} "
            f"more is more than the {incident.total_affected:,} people affected"
        )
    if len(note.strip()) > 500:
        errors["note"] = "at most 500 characters"
    if errors:
        raise ValidationFailed(errors)
    assert returned_on is not None and count is not None
    before = incident.unreachable_individuals or 0
    total = before + count
    row = ReturnedMail(
        incident_id=incident.id or 0,
        returned_on=returned_on,
        count=count,
        total_after=total,
        note=note.strip()[:500],
        recorded_by=call.actor.user_id,
        recorded_at=call.now,
    )
    call.session.add(row)
    incident.unreachable_individuals = total
    incident.updated_at = call.now
    incident.lock_version += 1
    call.session.add(incident)
    call.session.flush()
    call.audit(
        "sent.returned_mail",
        object_type="incident",
        object_id=incident.id,
        old={"unreachable_individuals": before},
        new={"returned_on": returned_on, "count": count, "unreachable_individuals": total},
    )
    obligations.recompute(call, incident, f"{count} letters returned on {returned_on}")
    return row


def record_hhs_addendum(
    call: Call,
    incident: Incident,
    obligation_id: int,
    submitted_on: date | None,
    affected_count: int | None,
    reference: str,
    note: str = "",
) -> HhsAddendum:
    """An addendum to an HHS report filed with an estimate (rules.md §1.6): its own row, linked to
    the report it follows; the report's own date (and so NY5) does not move."""
    call.require(Action.RECORD_SENT)
    record = call.session.get(ObligationRecord, obligation_id)
    errors = {}
    if record is None or record.incident_id != incident.id or record.rule_id not in HHS_RULES:
        errors["obligation_id"] = "choose the HHS report this addendum follows"
    elif record.done_on is None:
        errors["obligation_id"] = "record the initial HHS report as sent first"
    if submitted_on is None:
        errors["submitted_on"] = "enter the date the addendum was submitted"
    elif record is not None and record.done_on and submitted_on < record.done_on:
        errors["submitted_on"] = f"cannot be before the initial report ({record.done_on})"
    elif submitted_on > local_today(call):
        errors["submitted_on"] = "cannot be in the future"
    if affected_count is None or affected_count < 0:
        errors["affected_count"] = "enter the updated number of individuals affected"
    if not reference.strip() or len(reference.strip()) > 200:
        errors["reference"] = "enter the portal's transaction number (at most 200 characters)"
    if len(note.strip()) > 500:
        errors["note"] = "at most 500 characters"
    if errors:
        raise ValidationFailed(errors)
    assert record is not None and submitted_on is not None and affected_count is not None
    row = HhsAddendum(
        incident_id=incident.id or 0,
        obligation_id=record.id or 0,
        submitted_on=submitted_on,
        affected_count=affected_count,
        reference=reference.strip(),
        note=note.strip()[:500],
        recorded_by=call.actor.user_id,
        recorded_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "sent.hhs_addendum",
        object_type="obligation",
        object_id=record.id,
        new={
            "submitted_on": submitted_on,
            "affected_count": affected_count,
            "reference": row.reference,
        },
        detail=f"{incident.number} {record.rule_id}",
    )
    return row
