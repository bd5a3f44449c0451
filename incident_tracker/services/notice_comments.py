"""Review comments in threads anchored to paragraphs.

A thread starts on one paragraph of one version and stores the paragraph's index and a short quote
(core.anchors), so later versions still show it beside the paragraph it was about. Replies join the
thread; resolving closes it. Legal reviewers and privacy officers comment (Action.COMMENT).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select

from incident_tracker.core.anchors import locate, quote_of
from incident_tracker.core.notices.markup import paragraphs
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import Incident, Notice, NoticeComment, NoticeVersion, User
from incident_tracker.services import handoffs, notice_versions
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, NotFound, ValidationFailed

MAX_BODY = 4000


def _body(text: str) -> str:
    body = text.replace("\r\n", "\n").strip()
    if not body:
        raise ValidationFailed({"body": "write the comment"})
    if len(body) > MAX_BODY:
        raise ValidationFailed({"body": f"keep a comment under {MAX_BODY} characters"})
    return body


def _shape(row: NoticeComment) -> dict[str, int]:
    """What the audit keeps of a comment: its length, never its words (a body may quote PHI,
    and audit rows are permanent and admin-readable)."""
    return {"body_length": len(row.body)}


def start_thread(
    call: Call, incident: Incident, notice: Notice, number: int, paragraph: int, text: str
) -> NoticeComment:
    """A new thread on paragraph `paragraph` (0-based) of version `number`."""
    call.require(Action.COMMENT)
    version = notice_versions.version(call, notice, number)
    found = paragraphs(version.text)
    if not 0 <= paragraph < len(found):
        raise ValidationFailed({"paragraph": "choose a paragraph of the notice"})
    row = NoticeComment(
        notice_id=notice.id or 0,
        version_id=version.id or 0,
        paragraph=paragraph,
        quote=quote_of(found[paragraph]),
        body=_body(text),
        author_id=call.actor.user_id,
        created_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "notice.comment",
        object_type="notice",
        object_id=notice.id,
        new={"comment": row.id, "version": number, "paragraph": paragraph, **_shape(row)},
    )
    handoffs.commented(call, incident, notice)
    return row


def _thread(call: Call, notice: Notice, comment_id: int) -> NoticeComment:
    root = call.session.get(NoticeComment, comment_id)
    if root is None or root.notice_id != notice.id or root.parent_id is not None:
        raise NotFound("no such comment thread")
    return root


def reply(
    call: Call, incident: Incident, notice: Notice, comment_id: int, text: str
) -> NoticeComment:
    call.require(Action.COMMENT)
    root = _thread(call, notice, comment_id)
    if root.resolved_at is not None:
        raise Conflict("this thread is resolved; start a new one")
    row = NoticeComment(
        notice_id=notice.id or 0,
        version_id=notice_versions.latest(call, notice).id or 0,
        parent_id=root.id,
        paragraph=root.paragraph,
        quote=root.quote,
        body=_body(text),
        author_id=call.actor.user_id,
        created_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "notice.comment_reply",
        object_type="notice",
        object_id=notice.id,
        new={"comment": row.id, "thread": root.id, "paragraph": row.paragraph, **_shape(row)},
    )
    handoffs.commented(call, incident, notice)
    return row


def resolve(call: Call, incident: Incident, notice: Notice, comment_id: int) -> None:
    call.require(Action.COMMENT)
    root = _thread(call, notice, comment_id)
    if root.resolved_at is not None:
        return  # already resolved: a second click changes nothing
    root.resolved_at, root.resolved_by = call.now, call.actor.user_id
    call.session.add(root)
    call.session.flush()
    call.audit(
        "notice.comment_resolve",
        object_type="notice",
        object_id=notice.id,
        new={"thread": root.id},
    )


@dataclass(frozen=True)
class Entry:
    id: int
    author: str
    at: datetime
    body: str


@dataclass
class Thread:
    id: int
    quote: str
    made_on_version: int
    paragraph: int | None  # where it points in the version shown; None: anchor lost
    resolved: bool
    resolved_by: str | None
    entries: list[Entry] = field(default_factory=list)


def threads(call: Call, notice: Notice, shown: NoticeVersion) -> list[Thread]:
    """Every thread, anchored to the paragraphs of the version shown (oldest first)."""
    rows = list(
        call.session.exec(
            select(NoticeComment)
            .where(NoticeComment.notice_id == notice.id)
            .order_by(col(NoticeComment.id))
        )
    )
    if not rows:
        return []
    numbers = {
        v.id: v.number
        for v in call.session.exec(
            select(NoticeVersion).where(NoticeVersion.notice_id == notice.id)
        )
    }
    people_ids = {r.author_id for r in rows} | {r.resolved_by for r in rows}
    people = {
        u.id: u.email
        for u in call.session.exec(select(User).where(col(User.id).in_(people_ids - {None})))
    }
    texts = paragraphs(shown.text)
    replies: dict[int, list[NoticeComment]] = defaultdict(list)
    for r in rows:
        if r.parent_id is not None:
            replies[r.parent_id].append(r)
    out = []
    for r in rows:
        if r.parent_id is not None:
            continue
        where = r.paragraph if r.version_id == shown.id else locate(texts, r.paragraph, r.quote)
        thread = Thread(
            r.id or 0,
            r.quote,
            numbers.get(r.version_id, 0),
            where,
            r.resolved_at is not None,
            people.get(r.resolved_by) if r.resolved_by else None,
        )
        for entry in (r, *replies[r.id or 0]):
            who = people.get(entry.author_id, "?") if entry.author_id else "system"
            thread.entries.append(Entry(entry.id or 0, who, entry.created_at, entry.body))
        out.append(thread)
    return out
