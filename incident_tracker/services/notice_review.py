"""The legal review of a notice: submit, request changes, approve, sent.

Every move goes through core.review (which state may follow which, and the permission each needs)
and is audited. Approval renders the exact DOCX and PDF of the approved version, stores them
outside the web root under random names and keeps their SHA-256; a download re-reads the file and
refuses it if the hash no longer matches (45 CFR 164.530(j): the record must prove the wording).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from incident_tracker import files
from incident_tracker.core.notices.kinds import KINDS
from incident_tracker.core.notices.markup import from_markup
from incident_tracker.core.notices.state_filings import title_for
from incident_tracker.core.permissions import Action
from incident_tracker.core.review import (
    Event,
    ReviewState,
    approval_problems,
    refusal,
    transition,
)
from incident_tracker.db.models import Incident, Notice, NoticeApproval, NoticeVersion
from incident_tracker.services import (
    handoffs,
    incidents,
    notice_drafting,
    notice_versions,
    review_settings,
    webhooks,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, NotFound, ValidationFailed

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def approval_of(call: Call, version: NoticeVersion) -> NoticeApproval | None:
    return call.session.exec(
        select(NoticeApproval).where(NoticeApproval.version_id == version.id)
    ).first()


def _move(call: Call, notice: Notice, event: Event, detail: str | None = None) -> None:
    """Apply one workflow event: refused (409) when the state does not allow it."""
    step = transition(notice.state, event)
    if step is None:
        raise Conflict(refusal(notice.state, event))
    call.require(step.action)
    before = notice.state
    notice.state, notice.updated_at = step.target.value, call.now
    call.session.add(notice)
    call.session.flush()
    call.audit(
        f"notice.{event.value}",
        object_type="notice",
        object_id=notice.id,
        old={"state": before},
        new={"state": notice.state, "version": notice_versions.latest(call, notice).number},
        detail=detail,
    )


def _current(call: Call, notice: Notice, number: int) -> NoticeVersion:
    """The version the user was looking at must still be the latest one."""
    current = notice_versions.latest(call, notice)
    if number != current.number:
        raise Conflict(
            f"version {current.number} was saved after the version {number} you were reading; "
            "read it before deciding"
        )
    return current


def _reviewers(call: Call, incident: Incident) -> set[int]:
    """Active legal reviewers who may see the incident (a restricted one: its owner and
    assignees only, 45 CFR 164.502(b))."""
    ids = {u.id or 0 for u in review_settings.reviewers(call)}
    if incident.restricted:
        ids &= {incident.owner_id, *incidents.assignees_of(call, incident)}
    return ids


def _reviewer(call: Call, incident: Incident, notice: Notice, chosen: int | None) -> int | None:
    """The reviewer a submission goes to: the one chosen, else the one it went to before (a
    re-submission), else the organisation's default reviewer. Only an active legal reviewer
    who may see the incident."""
    ids = _reviewers(call, incident)
    if chosen is not None:
        if chosen not in ids:
            raise ValidationFailed(
                {"reviewer": "choose an active legal reviewer who may see this incident"}
            )
        return chosen
    default = review_settings.current(call, False).default_reviewer_id
    for candidate in (notice.reviewer_id, default):
        if candidate in ids:
            return candidate
    return None


def submit(
    call: Call, incident: Incident, notice: Notice, number: int, reviewer: int | None = None
) -> None:
    """Ask legal to review the current version: it waits in the reviewer's "My reviews" (the one
    chosen or the organisation's default; without either, any legal reviewer may take it), and
    the reviewer is told in the app and by e-mail."""
    call.require(Action.EDIT_NOTICE)
    _current(call, notice, number)
    again = notice.state == ReviewState.CHANGES_REQUESTED
    notice.reviewer_id = _reviewer(call, incident, notice, reviewer)
    notice.submitted_by = call.actor.user_id
    _move(call, notice, Event.SUBMIT, detail=f"reviewer {notice.reviewer_id or 'any'}")
    people = [notice.reviewer_id] if notice.reviewer_id else sorted(_reviewers(call, incident))
    handoffs.notify(call, incident, notice, "resubmitted" if again else "submitted", people)


def request_changes(call: Call, incident: Incident, notice: Notice, number: int) -> None:
    """Legal sends the notice back; what to change goes in paragraph comments. The officer is
    told, and the notice waits in their "Changes requested" list."""
    call.require(Action.APPROVE_NOTICE)
    _current(call, notice, number)
    if notice.reviewer_id is None:
        notice.reviewer_id = call.actor.user_id  # the reviewer who took it answers re-submissions
    _move(call, notice, Event.REQUEST_CHANGES)
    handoffs.notify(call, incident, notice, "changes", [handoffs.officer_of(incident, notice)])


@dataclass(frozen=True)
class ApprovalInput:
    number: int  # the version the approver read
    override: bool
    reason: str
    attested: bool = False  # the editor approving their own version attests (one-lawyer orgs)


def approve(
    call: Call,
    incident: Incident,
    notice: Notice,
    given: ApprovalInput,
    storage: Path,
    approver_may_be_editor: bool,
) -> NoticeApproval:
    """Approve and lock the version: files rendered, stored and hashed in the same transaction.
    Refused when the approver wrote the version (unless the organisation profile allows it, and
    then only with the attestation) or an element is missing and no written override is given.
    `approver_may_be_editor` is the environment's value, which seeds the profile once."""
    call.require(Action.APPROVE_NOTICE)
    approver_may_be_editor = review_settings.seed(call, approver_may_be_editor)
    version = _current(call, notice, given.number)
    if transition(notice.state, Event.APPROVE) is None:
        raise Conflict("only a notice in legal review can be approved; submit it first")
    record = notice_versions.obligation_of(call, incident, notice.obligation_id)
    kind = notice_versions.kind_of(notice)
    check = notice_drafting.check(
        call, incident, kind, notice_drafting.target(record), version.text
    )
    missing = check.missing
    reason = given.reason.strip()[:2000]
    problems = approval_problems(
        approver_id=call.actor.user_id,
        last_editor_id=version.author_id,
        approver_may_be_editor=approver_may_be_editor,
        missing=missing,
        override=given.override,
        reason=reason,
        attested=given.attested,
    )
    if problems:
        raise ValidationFailed(problems)
    docx, pdf = _render(version, title_for(record.rule_id, KINDS[kind].title))
    files.private_dir(storage)
    names = (secrets.token_hex(20), secrets.token_hex(20))
    for name, content in zip(names, (docx, pdf), strict=True):
        files.write_private(storage / name, content)
    approval = NoticeApproval(
        notice_id=notice.id or 0,
        version_id=version.id or 0,
        approved_by=call.actor.user_id,
        approved_at=call.now,
        missing=json.dumps(missing if given.override else []),
        override_reason=reason if missing else "",
        docx_storage=names[0],
        docx_sha256=hashlib.sha256(docx).hexdigest(),
        docx_size=len(docx),
        pdf_storage=names[1],
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pdf_size=len(pdf),
    )
    own = call.actor.user_id is not None and call.actor.user_id == version.author_id
    if own:
        approval.attestation = review_settings.ATTESTATION
    call.session.add(approval)
    call.session.flush()
    _move(call, notice, Event.APPROVE)
    call.audit(
        "notice.approval_files",
        object_type="notice",
        object_id=notice.id,
        new={
            "version": version.number,
            "docx_sha256": approval.docx_sha256,
            "pdf_sha256": approval.pdf_sha256,
        },
    )
    if own:
        call.audit(
            "notice.approve_own_edit",
            object_type="notice",
            object_id=notice.id,
            new={"version": version.number, "attestation": review_settings.ATTESTATION},
        )
    handoffs.notify(call, incident, notice, "approved", [handoffs.officer_of(incident, notice)])
    if missing:
        call.audit(
            "notice.approve_override",
            object_type="notice",
            object_id=notice.id,
            new={"version": version.number, "missing": missing, "reason": reason},
        )
    webhooks.notice_approved(call, incident, record, version.number)
    return approval


