"""Notices and their text versions: one notice per obligation, and every edit a
new immutable version. Nothing here updates a version; an edit of an approved notice makes a new
version and sends the notice back to draft (core.review), so it needs approval again."""

from __future__ import annotations

from sqlmodel import col, select

from incident_tracker.core.notices.details import clean_text
from incident_tracker.core.notices.kinds import NoticeKind, kind_for_rule
from incident_tracker.core.permissions import Action
from incident_tracker.core.review import Event, ReviewState, transition
from incident_tracker.db.models import Incident, Notice, NoticeVersion, ObligationRecord
from incident_tracker.services import notice_details, notice_drafting, notice_facts
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, NotFound, ValidationFailed

MAX_TEXT_CHARS = 200_000
DRAFTED = "drafted from the facts and the notice details"


def obligation_of(call: Call, incident: Incident, obligation_id: int) -> ObligationRecord:
    record = call.session.get(ObligationRecord, obligation_id)
    if record is None or record.incident_id != incident.id:
        raise NotFound("no such obligation")
    return record


def notice_for(
    call: Call, incident: Incident, obligation_id: int, lock: bool = False
) -> Notice | None:
    """The obligation's notice. `lock`: for a change, the row is locked (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite already runs one writer at a time), so two reviewers acting at once are
    serialised and the second sees the first's state instead of failing on a constraint."""
    query = select(Notice).where(
        Notice.incident_id == incident.id, Notice.obligation_id == obligation_id
    )
    return call.session.exec(query.with_for_update() if lock else query).first()


def require_notice(
    call: Call, incident: Incident, obligation_id: int, lock: bool = False
) -> Notice:
    notice = notice_for(call, incident, obligation_id, lock)
    if notice is None:
        raise NotFound("this obligation has no notice draft yet")
    return notice


def versions(call: Call, notice: Notice) -> list[NoticeVersion]:
    return list(
        call.session.exec(
            select(NoticeVersion)
            .where(NoticeVersion.notice_id == notice.id)
            .order_by(col(NoticeVersion.number))
        )
    )


def latest(call: Call, notice: Notice) -> NoticeVersion:
    found = call.session.exec(
        select(NoticeVersion)
        .where(NoticeVersion.notice_id == notice.id)
        .order_by(col(NoticeVersion.number).desc())
    ).first()
    if found is None:  # a notice is created with its version 1 in one transaction
        raise NotFound("this notice has no text")
    return found


def version(call: Call, notice: Notice, number: int) -> NoticeVersion:
    found = call.session.exec(
        select(NoticeVersion).where(
            NoticeVersion.notice_id == notice.id, NoticeVersion.number == number
        )
    ).first()
    if found is None:
        raise NotFound("no such version")
    return found


def kind_of(notice: Notice) -> NoticeKind:
    return NoticeKind(notice.kind)


def create(call: Call, incident: Incident, obligation_id: int) -> Notice:
    """The obligation's notice, drafted from the facts and the incident's notice details."""
    call.require(Action.EDIT_NOTICE)
    record = obligation_of(call, incident, obligation_id)
    # Lock the obligation so two people creating its notice at once are serialised (PostgreSQL).
    call.session.exec(
        select(ObligationRecord).where(ObligationRecord.id == record.id).with_for_update()
    ).first()
    kind = kind_for_rule(record.rule_id)
    if kind is None:
        raise ValidationFailed({"notice": f"{record.rule_id} is not discharged by a notice"})
    if not record.live:
        raise ValidationFailed({"notice": "this obligation no longer applies to the facts"})
    if notice_for(call, incident, obligation_id) is not None:
        raise Conflict("this obligation already has a notice; open it instead")
    text = notice_drafting.generate(call, incident, kind, notice_drafting.target(record))
    notice = Notice(
        incident_id=incident.id or 0,
        obligation_id=obligation_id,
        kind=kind.value,
        state=ReviewState.DRAFT.value,
        created_by=call.actor.user_id,
        created_at=call.now,
        updated_at=call.now,
    )
    call.session.add(notice)
    call.session.flush()
    revision = notice_details.revision_of(call, incident)
    printed = notice_facts.printed_now(call, incident, kind, notice_drafting.target(record), text)
    first = _write(call, notice, 1, text, DRAFTED, revision, notice_facts.stamp(printed))
    call.audit(
        "notice.create",
        object_type="notice",
        object_id=notice.id,
        new={
            "incident": incident.number,
            "obligation": f"{record.rule_id} {record.state}".strip(),
            "kind": kind.value,
            "version": first.number,
        },
    )
    return notice


