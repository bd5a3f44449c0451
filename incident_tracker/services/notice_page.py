"""Everything the notice review page shows, prepared so the template only loops and tests flags."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from incident_tracker.core.jurisdictions import registry
from incident_tracker.core.notices.kinds import KINDS, NoticeKind, kind_for_rule
from incident_tracker.core.notices.markup import from_markup, paragraphs
from incident_tracker.core.notices.render import Block
from incident_tracker.core.notices.state_filings import title_for
from incident_tracker.core.permissions import Action, can
from incident_tracker.core.review import (
    LABELS,
    Event,
    ReviewState,
    events_for,
    self_approval_refusal,
)
from incident_tracker.db.models import (
    Incident,
    Notice,
    NoticeApproval,
    NoticeVersion,
    ObligationRecord,
    User,
)
from incident_tracker.services import (
    discharges,
    notice_comments,
    notice_details,
    notice_drafting,
    notice_facts,
    notice_versions,
    review_settings,
)
from incident_tracker.services.call import Call


@dataclass(frozen=True)
class Paragraph:
    index: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class VersionRow:
    number: int
    author: str
    at: datetime
    cause: str
    approved: bool
    details_revision: int | None


@dataclass(frozen=True)
class ApprovalView:
    number: int
    approved_by: str
    approved_at: datetime
    pdf_sha256: str
    docx_sha256: str
    pdf_size: int
    docx_size: int
    override_reason: str
    missing: list[str]


@dataclass(frozen=True)
class NoticePage:
    incident: Incident
    obligation: ObligationRecord
    kind: NoticeKind
    title: str
    citation: str
    notice: Notice | None
    state_label: str
    version: NoticeVersion | None  # the version shown
    latest_number: int
    paragraphs: list[Paragraph]
    threads: list[notice_comments.Thread]
    check: notice_drafting.ContentCheck | None
    versions: list[VersionRow]
    approval: ApprovalView | None  # of the version shown
    approvals: list[ApprovalView]
    events: list[str]
    can_edit: bool
    can_comment: bool
    can_approve: bool
    approver_wrote_it: bool
    details_saved: bool
    details_stale: bool  # the details changed since the text was drafted
    facts: notice_facts.Staleness | None = None  # the printed facts against the current ones
    # The review hand-offs: who it waits for, the reviewers to choose from on submission, and
    # why the approver may not approve (in words, beside a disabled button) or must attest.
    reviewer: str = ""
    reviewers: tuple[tuple[int, str], ...] = ()
    default_reviewer_id: int | None = None
    approve_blocked: str = ""
    must_attest: bool = False


def _emails(call: Call, ids: set[int | None]) -> dict[int | None, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {u.id: u.email for u in call.session.exec(select(User).where(col(User.id).in_(wanted)))}


def _approvals(call: Call, notice: Notice, numbers: dict[int | None, int]) -> list[ApprovalView]:
    rows = list(
        call.session.exec(
            select(NoticeApproval)
            .where(NoticeApproval.notice_id == notice.id)
            .order_by(col(NoticeApproval.id))
        )
    )
    people = _emails(call, {r.approved_by for r in rows})
    return [
        ApprovalView(
            numbers.get(r.version_id, 0),
            people.get(r.approved_by, "?"),
            r.approved_at,
            r.pdf_sha256,
            r.docx_sha256,
            r.pdf_size,
            r.docx_size,
            r.override_reason,
            json.loads(r.missing),
        )
        for r in rows
    ]


def build(
    call: Call,
    incident: Incident,
    obligation_id: int,
    number: int | None = None,
    env_allows_editor: bool = False,
) -> NoticePage:
    """The page of one obligation's notice; `number` shows an older version (default: latest).
    `env_allows_editor` is NOTICE_APPROVER_MAY_BE_EDITOR, used until the profile holds a value."""
    obligation = notice_versions.obligation_of(call, incident, obligation_id)
    kind = kind_for_rule(obligation.rule_id) or NoticeKind.INDIVIDUAL
    notice = notice_versions.notice_for(call, incident, obligation_id)
    role = call.actor.role
    details_revision = notice_details.revision_of(call, incident)
    empty = NoticePage(
        incident=incident,
        obligation=obligation,
        kind=kind,
        title=title_for(obligation.rule_id, KINDS[kind].title),
        citation=KINDS[kind].citation,
        notice=None,
        state_label="Not drafted",
        version=None,
        latest_number=0,
        paragraphs=[],
        threads=[],
        check=None,
        versions=[],
        approval=None,
        approvals=[],
        events=[],
        can_edit=can(role, Action.EDIT_NOTICE),
        can_comment=can(role, Action.COMMENT),
        can_approve=can(role, Action.APPROVE_NOTICE),
        approver_wrote_it=False,
        details_saved=details_revision > 0,
        details_stale=False,
    )
    if notice is None:
        return empty
    all_versions = notice_versions.versions(call, notice)
    latest = all_versions[-1]
    shown = latest if number is None else notice_versions.version(call, notice, number)
    numbers = {v.id: v.number for v in all_versions}
    approvals = _approvals(call, notice, numbers)
    approved_numbers = {a.number for a in approvals}
    people = _emails(call, {v.author_id for v in all_versions})
    texts = paragraphs(shown.text)
    check = notice_drafting.check(
        call, incident, kind, notice_drafting.target(obligation), shown.text
    )
    events = [e.value for e in events_for(role, notice.state) if e is not Event.EDIT]
    return replace(
        empty,
        notice=notice,
        state_label=LABELS[ReviewState(notice.state)],
        version=shown,
        latest_number=latest.number,
        paragraphs=[Paragraph(i, from_markup(t)) for i, t in enumerate(texts)],
        threads=notice_comments.threads(call, notice, shown),
        check=check,
        versions=[
            VersionRow(
                v.number,
                people.get(v.author_id, "system"),
                v.created_at,
                v.cause,
                v.number in approved_numbers,
                v.details_revision,
            )
            for v in reversed(all_versions)
        ],
        approval=next((a for a in approvals if a.number == shown.number), None),
        approvals=approvals,
        events=events,
        can_edit=empty.can_edit and notice.state != ReviewState.SENT,
        approver_wrote_it=latest.author_id is not None and latest.author_id == call.actor.user_id,
        details_stale=(latest.details_revision or 0) < details_revision,
        facts=notice_facts.for_incident(call, incident).get(obligation_id),
        **_review(call, notice, latest, events, env_allows_editor),
    )


def _review(
    call: Call, notice: Notice, latest: NoticeVersion, events: list[str], env_allows: bool
) -> dict[str, Any]:
    """The hand-off part of the page: two queries (the settings row, the reviewers)."""
    settings = review_settings.current(call, env_allows)
    people = review_settings.reviewers(call)
    names = {u.id or 0: u.display_name or u.email for u in people}
    wrote_it = latest.author_id is not None and latest.author_id == call.actor.user_id
    blocked = ""
    if Event.APPROVE.value in events and wrote_it and not settings.approver_may_be_editor:
        blocked = self_approval_refusal()
        blocked = blocked[0].upper() + blocked[1:] + "."
    reviewer = names.get(notice.reviewer_id or 0, "")
    if not reviewer and notice.state == ReviewState.IN_REVIEW:
        # Unassigned, or its reviewer was deactivated or moved to another role since.
        reviewer = "any legal reviewer"
        if notice.reviewer_id is not None:
            reviewer += " (unassigned — the reviewer named can no longer review)"
    return {
        "reviewer": reviewer,
        "reviewers": tuple(names.items()),
        "default_reviewer_id": settings.default_reviewer_id,
        "approve_blocked": blocked,
        "must_attest": Event.APPROVE.value in events
        and wrote_it
        and settings.approver_may_be_editor,
    }


@dataclass(frozen=True)
class NoticeSummary:
    """One line of the incident page's notices section."""

    obligation_id: int
    rule_id: str
    state: str  # US State of the obligation, if any
    title: str
    review_state: str | None
    review_label: str
    version: int | None
    due: object
    stale: bool  # drafted from notice details older than the saved ones (and not yet sent)
    done: bool = False  # the obligation is recorded as done
    facts_label: str = ""  # "stale" or "content differs from current facts" (notice_facts)