def _render(version: NoticeVersion, title: str) -> tuple[bytes, bytes]:
    from incident_tracker.documents.pdf import render_pdf
    from incident_tracker.documents.word import render_docx

    blocks = from_markup(version.text)
    first = next((b.text for b in blocks if b.kind == "title"), title)
    return render_docx([blocks], first), render_pdf([blocks], first)


@dataclass(frozen=True)
class StoredFile:
    """An approved file read back: its content when the hash matched, else the reason refused."""

    name: str
    mimetype: str
    content: bytes | None
    problem: str | None


def fetch_file(
    call: Call, incident: Incident, notice: Notice, number: int, fmt: str, storage: Path
) -> StoredFile:
    """The approved DOCX or PDF of a version, re-verified against the SHA-256 kept at approval.
    Both outcomes are audited; a refusal is returned (not raised) so its audit row is kept."""
    if fmt not in FORMATS:
        raise NotFound("no such format")
    version = notice_versions.version(call, notice, number)
    approval = approval_of(call, version)
    if approval is None:
        raise NotFound("this version was not approved, so it has no approved files")
    stored, expected = (
        (approval.pdf_storage, approval.pdf_sha256)
        if fmt == "pdf"
        else (approval.docx_storage, approval.docx_sha256)
    )
    name = f"{incident.number}-{notice.kind}-v{version.number}-approved.{fmt}"
    try:
        content: bytes | None = (storage / stored).read_bytes()
    except OSError:
        content = None
    actual = hashlib.sha256(content).hexdigest() if content is not None else None
    if actual != expected:
        problem = (
            "the stored approved file is missing"
            if content is None
            else "the stored approved file no longer matches the SHA-256 recorded at approval"
        )
        call.audit(
            "notice.download_refused",
            object_type="notice",
            object_id=notice.id,
            detail=f"{name}: {problem} (expected {expected}, found {actual})",
        )
        return StoredFile(name, FORMATS[fmt], None, problem)
    call.audit(
        "notice.download",
        object_type="notice",
        object_id=notice.id,
        detail=f"{name} sha256 {actual}",
    )
    return StoredFile(name, FORMATS[fmt], content, None)


