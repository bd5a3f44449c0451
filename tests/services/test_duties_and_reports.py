"""Duties given to people (their reminders go to the assignee; the escalation follows once
overdue) and staff reports of a possible incident (any signed-in user; the reporter's "when I
first knew" proposed as the discovery date, 45 CFR 164.404(a)(2)).

The incident (tests/services/notice_support.py): 600 NY residents, discovered 2026-09-14; today
is 2026-11-23 (tests/conftest.py START).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import (
    Incident,
    IncidentAssignee,
    Notification,
    ObligationRecord,
    Reminder,
    StaffReport,
)
from incident_tracker.services import dispatch, incidents, register, staff_reports, work_queues
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Forbidden, Hidden, NotFound, ValidationFailed
from tests.conftest import START, make_user
from tests.services.notice_support import People, as_user, incident_id, load, obligation_id, people

__all__ = ["incident_id", "people"]  # fixtures


def assign(
    engine: Engine, clock: FixedClock, who: object, iid: int, oid: int, to: int | None
) -> None:
    as_user(
        engine,
        clock,
        who,  # type: ignore[arg-type]
        lambda c: work_queues.assign(c, load(c, iid), oid, "" if to is None else str(to)),
    )


def recipients(engine: Engine, oid: int, kind: str) -> list[str]:
    """Who the dispatcher would e-mail for a reminder of this kind on this duty."""
    with Session(engine) as session:
        row = Reminder(
            obligation_id=oid,
            offset="d-1" if kind != "overdue" else "o+w1",
            due_for="test",
            kind=kind,
            send_at=START,
            created_at=START,
        )
        session.add(row)
        session.flush()
        prepared = dispatch.prepare(session, row.id or 0, "t@example.org", "https://it.example")
        assert prepared is not None
        emails = [u.email for u in prepared.people]
        session.rollback()
    return emails


def test_an_assigned_duty_reminds_the_assignee_alone_until_overdue_then_escalates(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, settings: Settings
) -> None:
    colleague = make_user(settings, "colleague@example.org", "privacy_officer")
    oid = obligation_id(engine, incident_id, "F1")
    assert recipients(engine, oid, "due_soon") == ["officer@example.org"]  # the owner, as before
    assign(engine, clock, people.officer, incident_id, oid, colleague.id)
    assert recipients(engine, oid, "due_soon") == ["colleague@example.org"]
    # overdue: the assignee, the owner and the privacy officers (the existing escalation)
    assert recipients(engine, oid, "overdue") == ["colleague@example.org", "officer@example.org"]
    rows = as_user(engine, clock, colleague, work_queues.my_duties)
    assert [(r.rule_id, r.next_action) for r in rows] == [("F1", "Draft the notice")]
    assert as_user(engine, clock, people.officer, work_queues.my_duties) == []
    with Session(engine) as session:
        told = session.exec(select(Notification).where(Notification.user_id == colleague.id)).all()
    assert [n.subject.endswith("duty F1 assigned to you") for n in told] == [True]


def test_only_someone_who_edits_incidents_assigns_and_only_to_a_person_who_may_see_it(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, settings: Settings
) -> None:
    oid = obligation_id(engine, incident_id, "F1")
    for who in (people.reviewer, people.reader):
        with pytest.raises(Forbidden):
            assign(engine, clock, who, incident_id, oid, people.officer.id)
    with pytest.raises(ValidationFailed):  # a read-only user cannot be given a duty
        assign(engine, clock, people.officer, incident_id, oid, people.reader.id)
    outsider = make_user(settings, "outsider@example.org", "privacy_officer")

    def restrict(c: Call) -> None:
        incident = load(c, incident_id)
        incident.restricted = True
        c.session.add(incident)

    as_user(engine, clock, None, restrict)
    with pytest.raises(ValidationFailed):  # restricted: not on its team
        assign(engine, clock, people.officer, incident_id, oid, outsider.id)
    with pytest.raises(NotFound):  # a duty that is not this incident's
        assign(engine, clock, people.officer, incident_id, 999_999, people.officer.id)


def report(engine: Engine, clock: FixedClock, who: object, **changes: object) -> StaffReport:
    given = staff_reports.ReportInput(
        **{
            "what_happened": "I pasted a patient's chart into a chatbot to summarise it.",
            "first_knew_on": date(2026, 11, 20),
            "whose_data": "one patient of the cardiology clinic",
            "what_kind": "unauthorized_access_disclosure",
            "number_affected": "1",
            **changes,
        }  # type: ignore[arg-type]
    )
    return as_user(engine, clock, who, lambda c: staff_reports.report(c, given))  # type: ignore[arg-type]


def test_a_read_only_user_reports_and_sees_only_the_status_of_their_own_report(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    second_officer = make_user(settings, "officer2@example.org", "privacy_officer")
    row = report(engine, clock, people.reader)
    with Session(engine) as session:
        incident = session.get(Incident, row.incident_id)
        assert incident is not None
        team = session.exec(
            select(IncidentAssignee.user_id).where(IncidentAssignee.incident_id == incident.id)
        ).all()
        told = session.exec(
            select(Notification.user_id).where(Notification.incident_id == incident.id)
        ).all()
    assert (incident.status, incident.restricted, incident.owner_id) == (
        "intake",
        True,
        people.officer.id,  # the first privacy officer; the others are its assignees
    )
    assert list(team) == [second_officer.id]
    assert sorted(told) == sorted([people.officer.id, second_officer.id])
    # proposed discovery: the day the reporter first knew; the privacy office learned today
    assert (incident.discovered_on, incident.privacy_office_learned_on) == (
        date(2026, 11, 20),
        date(2026, 11, 23),
    )
    mine = as_user(engine, clock, people.reader, staff_reports.mine)
    assert [(m.number, m.status) for m in mine] == [
        (incident.number, "Received by the privacy office")
    ]
    assert as_user(engine, clock, people.reviewer, staff_reports.mine) == []
    with pytest.raises(Hidden):  # the reporter cannot open the incident itself
        as_user(
            engine,
            clock,
            people.reader,
            lambda c: incidents.load_for(c, row.incident_id, Action.VIEW_INCIDENT),
        )
    # the privacy office sees it on its board (visible to its owner and assignees)
    for officer in (people.officer, second_officer):

        def board_ids(c: Call) -> list[int]:
            return [
                i
                for i in c.session.exec(select(Incident.id).where(register.visible(c)))
                if i is not None
            ]

        assert row.incident_id in as_user(engine, clock, officer, board_ids)
    assert row.incident_id not in as_user(engine, clock, people.reviewer, board_ids)


def test_a_report_needs_its_few_fields_and_no_future_date(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        report(
            engine,
            clock,
            people.reader,
            what_happened=" ",
            first_knew_on=date(2026, 11, 24),  # tomorrow
            whose_data="",
            what_kind="bogus",
            number_affected="many",
        )
    assert set(refused.value.field_errors) == {
        "what_happened",
        "first_knew_on",
        "whose_data",
        "what_kind",
        "number_affected",
    }
    with Session(engine) as session:
        assert session.exec(select(StaffReport)).all() == []


def test_the_officer_confirms_or_changes_the_reported_discovery_date_with_a_justification(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """Reported first known 2026-11-20; the privacy office learned 2026-11-23 (the report).
    The officer finds the workforce knew on 2026-11-18: a different day from the privacy
    office's, so the justification the incident form asks for is required."""
    row = report(engine, clock, people.reader)

    def confirm(when: date, why: str) -> object:
        return as_user(
            engine,
            clock,
            people.officer,
            lambda c: staff_reports.confirm_discovery(c, load(c, row.incident_id), when, why),
        )

    with pytest.raises(ValidationFailed) as refused:
        confirm(date(2026, 11, 18), "")
    assert set(refused.value.field_errors) == {"privacy_office_justification"}
    confirm(date(2026, 11, 18), "The coder's supervisor saw the chat on 18 November.")
    with Session(engine) as session:
        incident = session.get(Incident, row.incident_id)
        saved = session.get(StaffReport, row.id)
    assert incident is not None and incident.discovered_on == date(2026, 11, 18)
    assert saved is not None and saved.discovery_confirmed_by == people.officer.id
    assert saved.first_knew_on == date(2026, 11, 20)  # the reporter's date is kept
    with pytest.raises(Forbidden):
        as_user(
            engine,
            clock,
            people.reader,
            lambda c: staff_reports.confirm_discovery(
                c, load(c, row.incident_id), date(2026, 11, 20), "x"
            ),
        )