def _write(
    call: Call,
    notice: Notice,
    number: int,
    text: str,
    cause: str,
    details_revision: int | None,
    printed: tuple[str | None, str | None],
) -> NoticeVersion:
    row = NoticeVersion(
        facts_printed=printed[0],
        facts_fingerprint=printed[1],
        notice_id=notice.id or 0,
        number=number,
        text=text,
        author_id=call.actor.user_id,
        created_at=call.now,
        cause=cause[:200],
        details_revision=details_revision,
    )
    call.session.add(row)
    call.session.flush()
    return row


def normalise(text: str) -> str:
    """Line ends unified, control characters dropped (they are the renderer's block markers)."""
    return clean_text(text) + "\n"


def add_version(
    call: Call,
    incident: Incident,
    notice: Notice,
    text: str,
    base_number: int,
    cause: str,
    details_revision: int | None = None,
    printed: dict[str, str] | None = None,
) -> NoticeVersion:
    """A new version of the text. `base_number` is the version the editor started from: if
    someone saved another meanwhile, the edit is refused (the form keeps what was typed).
    A hand edit keeps the details revision of the text it started from."""
    call.require(Action.EDIT_NOTICE)
    step = transition(notice.state, Event.EDIT)
    if step is None:
        raise Conflict("a notice recorded as sent cannot change: it is the record of what went out")
    current = latest(call, notice)
    if base_number != current.number:
        raise Conflict(
            f"version {current.number} was saved after you started from version {base_number}; "
            "your text is kept below: compare it with the redline and save again"
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed({"text": f"keep the notice under {MAX_TEXT_CHARS:,} characters"})
    cleaned = normalise(text)
    if not cleaned.strip():
        raise ValidationFailed({"text": "the notice cannot be empty"})
    if cleaned == current.text:
        raise ValidationFailed({"text": f"no change from version {current.number}"})
    revision = current.details_revision if details_revision is None else details_revision
    # A hand edit keeps what its base printed; a redraft stamps what it prints now.
    stamp = (
        notice_facts.stamp(printed)
        if printed is not None
        else (current.facts_printed, current.facts_fingerprint)
    )
    row = _write(call, notice, current.number + 1, cleaned, cause, revision, stamp)
    before = notice.state
    notice.state, notice.updated_at = step.target.value, call.now
    call.session.add(notice)
    call.session.flush()
    call.audit(
        "notice.edit",
        object_type="notice",
        object_id=notice.id,
        old={"version": current.number, "state": before},
        new={"version": row.number, "state": notice.state, "cause": row.cause},
    )
    return row


def regenerate(call: Call, incident: Incident, notice: Notice, base_number: int) -> NoticeVersion:
    """Draft again from the current facts and details, as a NEW version: an edited text stays in
    its own version and the redline shows what regenerating changed."""
    call.require(Action.EDIT_NOTICE)
    record = obligation_of(call, incident, notice.obligation_id)
    text = notice_drafting.generate(call, incident, kind_of(notice), notice_drafting.target(record))
    revision = notice_details.revision_of(call, incident)
    printed = notice_facts.printed_now(
        call, incident, kind_of(notice), notice_drafting.target(record), text
    )
    return add_version(
        call,
        incident,
        notice,
        text,
        base_number,
        f"redrafted from the notice details (revision {revision})",
        revision,
        printed,
    )
