"""Notice drafts per obligation and their review workflow.

The incident (tests/services/notice_support.py): 600 NY residents, names and SSNs, discovered
2026-09-14; it owes F1 (45 CFR 164.404), F3 NY (164.406) and F4 (164.408(b)) among others.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import Notice, NoticeApproval, NoticeVersion
from incident_tracker.services import notice_details, notice_review, notice_versions
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, Forbidden, ValidationFailed
from tests.services.notice_support import (
    FULL_DETAILS,
    People,
    as_user,
    audit_actions,
    incident_id,
    load,
    obligation_id,
    people,
)

__all__ = ["incident_id", "people"]  # fixtures


def details_form(**values: str) -> dict[str, str]:
    return {name: "" for name in notice_details.FORM_FIELDS} | values


def save_details(engine: Engine, clock: FixedClock, who: People, iid: int, **values: str) -> None:
    def work(c: Call) -> None:
        incident = load(c, iid)
        notice_details.save(
            c, incident, details_form(**values), notice_details.revision_of(c, incident)
        )

    as_user(engine, clock, who.officer, work)


def create(
    engine: Engine, clock: FixedClock, who: People, iid: int, rule: str, state: str = ""
) -> int:
    oid = obligation_id(engine, iid, rule, state)
    return as_user(
        engine, clock, who.officer, lambda c: notice_versions.create(c, load(c, iid), oid).id or 0
    )


def notice(engine: Engine, notice_id: int) -> tuple[Notice, list[NoticeVersion]]:
    with Session(engine) as session:
        row = session.get(Notice, notice_id)
        assert row is not None
        found = session.exec(
            select(NoticeVersion)
            .where(NoticeVersion.notice_id == notice_id)
            .order_by(col(NoticeVersion.number))
        ).all()
        return row, list(found)


def edit(engine: Engine, clock: FixedClock, user: object, iid: int, nid: int, text: str) -> int:
    def work(c: Call) -> int:
        row = c.session.get(Notice, nid)
        assert row is not None
        base = notice_versions.latest(c, row).number
        return notice_versions.add_version(c, load(c, iid), row, text, base, "edited").number

    return as_user(engine, clock, user, work)  # type: ignore[arg-type]


def move(engine: Engine, clock: FixedClock, user: object, iid: int, nid: int, what: str) -> None:
    def work(c: Call) -> None:
        row = c.session.get(Notice, nid)
        assert row is not None
        number = notice_versions.latest(c, row).number
        getattr(notice_review, what)(c, load(c, iid), row, number)

    as_user(engine, clock, user, work)  # type: ignore[arg-type]


def approve(
    engine: Engine,
    clock: FixedClock,
    user: object,
    iid: int,
    nid: int,
    storage: object,
    override: bool = False,
    reason: str = "",
    may_be_editor: bool = False,
    attested: bool = False,
) -> NoticeApproval:
    def work(c: Call) -> NoticeApproval:
        row = c.session.get(Notice, nid)
        assert row is not None
        given = notice_review.ApprovalInput(
            notice_versions.latest(c, row).number, override, reason, attested
        )
        return notice_review.approve(c, load(c, iid), row, given, storage, may_be_editor)  # type: ignore[arg-type]

    return as_user(engine, clock, user, work)  # type: ignore[arg-type]


def test_a_draft_is_made_from_an_obligation_with_the_details_entered_once(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """The details typed once appear in every notice drafted for the incident —
    the individual letter (45 CFR 164.404(c)(1)(A)) and the NY media notice (164.406(c))."""
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    letter = create(engine, clock, people, incident_id, "F1")
    media = create(engine, clock, people, incident_id, "F3", "NY")
    for nid, kind in ((letter, "individual"), (media, "media")):
        row, versions = notice(engine, nid)
        assert (row.kind, row.state, [v.number for v in versions]) == (kind, "draft", [1])
        assert FULL_DETAILS["what_happened"] in versions[0].text
        assert versions[0].details_revision == 1
        assert versions[0].author_id == people.officer.id
    assert audit_actions(engine) == ["notice_details.save", "notice.create", "notice.create"]


def test_an_obligation_gets_one_notice_and_only_when_a_notice_discharges_it(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """A second draft for the same obligation is refused (one notice per obligation); F8, the
    six-year record (164.530(j)), is not a notice at all."""
    create(engine, clock, people, incident_id, "F1")
    with pytest.raises(Conflict):
        create(engine, clock, people, incident_id, "F1")
    with pytest.raises(ValidationFailed) as refused:
        create(engine, clock, people, incident_id, "F8")
    assert refused.value.field_errors == {"notice": "F8 is not discharged by a notice"}


def test_every_edit_is_a_new_version_and_nothing_is_updated_in_place(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    _, before = notice(engine, nid)
    first_text = before[0].text
    assert (
        edit(engine, clock, people.reviewer, incident_id, nid, first_text + "\nP.S. Call us.\n")
        == 2
    )
    assert edit(engine, clock, people.officer, incident_id, nid, first_text) == 3
    _, after = notice(engine, nid)
    assert [(v.number, v.author_id) for v in after] == [
        (1, people.officer.id),
        (2, people.reviewer.id),
        (3, people.officer.id),
    ]
    assert after[0].text == first_text and after[0].created_at == before[0].created_at
    assert after[1].text.endswith("P.S. Call us.\n")


def test_an_edit_started_from_an_old_version_or_changing_nothing_is_refused(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    _, [v1] = notice(engine, nid)
    edit(engine, clock, people.officer, incident_id, nid, v1.text + "\nAdded.\n")

    def stale(c: Call) -> None:
        row = c.session.get(Notice, nid)
        assert row is not None
        notice_versions.add_version(c, load(c, incident_id), row, "Other text", 1, "edited")

    with pytest.raises(Conflict, match="version 2 was saved after you started from version 1"):
        as_user(engine, clock, people.reviewer, stale)
    with pytest.raises(ValidationFailed, match="no change from version 2"):
        edit(engine, clock, people.officer, incident_id, nid, v1.text + "\nAdded.\n")


def test_changed_details_redraft_as_a_new_version_and_keep_the_hand_edited_one(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """Changing the details never overwrites an edited text: redrafting is a new version."""
    nid = create(engine, clock, people, incident_id, "F1")
    _, [v1] = notice(engine, nid)
    edited = v1.text.replace("Dear [Recipient name]:", "Dear Member:")
    edit(engine, clock, people.reviewer, incident_id, nid, edited)
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)

    def redraft(c: Call) -> NoticeVersion:
        row = c.session.get(Notice, nid)
        assert row is not None
        return notice_versions.regenerate(c, load(c, incident_id), row, 2)

    v3 = as_user(engine, clock, people.officer, redraft)
    _, versions = notice(engine, nid)
    assert [v.number for v in versions] == [1, 2, 3]
    assert "Dear Member:" in versions[1].text and "Dear Member:" not in v3.text
    assert FULL_DETAILS["what_happened"] in v3.text
    assert (v3.details_revision, versions[1].details_revision) == (1, 0)
    assert v3.cause == "redrafted from the notice details (revision 1)"


def test_the_workflow_runs_draft_review_changes_review_approved(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: object
) -> None:
    """Draft -> in review -> changes requested -> in review -> approved, each
    step audited."""
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")
    states = []
    for who, what in (
        (people.officer, "submit"),
        (people.reviewer, "request_changes"),
        (people.officer, "submit"),
    ):
        move(engine, clock, who, incident_id, nid, what)
        states.append(notice(engine, nid)[0].state)
    approve(engine, clock, people.reviewer, incident_id, nid, tmp_path)
    states.append(notice(engine, nid)[0].state)
    assert states == ["in_review", "changes_requested", "in_review", "approved"]
    assert audit_actions(engine, "notice.") == [
        "notice.create",
        "notice.submit",
        "notice.handoff",  # the legal reviewers are told
        "notice.request_changes",
        "notice.handoff",  # the officer is told
        "notice.submit",
        "notice.handoff",
        "notice.approve",
        "notice.approval_files",
        "notice.handoff",
    ]


def test_who_may_move_a_notice_follows_the_roles(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: object
) -> None:
    """Only legal reviewers approve or request changes; read-only users draft nothing; approving a
    draft that was never submitted is refused by the workflow."""
    nid = create(engine, clock, people, incident_id, "F1")
    with pytest.raises(Conflict, match="only a notice in legal review can be approved"):
        approve(engine, clock, people.reviewer, incident_id, nid, tmp_path, True, "ok")
    move(engine, clock, people.officer, incident_id, nid, "submit")
    with pytest.raises(Forbidden):
        approve(engine, clock, people.officer, incident_id, nid, tmp_path, True, "ok")
    with pytest.raises(Forbidden):
        move(engine, clock, people.officer, incident_id, nid, "request_changes")
    with pytest.raises(Forbidden):
        edit(engine, clock, people.reader, incident_id, nid, "Anything")
    assert notice(engine, nid)[0].state == "in_review"


def test_the_approver_cannot_be_the_last_editor_unless_the_setting_allows_it(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: object
) -> None:
    """Four eyes: a reviewer who wrote the version may not approve it (NOTICE_APPROVER_MAY_BE_
    EDITOR off by default); another reviewer may, and so may the editor when allowed."""
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")
    _, [v1] = notice(engine, nid)
    edit(engine, clock, people.reviewer, incident_id, nid, v1.text + "\nReviewed wording.\n")
    move(engine, clock, people.officer, incident_id, nid, "submit")
    with pytest.raises(ValidationFailed) as refused:
        approve(engine, clock, people.reviewer, incident_id, nid, tmp_path)
    assert set(refused.value.field_errors) == {"approve"}
    # Allowed (one-lawyer organisations): only with the editor's attestation, which is kept.
    with pytest.raises(ValidationFailed) as unattested:
        approve(engine, clock, people.reviewer, incident_id, nid, tmp_path, may_be_editor=True)
    assert set(unattested.value.field_errors) == {"attest"}
    approval = approve(
        engine,
        clock,
        people.reviewer,
        incident_id,
        nid,
        tmp_path,
        may_be_editor=True,
        attested=True,
    )
    assert approval.approved_by == people.reviewer.id
    assert approval.attestation and "I wrote this version" in approval.attestation
    assert "notice.approve_own_edit" in audit_actions(engine, "notice.approve")


def test_a_missing_required_element_needs_an_override_with_a_written_reason(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: object
) -> None:
    """No details saved: what happened (164.404(c)(1)(A)) and what we are doing ((D)) are
    missing, so approval is refused, then refused without a reason, then allowed and audited."""
    nid = create(engine, clock, people, incident_id, "F1")
    move(engine, clock, people.officer, incident_id, nid, "submit")
    with pytest.raises(ValidationFailed) as no_override:
        approve(engine, clock, people.reviewer, incident_id, nid, tmp_path)
    assert set(no_override.value.field_errors) == {"override"}
    assert "2 required element(s) missing" in no_override.value.field_errors["override"]
    with pytest.raises(ValidationFailed) as no_reason:
        approve(engine, clock, people.reviewer, incident_id, nid, tmp_path, True, "  ")
    assert set(no_reason.value.field_errors) == {"reason"}
    approval = approve(
        engine, clock, people.reviewer, incident_id, nid, tmp_path, True, "Sent under GC's advice"
    )
    assert approval.override_reason == "Sent under GC's advice"
    assert audit_actions(engine, "notice.approve")[-1] == "notice.approve_override"
    assert notice(engine, nid)[0].state == "approved"


def test_an_edit_after_approval_is_a_new_version_that_needs_approval_again(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: object
) -> None:
    """The approved version stays locked with its files; the edit is version 2, back in draft,
    and the record-sent form no longer offers an approved version."""
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")
    move(engine, clock, people.officer, incident_id, nid, "submit")
    approval = approve(engine, clock, people.reviewer, incident_id, nid, tmp_path)
    oid = obligation_id(engine, incident_id, "F1")
    offered = as_user(
        engine,
        clock,
        people.officer,
        lambda c: notice_review.approved_version_for(c, load(c, incident_id), oid),
    )
    assert offered is not None and offered.number == 1
    _, [v1] = notice(engine, nid)
    assert (
        edit(engine, clock, people.officer, incident_id, nid, v1.text + "\nOne more line.\n") == 2
    )
    row, versions = notice(engine, nid)
    assert row.state == "draft"
    assert versions[0].text == v1.text and approval.version_id == versions[0].id
    assert (
        as_user(
            engine,
            clock,
            people.officer,
            lambda c: notice_review.approved_version_for(c, load(c, incident_id), oid),
        )
        is None
    )


def test_details_saved_over_someone_elses_newer_save_are_refused(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """The form carries the revision it was opened on: a save from revision 0 after someone saved
    revision 1 is refused, and the saved details stay as they were."""
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)

    def stale(c: Call) -> None:
        notice_details.save(c, load(c, incident_id), details_form(what_happened="Other"), 0)

    with pytest.raises(Conflict, match="someone else saved these details"):
        as_user(engine, clock, people.reviewer, stale)
    saved = as_user(
        engine, clock, people.officer, lambda c: notice_details.details_for(c, load(c, incident_id))
    )
    assert saved.what_happened == FULL_DETAILS["what_happened"]


def test_the_four_eyes_setting_defaults_off_and_reads_the_environment(tmp_path: Path) -> None:
    assert Settings().notice_approver_may_be_editor is False
    instance = {"INSTANCE_PATH": str(tmp_path)}  # where a development start keeps its keys
    assert Settings.from_env(instance).notice_approver_may_be_editor is False
    on = Settings.from_env({**instance, "NOTICE_APPROVER_MAY_BE_EDITOR": "1"})
    assert on.notice_approver_may_be_editor is True