def test_my_duties_lists_only_open_duties_of_incidents_the_user_may_see(
    engine: Engine, clock: FixedClock, people: People, incident_id: int
) -> None:
    f1 = obligation_id(engine, incident_id, "F1")
    f4 = obligation_id(engine, incident_id, "F4")
    assign(engine, clock, people.officer, incident_id, f1, people.reviewer.id)
    assign(engine, clock, people.officer, incident_id, f4, people.reviewer.id)
    with Session(engine) as session:
        record = session.get(ObligationRecord, f4)
        assert record is not None
        record.done_on = date(2026, 11, 20)
        session.add(record)
        session.commit()
    rows = as_user(engine, clock, people.reviewer, work_queues.my_duties)
    assert [r.obligation_id for r in rows] == [f1]
    assert rows[0].overdue  # F1 was due 2026-09-14 + 60 days = 2026-11-13 (164.404(b))


@pytest.mark.parametrize("typed", ["²", "1_0", "١٢", "-3", "1000000001"])
def test_a_count_that_is_not_ascii_digits_is_refused_beside_its_field(
    engine: Engine, clock: FixedClock, people: People, typed: str
) -> None:
    """`str.isdigit()` accepts "²", which `int()` refuses: the form says so, never a 500."""
    with pytest.raises(ValidationFailed) as refused:
        report(engine, clock, people.reader, number_affected=typed)
    assert set(refused.value.field_errors) == {"number_affected"}


def test_control_characters_that_postgresql_cannot_store_are_refused(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        report(engine, clock, people.reader, what_happened="a\x00b")
    assert set(refused.value.field_errors) == {"what_happened"}
