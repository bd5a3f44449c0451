"""Review comments: threads anchored to a paragraph that survive edits, replies, resolution, and
who may comment (legal reviewers and privacy officers comment)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from incident_tracker.clock import FixedClock
from incident_tracker.core.notices.markup import paragraphs
from incident_tracker.db.models import Notice, User
from incident_tracker.services import notice_comments, notice_versions
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, Forbidden, ValidationFailed
from tests.services.notice_support import (
    People,
    as_user,
    audit_actions,
    incident_id,
    load,
    people,
)
from tests.services.test_notice_review import create, edit, notice

__all__ = ["incident_id", "people"]  # fixtures


def comment(
    engine: Engine,
    clock: FixedClock,
    who: User,
    iid: int,
    nid: int,
    number: int,
    at: int,
    body: str,
) -> int:
    def work(c: Call) -> int:
        row = c.session.get(Notice, nid)
        assert row is not None
        made = notice_comments.start_thread(c, load(c, iid), row, number, at, body)
        return made.id or 0

    return as_user(engine, clock, who, work)


def threads(engine: Engine, clock: FixedClock, who: User, nid: int) -> list[notice_comments.Thread]:
    def work(c: Call) -> list[notice_comments.Thread]:
        row = c.session.get(Notice, nid)
        assert row is not None
        return notice_comments.threads(c, row, notice_versions.latest(c, row))

    return as_user(engine, clock, who, work)


def test_a_thread_keeps_its_paragraph_when_an_edit_inserts_paragraphs_before_it(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """Comment on the "Dear [Recipient name]:" paragraph of version 1; version 2 adds two
    paragraphs at the top, so the same paragraph is now two further down."""
    nid = create(engine, clock, people, incident_id, "F1")
    _, [v1] = notice(engine, nid)
    texts = paragraphs(v1.text)
    salutation = texts.index("Dear [Recipient name]:")
    comment(
        engine, clock, people.reviewer, incident_id, nid, 1, salutation, "Use the member's name."
    )
    edit(
        engine,
        clock,
        people.officer,
        incident_id,
        nid,
        "CONFIDENTIAL\n\nPlease read.\n\n" + v1.text,
    )
    [thread] = threads(engine, clock, people.officer, nid)
    assert (thread.made_on_version, thread.paragraph) == (1, salutation + 2)
    assert thread.quote == "Dear [Recipient name]:"
    assert [(e.author, e.body) for e in thread.entries] == [
        ("legal@example.org", "Use the member's name.")
    ]


def test_a_thread_whose_paragraph_was_deleted_shows_as_anchor_lost(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    _, [v1] = notice(engine, nid)
    closing = paragraphs(v1.text).index("We sincerely regret any concern this may cause you.")
    comment(engine, clock, people.reviewer, incident_id, nid, 1, closing, "Too apologetic?")
    edit(
        engine,
        clock,
        people.officer,
        incident_id,
        nid,
        v1.text.replace("We sincerely regret any concern this may cause you.", ""),
    )
    [thread] = threads(engine, clock, people.officer, nid)
    assert thread.paragraph is None


def test_replies_join_the_thread_and_resolving_closes_it(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    root = comment(engine, clock, people.reviewer, incident_id, nid, 1, 0, "Letterhead right?")

    def answer(c: Call) -> None:
        row = c.session.get(Notice, nid)
        assert row is not None
        notice_comments.reply(c, load(c, incident_id), row, root, "Yes, checked.")

    def close(c: Call) -> None:
        row = c.session.get(Notice, nid)
        assert row is not None
        notice_comments.resolve(c, load(c, incident_id), row, root)

    as_user(engine, clock, people.officer, answer)
    as_user(engine, clock, people.reviewer, close)
    [thread] = threads(engine, clock, people.officer, nid)
    assert [e.body for e in thread.entries] == ["Letterhead right?", "Yes, checked."]
    assert (thread.resolved, thread.resolved_by) == (True, "legal@example.org")
    with pytest.raises(Conflict, match="resolved"):
        as_user(engine, clock, people.officer, answer)
    assert audit_actions(engine, "notice.comment") == [
        "notice.comment",
        "notice.comment_reply",
        "notice.comment_resolve",
    ]


def test_comments_need_the_comment_permission_a_body_and_a_real_paragraph(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    _, [v1] = notice(engine, nid)
    with pytest.raises(Forbidden):
        comment(engine, clock, people.reader, incident_id, nid, 1, 0, "Looks fine")
    with pytest.raises(ValidationFailed) as empty:
        comment(engine, clock, people.officer, incident_id, nid, 1, 0, "   ")
    assert empty.value.field_errors == {"body": "write the comment"}
    beyond = len(paragraphs(v1.text))
    with pytest.raises(ValidationFailed) as outside:
        comment(engine, clock, people.officer, incident_id, nid, 1, beyond, "Where?")
    assert outside.value.field_errors == {"paragraph": "choose a paragraph of the notice"}
