"""Approval stores the exact approved DOCX and PDF with their SHA-256, a download re-verifies the
hash, and only the approved, current version can be recorded as sent (45 CFR 164.530(j):
the record proves the exact wording)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy.engine import Engine

from incident_tracker.clock import FixedClock
from incident_tracker.core.notices.markup import from_markup
from incident_tracker.db.models import Notice
from incident_tracker.services import incidents, notice_review, notice_versions
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, Forbidden
from tests.services.notice_support import (
    FULL_DETAILS,
    NY_600,
    People,
    as_user,
    audit_rows,
    incident_id,
    load,
    obligation_id,
    people,
)
from tests.services.test_notice_review import approve, create, edit, move, notice, save_details

__all__ = ["incident_id", "people"]  # fixtures


@pytest.fixture
def approved(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: Path
) -> int:
    """F1's letter, with details, submitted by the officer and approved by legal."""
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")
    move(engine, clock, people.officer, incident_id, nid, "submit")
    approve(engine, clock, people.reviewer, incident_id, nid, tmp_path / "files")
    return nid


def fetch(
    engine: Engine, clock: FixedClock, people: People, iid: int, nid: int, fmt: str, storage: Path
) -> notice_review.StoredFile:
    def work(c: Call) -> notice_review.StoredFile:
        row = c.session.get(Notice, nid)
        assert row is not None
        return notice_review.fetch_file(c, load(c, iid), row, 1, fmt, storage)

    return as_user(engine, clock, people.officer, work)


def test_the_stored_files_are_the_approved_text_and_match_their_hash(
    engine: Engine,
    clock: FixedClock,
    people: People,
    incident_id: int,
    approved: int,
    tmp_path: Path,
) -> None:
    """The DOCX holds the approved version's paragraphs, word for word; both files re-verify."""
    storage = tmp_path / "files"
    _, [v1] = notice(engine, approved)
    pdf = fetch(engine, clock, people, incident_id, approved, "pdf", storage)
    docx = fetch(engine, clock, people, incident_id, approved, "docx", storage)
    assert pdf.problem is None and pdf.content is not None and pdf.content.startswith(b"%PDF")
    assert docx.problem is None and docx.content is not None
    number = as_user(engine, clock, None, lambda c: load(c, incident_id).number)
    assert docx.name == f"{number}-individual-v1-approved.docx"
    written = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs if p.text]
    expected = [b.text for b in from_markup(v1.text) if b.kind == "paragraph"]
    assert len(expected) > 5
    assert [p for p in written if p in expected] == expected
    approvals = audit_rows(engine, "notice.approval_files")
    assert approvals[0].new_values is not None
    assert hashlib.sha256(pdf.content).hexdigest() in approvals[0].new_values
    assert len(audit_rows(engine, "notice.download")) == 2


def test_a_changed_stored_file_is_refused_and_the_refusal_is_audited(
    engine: Engine,
    clock: FixedClock,
    people: People,
    incident_id: int,
    approved: int,
    tmp_path: Path,
) -> None:
    """One byte changed on disk: the download is refused with a clear reason and audited."""
    storage = tmp_path / "files"
    [pdf_file] = [p for p in storage.iterdir() if p.read_bytes().startswith(b"%PDF")]
    content = bytearray(pdf_file.read_bytes())
    content[-10] ^= 0x01
    pdf_file.write_bytes(bytes(content))
    got = fetch(engine, clock, people, incident_id, approved, "pdf", storage)
    assert got.content is None
    assert (
        got.problem == "the stored approved file no longer matches the SHA-256 recorded at approval"
    )
    [refused] = audit_rows(engine, "notice.download_refused")
    assert refused.actor_email == "officer@example.org"
    pdf_file.unlink()
    gone = fetch(engine, clock, people, incident_id, approved, "pdf", storage)
    assert gone.problem == "the stored approved file is missing"


def test_the_approved_version_is_recorded_as_sent_and_then_never_changes(
    engine: Engine,
    clock: FixedClock,
    people: People,
    incident_id: int,
    approved: int,
) -> None:
    """mark_sent (called by the record-sent service) moves approved -> sent; a sent notice refuses
    edits, and a second mark_sent is refused."""
    _, [v1] = notice(engine, approved)
    with pytest.raises(Forbidden):
        as_user(
            engine,
            clock,
            people.reviewer,
            lambda c: notice_review.mark_sent(c, load(c, incident_id), v1.id or 0),
        )
    as_user(
        engine,
        clock,
        people.officer,
        lambda c: notice_review.mark_sent(c, load(c, incident_id), v1.id or 0),
    )
    row, _ = notice(engine, approved)
    assert (row.state, row.sent_version_id) == ("sent", v1.id)
    with pytest.raises(Conflict, match="cannot change"):
        edit(engine, clock, people.officer, incident_id, approved, v1.text + "\nLate line.\n")
    with pytest.raises(Conflict, match="only an approved notice"):
        as_user(
            engine,
            clock,
            people.officer,
            lambda c: notice_review.mark_sent(c, load(c, incident_id), v1.id or 0),
        )
    [sent] = audit_rows(engine, "notice.mark_sent")
    assert sent.detail == "version 1"


def test_only_the_approved_current_version_of_this_incident_can_be_recorded_as_sent(
    engine: Engine,
    clock: FixedClock,
    people: People,
    incident_id: int,
    approved: int,
) -> None:
    """Another incident's call, a superseded version and an unapproved notice are refused."""
    _, [v1] = notice(engine, approved)

    def other_incident(c: Call) -> None:
        other = incidents.create(
            c,
            NY_600.__class__(
                **{**NY_600.__dict__, "title": "Other", "owner_id": people.officer.id}
            ),
        )
        notice_review.mark_sent(c, other, v1.id or 0)

    with pytest.raises(Conflict, match="does not belong to this incident"):
        as_user(engine, clock, None, other_incident)
    edit(engine, clock, people.officer, incident_id, approved, v1.text + "\nNew line.\n")
    with pytest.raises(Conflict):
        as_user(
            engine,
            clock,
            people.officer,
            lambda c: notice_review.mark_sent(c, load(c, incident_id), v1.id or 0),
        )

    def state(c: Call) -> str:
        row = c.session.get(Notice, approved)
        assert row is not None
        return row.state + str(notice_versions.latest(c, row).number)

    assert as_user(engine, clock, people.officer, state) == "draft2"


def test_withdrawing_the_sent_record_takes_the_notice_back_to_approved(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, approved: int
) -> None:
    """A mistaken record-sent entry is withdrawn (the record-sent service's undo): the notice is
    approved again with the same locked version; an obligation without a sent notice is left
    alone."""
    _, [v1] = notice(engine, approved)
    oid = obligation_id(engine, incident_id, "F1")
    as_user(
        engine,
        clock,
        people.officer,
        lambda c: notice_review.mark_sent(c, load(c, incident_id), v1.id or 0),
    )
    as_user(
        engine,
        clock,
        people.officer,
        lambda c: notice_review.unmark_sent(c, load(c, incident_id), oid),
    )
    row, versions = notice(engine, approved)
    assert (row.state, row.sent_version_id, len(versions)) == ("approved", None, 1)
    as_user(
        engine,
        clock,
        people.officer,
        lambda c: notice_review.unmark_sent(c, load(c, incident_id), oid),
    )
    assert [e.action for e in audit_rows(engine, "notice.undo_sent")] == ["notice.undo_sent"]