def approved_version_for(
    call: Call, incident: Incident, obligation_id: int
) -> NoticeVersion | None:
    """The approved, locked version of the obligation's notice, ready to be sent; None when the
    notice is not (or no longer) approved. Used by the record-sent form."""
    notice = notice_versions.notice_for(call, incident, obligation_id)
    if notice is None or notice.state != ReviewState.APPROVED:
        return None
    version = notice_versions.latest(call, notice)
    return version if approval_of(call, version) is not None else None


def mark_sent(call: Call, incident: Incident, version_id: int) -> None:
    """Record that this approved, locked version went out: the notice moves to "sent". Runs inside
    the caller's record-sent transaction; raises Conflict when the version is not the approved,
    current version of a notice of this incident."""
    call.require(Action.RECORD_SENT)
    version = call.session.get(NoticeVersion, version_id)
    notice = (
        call.session.exec(
            select(Notice).where(Notice.id == version.notice_id).with_for_update()
        ).first()
        if version is not None
        else None
    )
    if version is None or notice is None or notice.incident_id != incident.id:
        raise Conflict("that notice version does not belong to this incident")
    if notice.state != ReviewState.APPROVED:
        raise Conflict("only an approved notice can be recorded as sent")
    if notice_versions.latest(call, notice).id != version.id or approval_of(call, version) is None:
        raise Conflict("only the approved, current version of a notice can be recorded as sent")
    notice.sent_version_id = version.id
    _move(call, notice, Event.MARK_SENT, detail=f"version {version.number}")


def unmark_sent(call: Call, incident: Incident, obligation_id: int) -> None:
    """The record-sent entry of this obligation was withdrawn: its notice goes back to approved
    (same version, same files). Nothing happens when the obligation has no sent notice."""
    call.require(Action.RECORD_SENT)
    notice = notice_versions.notice_for(call, incident, obligation_id, lock=True)
    if notice is None or notice.state != ReviewState.SENT:
        return
    number = notice_versions.latest(call, notice).number
    notice.sent_version_id = None
    _move(call, notice, Event.UNDO_SENT, detail=f"version {number}")
