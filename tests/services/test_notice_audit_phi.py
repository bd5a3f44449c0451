"""The audit trail never keeps notice words: audit rows are permanent and every
admin reads them, while comment bodies and notice details (persons_involved, what happened) may
hold PHI. Only the minimum necessary is kept (45 CFR 164.502(b)): which comment, where, how
long; which detail fields changed and a SHA-256 of the saved JSON, enough to match a later
copy without holding the words."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.db.models import Notice, NoticeDetailsRecord
from incident_tracker.services import notice_comments, notice_details
from incident_tracker.services.call import Call
from tests.services.notice_support import (
    People,
    as_user,
    audit_rows,
    incident_id,
    load,
    people,
)
from tests.services.test_notice_review import create, save_details

__all__ = ["incident_id", "people"]  # fixtures

PHI = "Jane Roe (MRN 4471) saw Dr. Ames"


def test_comment_audits_keep_the_id_paragraph_and_length_but_not_the_body(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    body, answer = "Drop Jane Roe.", "Agreed: Jane Roe goes."  # 4+1+8+1 and 7+1+8+1+5

    def work(c: Call) -> tuple[int, int]:
        row = c.session.get(Notice, nid)
        assert row is not None
        root = notice_comments.start_thread(c, load(c, incident_id), row, 1, 2, body)
        reply = notice_comments.reply(c, load(c, incident_id), row, root.id or 0, answer)
        return root.id or 0, reply.id or 0

    root, reply = as_user(engine, clock, people.reviewer, work)
    [started] = audit_rows(engine, "notice.comment")
    [replied] = audit_rows(engine, "notice.comment_reply")
    assert json.loads(started.new_values or "") == {
        "comment": root,
        "version": 1,
        "paragraph": 2,
        "body_length": 14,
    }
    assert json.loads(replied.new_values or "") == {
        "comment": reply,
        "thread": root,
        "paragraph": 2,
        "body_length": 22,
    }
    for event in (started, replied):
        assert "Jane Roe" not in f"{event.old_values} {event.new_values} {event.detail}"


def test_details_audits_keep_changed_field_names_and_a_hash_but_no_values(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """First save: four fields appear (identity protection counted field by field). Second:
    only persons_involved and identity_protection.months change."""
    first = {"what_happened": "Other", "persons_involved": PHI}
    save_details(engine, clock, people, incident_id, **first, ip_provider="Kroll", ip_months="12")
    save_details(
        engine,
        clock,
        people,
        incident_id,
        what_happened="Other",
        persons_involved="Jane Roe and John Roe",
        ip_provider="Kroll",
        ip_months="24",
    )
    with Session(engine) as session:
        saved = session.exec(select(NoticeDetailsRecord)).one()
    events = audit_rows(engine, "notice_details.save")
    assert [json.loads(e.new_values or "")["changed"] for e in events] == [
        [
            "identity_protection.months",
            "identity_protection.provider",
            "persons_involved",
            "what_happened",
        ],
        ["identity_protection.months", "persons_involved"],
    ]
    last = json.loads(events[-1].new_values or "")
    assert last["revision"] == 2
    assert last["sha256"] == hashlib.sha256(saved.data.encode()).hexdigest()
    for event in events:
        assert event.old_values is None
        written = f"{event.new_values} {event.detail}"
        assert "Roe" not in written and "Kroll" not in written and "Other" not in written


def test_changed_fields_compares_one_level_into_nested_objects() -> None:
    old = {"a": "1", "ip": {"months": 12, "provider": "K"}, "gone": "x"}
    new = {"a": "1", "ip": {"months": 24, "provider": "K"}, "b": "2"}
    assert notice_details.changed_fields(old, new) == ["b", "gone", "ip.months"]
    assert notice_details.changed_fields({"ip": {"months": 1}}, {}) == ["ip.months"]
    assert notice_details.changed_fields(old, old) == []
