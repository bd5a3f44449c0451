"""Hand-offs between the officer and legal: the reviewer a submission goes to, "My reviews" and
"Changes requested", the in-app notification and the e-mail through the reminder ledger, and the
organisation profile's review settings seeded once from NOTICE_APPROVER_MAY_BE_EDITOR.

The incident (tests/services/notice_support.py): 600 NY residents, discovered 2026-09-14; it owes
F1 (45 CFR 164.404) and F4 (164.408(b)) among others.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.db.models import (
    AuditEvent,
    IncidentAssignee,
    Notice,
    Notification,
    ObligationRecord,
    Organisation,
    Reminder,
    SentEmail,
)
from incident_tracker.mail import SMTPMailer
from incident_tracker.services import (
    notice_comments,
    notice_review,
    notice_versions,
    obligations,
    review_settings,
    work_queues,
)
from incident_tracker.services.call import Call
from incident_tracker.services.dispatch import Dispatcher
from incident_tracker.services.errors import Forbidden, ValidationFailed
from tests.conftest import AUDIT_KEY
from tests.mailbox import Mailbox, body
from tests.services.notice_support import (
    FULL_DETAILS,
    People,
    as_user,
    incident_id,
    load,
    obligation_id,
    people,
)
from tests.services.test_notice_review import approve, create, edit, save_details

__all__ = ["incident_id", "people"]  # fixtures


def submit(
    engine: Engine, clock: FixedClock, who: object, iid: int, nid: int, to: int | None = None
) -> None:
    def work(c: Call) -> None:
        row = c.session.get(Notice, nid)
        assert row is not None
        number = notice_versions.latest(c, row).number
        notice_review.submit(c, load(c, iid), row, number, to)

    as_user(engine, clock, who, work)  # type: ignore[arg-type]


def changes(engine: Engine, clock: FixedClock, who: object, iid: int, nid: int) -> None:
    def work(c: Call) -> None:
        row = c.session.get(Notice, nid)
        assert row is not None
        notice_review.request_changes(c, load(c, iid), row, notice_versions.latest(c, row).number)

    as_user(engine, clock, who, work)  # type: ignore[arg-type]


def notes(engine: Engine, user_id: int | None) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(col(Notification.id))
        )
        return [n.subject for n in rows]


def handoff_rows(engine: Engine) -> list[Reminder]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(Reminder).where(Reminder.kind == "handoff").order_by(col(Reminder.id))
            )
        )


def test_a_submission_goes_to_the_chosen_reviewer_and_waits_in_their_queue_only(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")
    submit(engine, clock, people.officer, incident_id, nid, people.second_reviewer.id)
    with Session(engine) as session:
        row = session.get(Notice, nid)
        assert row is not None
        assert (row.reviewer_id, row.submitted_by) == (people.second_reviewer.id, people.officer.id)
    mine = as_user(engine, clock, people.second_reviewer, work_queues.my_reviews)
    theirs = as_user(engine, clock, people.reviewer, work_queues.my_reviews)
    assert [r.rule_id for r in mine] == ["F1"] and theirs == []
    [told] = notes(engine, people.second_reviewer.id)
    assert told.startswith("[INC-") and told.endswith(": submitted for your review")
    assert notes(engine, people.reviewer.id) == []
    [handoff] = handoff_rows(engine)
    assert (handoff.recipient_id, handoff.offset, handoff.status) == (
        people.second_reviewer.id,
        "rv-submitted",
        "pending",
    )


def test_a_legal_reviewer_who_is_not_chosen_cannot_be_bypassed_by_a_forged_id(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    with pytest.raises(ValidationFailed) as refused:
        submit(engine, clock, people.officer, incident_id, nid, people.reader.id)
    assert set(refused.value.field_errors) == {"reviewer"}


def test_without_a_choice_the_organisation_default_reviewer_gets_it(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    def set_default(c: Call) -> None:
        review_settings.save(c, str(people.second_reviewer.id), False, False)

    as_user(engine, clock, None, set_default)
    nid = create(engine, clock, people, incident_id, "F1")
    submit(engine, clock, people.officer, incident_id, nid)
    with Session(engine) as session:
        row = session.get(Notice, nid)
        assert row is not None and row.reviewer_id == people.second_reviewer.id


def test_my_reviews_lists_the_most_urgent_duty_first_whatever_the_order_submitted(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """F1 is due 60 days after discovery (45 CFR 164.404(b)): 2026-09-14 + 60 = 2026-11-13. F4
    (HHS, 500 or more, 164.408(b)) is due with it, so its date is moved to 2026-11-01 here to
    tell the orders apart: F4, submitted last, is listed first."""
    f1 = create(engine, clock, people, incident_id, "F1")
    f4 = create(engine, clock, people, incident_id, "F4")
    oid = obligation_id(engine, incident_id, "F4")
    with Session(engine) as session:  # give F4 an earlier date than F1's 2026-11-13
        record = session.get(ObligationRecord, oid)
        assert record is not None
        record.due = date(2026, 11, 1)
        session.add(record)
        session.commit()
    submit(engine, clock, people.officer, incident_id, f1, people.reviewer.id)
    submit(engine, clock, people.officer, incident_id, f4, people.reviewer.id)
    rows = as_user(engine, clock, people.reviewer, work_queues.my_reviews)
    assert [r.rule_id for r in rows] == ["F4", "F1"]
    assert [str(r.due) for r in rows] == ["2026-11-01", "2026-11-13"]
    assert all(r.overdue for r in rows)  # today is 2026-11-23


def test_changes_requested_comment_resubmit_and_approval_each_tell_the_other_side(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: Path
) -> None:
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")
    submit(engine, clock, people.officer, incident_id, nid, people.reviewer.id)
    changes(engine, clock, people.reviewer, incident_id, nid)
    waiting = as_user(engine, clock, people.officer, work_queues.changes_requested)
    assert [r.obligation_id for r in waiting] == [obligation_id(engine, incident_id, "F1")]
    assert as_user(engine, clock, people.second_reviewer, work_queues.my_reviews) == []

    def comment(c: Call) -> None:
        row = c.session.get(Notice, nid)
        assert row is not None
        notice_comments.start_thread(c, load(c, incident_id), row, 1, 0, "Say when it happened.")

    as_user(engine, clock, people.reviewer, comment)
    submit(engine, clock, people.officer, incident_id, nid)  # re-submitted: the same reviewer
    approve(engine, clock, people.reviewer, incident_id, nid, tmp_path)
    to_officer = [s.split(": ", 1)[1] for s in notes(engine, people.officer.id)]
    to_legal = [s.split(": ", 1)[1] for s in notes(engine, people.reviewer.id)]
    assert to_officer == ["changes requested", "new comment", "approved"]
    assert to_legal == ["submitted for your review", "re-submitted for your review"]
    assert as_user(engine, clock, people.officer, work_queues.changes_requested) == []
    assert [(r.offset, r.recipient_id) for r in handoff_rows(engine)] == [
        ("rv-submitted", people.reviewer.id),
        ("rv-changes", people.officer.id),
        ("rv-comment", people.officer.id),
        ("rv-resubmitted", people.reviewer.id),
        ("rv-approved", people.officer.id),
    ]


def test_the_handoff_email_goes_through_the_ledger_once_without_phi(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, mailbox: Mailbox
) -> None:
    """Sent by the dispatcher like a reminder (claimed, sent, recorded in the outbox), to the one
    recipient: the incident number, the notice kind, the due date and a link; not the title, the
    narrative or the details. The in-app copy is not written twice."""
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")
    submit(engine, clock, people.officer, incident_id, nid, people.reviewer.id)
    dispatcher = Dispatcher(
        engine,
        AUDIT_KEY,
        SMTPMailer(mailbox.settings),
        "tracker@example.org",
        "https://it.example",
        clock.now,
    )
    dispatcher.tick()
    message = mailbox.wait_for(people.reviewer.email)
    text = body(message)
    oid = obligation_id(engine, incident_id, "F1")
    assert f"https://it.example/incidents/{incident_id}/obligations/{oid}/notice" in text
    assert "Incident: INC-" in text and "Due: 2026-11-13" in text  # 2026-09-14 + 60 days
    assert "submitted for your review" in str(message["Subject"])
    for phi in ("Stolen laptop", "laptop", "claim files", "SSN", "Social Security"):
        assert phi not in text and phi not in str(message["Subject"])
    [row] = handoff_rows(engine)
    assert row.status == "sent"
    with Session(engine) as session:
        outbox = session.exec(select(SentEmail).where(SentEmail.reminder_id == row.id)).all()
    assert [e.to_address for e in outbox] == [people.reviewer.email]
    assert len(notes(engine, people.reviewer.id)) == 1
    dispatcher.tick()
    assert len(mailbox.to(people.reviewer.email)) == 1


def test_a_recompute_does_not_cancel_a_pending_handoff(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    nid = create(engine, clock, people, incident_id, "F1")
    submit(engine, clock, people.officer, incident_id, nid, people.reviewer.id)
    as_user(
        engine,
        clock,
        None,
        lambda c: obligations.recompute(c, load(c, incident_id), "test"),
    )
    assert [r.status for r in handoff_rows(engine)] == ["pending"]


def test_the_setting_is_seeded_once_from_the_environment_and_then_the_profile_counts(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, tmp_path: Path
) -> None:
    save_details(engine, clock, people, incident_id, **FULL_DETAILS)
    nid = create(engine, clock, people, incident_id, "F1")

    def text(c: Call) -> str:
        row = c.session.get(Notice, nid)
        assert row is not None
        return notice_versions.latest(c, row).text

    current = as_user(engine, clock, people.reviewer, text)
    edit(engine, clock, people.reviewer, incident_id, nid, current + "\nReviewed wording.\n")
    submit(engine, clock, people.officer, incident_id, nid, people.reviewer.id)
    # The environment allows it: stored in the profile by this first approval attempt.
    with pytest.raises(ValidationFailed):
        approve(engine, clock, people.reviewer, incident_id, nid, tmp_path, may_be_editor=True)
    with Session(engine) as session:
        org = session.get(Organisation, 1)
        assert org is not None and org.approver_may_be_editor is None  # refused: rolled back

    def seed(c: Call) -> bool:
        return review_settings.seed(c, True)

    assert as_user(engine, clock, None, seed) is True
    # Now the environment says no, but the profile holds yes: approval with the attestation.
    made = approve(
        engine,
        clock,
        people.reviewer,
        incident_id,
        nid,
        tmp_path,
        may_be_editor=False,
        attested=True,
    )
    assert made.attestation is not None
    with Session(engine) as session:
        actions = [
            a.action
            for a in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))
            if a.action.startswith("organisation.review") or a.action == "notice.approve_own_edit"
        ]
    assert actions == ["organisation.review_settings_seeded", "notice.approve_own_edit"]


def test_only_an_administrator_changes_the_review_settings(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    for who in (people.officer, people.reviewer, people.reader):
        with pytest.raises(Forbidden):
            as_user(engine, clock, who, lambda c: review_settings.save(c, "", True, False))
    with pytest.raises(ValidationFailed):
        as_user(
            engine,
            clock,
            None,
            lambda c: review_settings.save(c, str(people.reader.id), True, False),
        )


def test_a_restricted_incident_goes_only_to_a_reviewer_on_its_team(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    """Minimum necessary (45 CFR 164.502(b)): a reviewer who cannot see the incident is neither
    chosen nor told; without a choice only the reviewers on its team are told."""

    def restrict(c: Call) -> None:
        incident = load(c, incident_id)
        incident.restricted = True
        c.session.add(incident)
        c.session.add(IncidentAssignee(incident_id=incident_id, user_id=people.reviewer.id or 0))

    as_user(engine, clock, None, restrict)
    nid = create(engine, clock, people, incident_id, "F1")
    with pytest.raises(ValidationFailed) as refused:
        submit(engine, clock, people.officer, incident_id, nid, people.second_reviewer.id)
    assert "may see this incident" in refused.value.field_errors["reviewer"]
    submit(engine, clock, people.officer, incident_id, nid)
    assert [r.recipient_id for r in handoff_rows(engine)] == [people.reviewer.id]
    assert notes(engine, people.second_reviewer.id) == []
