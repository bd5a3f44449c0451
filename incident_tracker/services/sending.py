"""Recording what was sent: the one service behind every obligation marked done.

Each submission is a `SentRecord` row (date, method, recipients, proof, the approved notice
version); the obligation's done_* columns show the earliest record still standing, because the
clocks that hang off a notice run from the day it first went out (docs/law/conventions.md).
Everything is
recomputed in the same transaction: an HHS date moves the NY AG clock (NY5), consumer letters
move the CA AG sample-copy clock (CA2), a substitute posting starts its 90 days (F2 keep_until).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import col, select

from incident_tracker.core.notices.elements import LETTER_DUTIES
from incident_tracker.core.permissions import Action
from incident_tracker.core.review import ReviewState
from incident_tracker.db.models import (
    Attachment,
    HhsAddendum,
    Incident,
    LetterRun,
    Notice,
    NoticeVersion,
    ObligationRecord,
    ReturnedMail,
    SentRecord,
)
from incident_tracker.services import (
    discharges,
    evidence,
    notice_facts,
    notice_review,
    obligations,
    reminders,
    webhooks,
)
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
ONE_LETTER = "the individual letter (F1), which carries this State's required elements"
DRAFT_REFUSED = (
    'the notice is a draft, not approved: letters made from it carry "DRAFT — not approved" '
    "and cannot be recorded as sent; have it approved, make the letters again, then record it"
)
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
    order_confirmed: bool = False  # sent before a notice that must precede it, knowingly
    order_reason: str = ""
    stale_override: bool = False  # a stale approved version sent without re-approval
    stale_reason: str = ""


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
    elif _from_a_draft(call, incident, record, sent):
        errors["notice_version_id"] = DRAFT_REFUSED
    return errors


def _from_a_draft(
    call: Call, incident: Incident, record: ObligationRecord, sent: SentInput
) -> bool:
    """Recorded without an approved version while the notice here is a draft, or the individual
    letters were merged from a draft: nothing unapproved is recorded as sent."""
    if sent.notice_version_id is not None:
        return False
    notice = call.session.exec(select(Notice).where(Notice.obligation_id == record.id)).first()
    if notice is not None:
        return notice.state not in (ReviewState.APPROVED, ReviewState.SENT)
    if record.rule_id not in LETTER_DUTIES:
        return False
    run = call.session.exec(
        select(LetterRun)
        .where(LetterRun.incident_id == incident.id, LetterRun.status == "done")
        .order_by(col(LetterRun.id).desc())
    ).first()
    return run is not None and run.notice_version_id is None


def _confirmations(
    call: Call,
    incident: Incident,
    targets: list[ObligationRecord],
    sent: SentInput,
    version: NoticeVersion | None,
) -> tuple[dict[str, str], list[discharges.OrderBreach], list[str]]:
    """What the sender must confirm with a reason: an order broken (N.J.S.A. 56:8-163(c)(1)),
    a stale approved text sent without re-approval. Returns the errors, breaches and changes."""
    errors: dict[str, str] = {}
    breaches = discharges.unmet_order(call, incident, targets, sent.sent_on)
    if breaches and not (sent.order_confirmed and sent.order_reason.strip()):
        errors["order_reason"] = (
            "; ".join(b.message for b in breaches)
            + ". Tick to confirm it went out of order and say why."
        )
    changes = notice_facts.changes_since(call, incident, version) if version else []
    if changes and not (sent.stale_override and sent.stale_reason.strip()):
        errors["stale_reason"] = (
            "the approved text is stale: "
            + "; ".join(changes)
            + ". Redraft and have it approved again, or tick to send it as approved and say why."
        )
    return errors, breaches, changes


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
    version = (
        call.session.get(NoticeVersion, sent.notice_version_id) if sent.notice_version_id else None
    )
    meets = discharges.for_letter(call, incident, record, version)
    settled = [d.record for d in meets if d.settles]
    errors, breaches, changes = _confirmations(call, incident, [record, *settled], sent, version)
    if errors:
        raise ValidationFailed(errors)
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
    _audit_confirmations(call, record, row, breaches, changes)
    _refresh(call, record)
    _discharge(call, incident, row, meets)
    _after(call, incident, record)
    obligations.recompute(call, incident, f"{record.rule_id} recorded as done on {sent.sent_on}")
    webhooks.notice_sent(call, incident, record, row.id or 0)
    return row


def _audit_confirmations(
    call: Call,
    record: ObligationRecord,
    row: SentRecord,
    breaches: list[discharges.OrderBreach],
    changes: list[str],
) -> None:
    if breaches:
        call.audit(
            "sent.out_of_order",
            object_type="obligation",
            object_id=record.id,
            new={
                "sent_on": row.sent_on,
                "before": [f"{b.first.rule_id} {b.first.state}".strip() for b in breaches],
                "sent": [f"{b.then.rule_id} {b.then.state}".strip() for b in breaches],
                "reason": row.order_reason,
            },
        )
    if changes:
        call.audit(
            "sent.stale_override",
            object_type="obligation",
            object_id=record.id,
            new={"notice_version_id": row.notice_version_id, "changed": changes},
            detail=row.stale_reason,
        )


def _discharge(
    call: Call, incident: Incident, letter: SentRecord, meets: list[discharges.Discharge]
) -> None:
    """Each State duty the letter settles gets a record deemed from the letter's, in this
    transaction; the ones it does not settle stay open, and the audit row says why."""
    if not meets:
        return
    for d in meets:
        if d.settles:
            note = SAME_LETTER if discharges.deemed_by_statute(d.record) else ONE_LETTER
            mirrored = SentInput(
                letter.sent_on, letter.method, letter.recipients, note, order_reason=""
            )
            _add(
                call,
                incident,
                d.record,
                mirrored,
                None,
                deemed_from=letter,
                order_reason=letter.order_reason,
            )
            _refresh(call, d.record)
    call.audit(
        "sent.discharge",
        object_type="obligation",
        object_id=letter.obligation_id,
        new={
            "settled": [d.label for d in meets if d.settles],
            "open": {d.label: d.why for d in meets if not d.settles},
        },
    )


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
    order_reason: str | None = None,
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
        order_reason=(sent.order_reason if order_reason is None else order_reason).strip()[:2000],
        stale_reason=sent.stale_reason.strip()[:2000] if sent.stale_override else "",
        recorded_by=call.actor.user_id,
        recorded_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    return row


def _active(call: Call, record: ObligationRecord) -> list[SentRecord]:
    return list(
        call.session.exec(
            select(SentRecord)
            .where(SentRecord.obligation_id == record.id, col(SentRecord.voided_at).is_(None))
            .order_by(col(SentRecord.sent_on), col(SentRecord.id))
        )
    )


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
    _void_deemed(call, {r.id or 0 for r in voided})
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


def _void_deemed(call: Call, letter_ids: set[int]) -> None:
    """The State duties a voided letter settled are voided with it (and reopen)."""
    if not letter_ids:
        return
    deemed = list(
        call.session.exec(
            select(SentRecord).where(
                col(SentRecord.deemed_from_id).in_(letter_ids), col(SentRecord.voided_at).is_(None)
            )
        )
    )
    _void(call, deemed)
    for obligation_id in sorted({r.obligation_id for r in deemed}):
        record = call.session.get(ObligationRecord, obligation_id)
        if record is not None:
            _refresh(call, record)


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
    """An addendum to an HHS report filed with an estimate (docs/law/federal.md): its own row,
    linked to
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