def _undrafted(record: ObligationRecord) -> str:
    """An obligation without a draft here: maybe recorded as done some other way, or (NY1 for a
    HIPAA covered entity) discharged by the HIPAA letter itself, so no second letter is drafted."""
    if record.done_on:
        return f"No draft here; recorded done {record.done_on}"
    if registry.met_by_hipaa_letter(
        record.rule_id, str(json.loads(record.terms).get("citation", ""))
    ):
        return "Sent as the F1 letter (§ 899-aa(2)(b)); no separate draft"
    if record.rule_id in discharges.STATE_DUTIES:
        return (
            "Settled by the individual letter (F1) when it carries this State's required "
            "elements; draft here only for a separate State letter"
        )
    return "Not drafted"


def summaries(call: Call, incident: Incident) -> list[NoticeSummary]:
    """Every live obligation a notice discharges, with its notice's review state."""
    records = call.session.exec(
        select(ObligationRecord)
        .where(ObligationRecord.incident_id == incident.id, ObligationRecord.live == True)  # noqa: E712
        .order_by(
            col(ObligationRecord.due).is_(None), col(ObligationRecord.due), col(ObligationRecord.id)
        )
    ).all()
    notices = {
        n.obligation_id: n
        for n in call.session.exec(select(Notice).where(Notice.incident_id == incident.id))
    }
    latest: dict[int, NoticeVersion] = {}
    if notices:
        ids = [n.id for n in notices.values()]
        for v in call.session.exec(
            select(NoticeVersion).where(col(NoticeVersion.notice_id).in_(ids))
        ):
            if v.notice_id not in latest or v.number > latest[v.notice_id].number:
                latest[v.notice_id] = v
    revision = notice_details.revision_of(call, incident)
    measured = notice_facts.for_incident(call, incident) if notices else {}
    out = []
    for r in records:
        kind = kind_for_rule(r.rule_id)
        if kind is None:
            continue
        n = notices.get(r.id or 0)
        out.append(
            NoticeSummary(
                r.id or 0,
                r.rule_id,
                r.state,
                title_for(r.rule_id, KINDS[kind].title),
                n.state if n else None,
                LABELS[ReviewState(n.state)] if n else _undrafted(r),
                latest[n.id or 0].number if n and (n.id or 0) in latest else None,
                r.due,
                bool(
                    n
                    and n.state != ReviewState.SENT
                    and (n.id or 0) in latest
                    and (latest[n.id or 0].details_revision or 0) < revision
                ),
                r.done_on is not None,
                measured[r.id or 0].label if (r.id or 0) in measured else "",
            )
        )
    return out
