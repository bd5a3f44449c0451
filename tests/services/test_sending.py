"""Recording what was sent: one service, history rows, and every clock that hangs
off a sending recomputed in the same transaction. Dates are counted by hand in each docstring."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import Attachment, Incident, Notice, SentRecord
from incident_tracker.services import sending
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Forbidden, ValidationFailed
from incident_tracker.services.sending import Proof, SentInput
from tests.services.sending_support import (
    People,
    approve_individual_notice,
    as_user,
    audit_rows,
    load,
    make_incident,
    obligation_id,
    obligations,
    terms,
)
from tests.services.sending_support import people as people


def record(
    engine: Engine, clock: FixedClock, who: People, incident_id: int, key: str, sent: SentInput
) -> SentRecord:
    target = obligation_id(engine, incident_id, key)
    return as_user(
        engine,
        clock,
        who.officer,
        lambda call: sending.record_sent(call, load(call, incident_id), target, sent),
    )


def history(engine: Engine, incident_id: int, key: str) -> list[SentRecord]:
    target = obligation_id(engine, incident_id, key)
    with Session(engine) as session:
        return list(
            session.exec(
                select(SentRecord)
                .where(SentRecord.obligation_id == target)
                .order_by(col(SentRecord.id))
            )
        )


def test_consumer_letters_move_the_ca_ag_sample_copy_and_hhs_clocks(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """Letters mailed Thu 2026-10-01 (F1): the CA AG sample copy is due 15 calendar days later,
    Fri 2026-10-16 (Civ. Code § 1798.82(f)); the 500+ HHS report is due the same day as the
    letters, 2026-10-01 (45 CFR 164.408(b)); until HHS is told, the NY AG's 5 NY business days
    run from that date: Fri 2, Mon 5, Tue 6, Wed 7, Thu 8 -> 2026-10-08 (§ 899-aa(9))."""
    incident_id = make_incident(engine, clock, people.officer)
    assert obligations(engine, incident_id)["CA2"].due == date(2026, 10, 29)  # from CA1 10-14
    record(engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 1), "mail", 1200))
    found = obligations(engine, incident_id)
    assert found["F1"].done_on == date(2026, 10, 1)
    assert found["CA2"].due == date(2026, 10, 16)
    assert found["F4"].due == date(2026, 10, 1)
    assert found["NY5"].due == date(2026, 10, 8)


def test_the_hhs_date_moves_the_ny_ag_clock_in_the_same_transaction(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """HHS notified Fri 2026-10-02 through the portal: NY5 = 5 NY business days after it (the
    day itself not counted, docs/law/conventions.md): Mon 5, Tue 6, Wed 7, Thu 8, Fri 9 ->
    2026-10-09
    (§ 899-aa(9)); Columbus Day (Mon 12) is after the count ends."""
    incident_id = make_incident(engine, clock, people.officer)
    record(engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 1), "mail"))
    sent = SentInput(date(2026, 10, 2), "portal", None, "OCR-TX-20261002-1")
    record(engine, clock, people, incident_id, "F4", sent)
    found = obligations(engine, incident_id)
    assert found["NY5"].due == date(2026, 10, 9)
    assert terms(found["NY5"])["outer_limit"] == "2026-10-08"
    assert found["F4"].done_reference == "OCR-TX-20261002-1"


def test_each_submission_is_a_row_and_the_obligation_shows_the_earliest_standing_one(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """164.404(d)(1)(i) allows "one or more mailings": a second mailing recorded for Mon 2026-10-05
    and then an earlier one for Thu 2026-10-01 are two rows; the obligation's date is the earliest
    (the clocks run from the first notice), so CA2 = 10-01 + 15 = 2026-10-16."""
    incident_id = make_incident(engine, clock, people.officer)
    record(engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 5), "mail", 700))
    assert obligations(engine, incident_id)["CA2"].due == date(2026, 10, 20)  # 10-05 + 15
    record(engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 1), "email", 500))
    rows = history(engine, incident_id, "F1")
    assert [(r.sent_on, r.method, r.recipients) for r in rows] == [
        (date(2026, 10, 5), "mail", 700),
        (date(2026, 10, 1), "email", 500),
    ]
    found = obligations(engine, incident_id)
    assert (found["F1"].done_on, found["F1"].done_method) == (date(2026, 10, 1), "email")
    assert found["CA2"].due == date(2026, 10, 16)


def test_the_hipaa_letter_record_is_mirrored_on_ny1_and_voided_with_it(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """N.Y. Gen. Bus. Law § 899-aa(2)(b): the HIPAA letter is the NY resident notice. Recording
    F1 adds a NY1 record pointing at it; voiding F1 voids both, keeping them as history."""
    incident_id = make_incident(engine, clock, people.officer)
    letter = record(engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 1), "mail"))
    ny1 = history(engine, incident_id, "NY1")
    assert [(r.sent_on, r.deemed_from_id, r.reference) for r in ny1] == [
        (date(2026, 10, 1), letter.id, sending.SAME_LETTER)
    ]
    assert obligations(engine, incident_id)["NY1"].done_on == date(2026, 10, 1)
    f1 = obligation_id(engine, incident_id, "F1")
    as_user(
        engine,
        clock,
        people.officer,
        lambda call: sending.undo_sent(call, load(call, incident_id), f1),
    )
    found = obligations(engine, incident_id)
    assert found["F1"].done_on is None and found["NY1"].done_on is None
    assert found["CA2"].due == date(2026, 10, 29)  # back on CA1's 2026-10-14 + 15
    kept = history(engine, incident_id, "F1") + history(engine, incident_id, "NY1")
    assert len(kept) == 2 and all(r.voided_at is not None for r in kept)


def test_returned_mail_brings_in_substitute_notice_at_ten_and_the_posting_sets_keep_until(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """45 CFR 164.404(d)(2): 6 letters back (fewer than 10: alternative means, (d)(2)(i)), then 4
    more make 10 people who cannot be reached: (d)(2)(ii), a home-page posting for 90 days, due
    within the individual-notice deadline 2026-11-13. Posting started Mon 2026-11-02: keep it up
    until 11-02 + 90 days = 2027-01-31 (Nov 28 + Dec 31 + Jan 31 days), C05."""
    incident_id = make_incident(engine, clock, people.officer)
    record(engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 1), "mail"))

    def returned(on: date, count: int) -> None:
        as_user(
            engine,
            clock,
            people.officer,
            lambda call: sending.record_returned_mail(
                call, load(call, incident_id), on, count, "USPS returns"
            ),
        )

    returned(date(2026, 10, 20), 6)
    f2 = obligations(engine, incident_id)["F2"]
    assert terms(f2)["citation"] == "45 CFR 164.404(d)(2)(i)"
    returned(date(2026, 10, 27), 4)
    f2 = obligations(engine, incident_id)["F2"]
    assert terms(f2)["citation"] == "45 CFR 164.404(d)(2)(ii)"
    assert f2.due == date(2026, 11, 13)
    assert terms(f2)["keep_until"] is None
    record(engine, clock, people, incident_id, "F2", SentInput(date(2026, 11, 2), "web_posting"))
    f2 = obligations(engine, incident_id)["F2"]
    assert terms(f2)["keep_until"] == "2027-01-31"
    with Session(engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assert incident.unreachable_individuals == 10
        assert incident.substitute_notice_started_on == date(2026, 11, 2)


def test_returned_mail_cannot_exceed_the_people_affected_or_come_before_discovery(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """The running total is a count of affected people (1,200 here); nothing is stored on error."""
    incident_id = make_incident(engine, clock, people.officer)

    def returned(on: date | None, count: int | None) -> None:
        as_user(
            engine,
            clock,
            people.officer,
            lambda call: sending.record_returned_mail(call, load(call, incident_id), on, count, ""),
        )

    with pytest.raises(ValidationFailed) as caught:
        returned(date(2026, 9, 1), 1201)
    assert set(caught.value.field_errors) == {"returned_on", "count"}
    assert "before discovery (2026-09-14)" in caught.value.field_errors["returned_on"]
    with pytest.raises(ValidationFailed):
        returned(None, 0)
    with Session(engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None and incident.unreachable_individuals is None


def test_an_hhs_addendum_follows_the_report_and_does_not_move_the_ny_ag_clock(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """docs/law/federal.md: an estimate is corrected by an addendum. The first report (Fri
    2026-10-02)
    still anchors NY5 on 2026-10-09; the addendum is its own row with the new count."""
    incident_id = make_incident(engine, clock, people.officer, count_is_estimate=True)
    f4 = obligation_id(engine, incident_id, "F4")

    def addendum(on: date, count: int, reference: str) -> object:
        return as_user(
            engine,
            clock,
            people.officer,
            lambda call: sending.record_hhs_addendum(
                call, load(call, incident_id), f4, on, count, reference
            ),
        )

    with pytest.raises(ValidationFailed) as caught:
        addendum(date(2026, 10, 20), 1250, "OCR-ADD-1")
    assert caught.value.field_errors == {
        "obligation_id": "record the initial HHS report as sent first"
    }
    record(engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 1), "mail"))
    record(engine, clock, people, incident_id, "F4", SentInput(date(2026, 10, 2), "portal"))
    before = obligations(engine, incident_id)["NY5"].version
    row = addendum(date(2026, 10, 20), 1250, "OCR-ADD-1")
    assert (row.affected_count, row.reference, row.obligation_id) == (1250, "OCR-ADD-1", f4)
    ny5 = obligations(engine, incident_id)["NY5"]
    assert (ny5.due, ny5.version) == (date(2026, 10, 9), before)
    with pytest.raises(ValidationFailed) as caught:
        addendum(date(2026, 10, 1), 1250, "")
    assert set(caught.value.field_errors) == {"submitted_on", "reference"}
    assert [e.action for e in audit_rows(engine, "sent.hhs")] == ["sent.hhs_addendum"]


def test_the_approved_version_is_marked_sent_with_the_record(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    """The record proves which wording went out (164.414(b)). The approved version of
    the F1 notice is marked sent in the record-sent transaction (a second mailing of the same
    version links it too); another version id is refused; voiding the records puts the notice
    back to approved."""
    incident_id = make_incident(engine, clock, people.officer)
    storage = settings.instance_path / "notices"
    version_id = approve_individual_notice(engine, clock, people, incident_id, storage)
    with pytest.raises(ValidationFailed) as caught:
        record(
            engine,
            clock,
            people,
            incident_id,
            "F1",
            SentInput(date(2026, 10, 1), "mail", notice_version_id=version_id + 99),
        )
    assert set(caught.value.field_errors) == {"notice_version_id"}
    sent = SentInput(date(2026, 10, 1), "mail", 1200, notice_version_id=version_id)
    row = record(engine, clock, people, incident_id, "F1", sent)
    assert row.notice_version_id == version_id
    with Session(engine) as session:
        notice = session.exec(select(Notice)).one()
        assert (notice.state, notice.sent_version_id) == ("sent", version_id)
    second = SentInput(date(2026, 10, 5), "mail", 3, notice_version_id=version_id)
    assert record(engine, clock, people, incident_id, "F1", second).notice_version_id == version_id
    f1 = obligation_id(engine, incident_id, "F1")
    as_user(
        engine,
        clock,
        people.officer,
        lambda call: sending.undo_sent(call, load(call, incident_id), f1),
    )
    with Session(engine) as session:
        notice = session.exec(select(Notice)).one()
        assert (notice.state, notice.sent_version_id) == ("approved", None)


def test_a_proof_file_is_stored_like_an_attachment_and_its_hash_is_audited(
    engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """The proof of mailing is kept outside the web root under a random name (164.530(j));
    a file that is not what its name says is refused on the form's proof field."""
    incident_id = make_incident(engine, clock, people.officer)
    bad = Proof("receipt.pdf", b"not a pdf", tmp_path)
    with pytest.raises(ValidationFailed) as caught:
        record(
            engine,
            clock,
            people,
            incident_id,
            "F1",
            SentInput(date(2026, 10, 1), "mail", proof=bad),
        )
    assert set(caught.value.field_errors) == {"proof"}
    good = Proof("receipt.pdf", b"%PDF-1.4 USPS certificate of mailing", tmp_path)
    row = record(
        engine, clock, people, incident_id, "F1", SentInput(date(2026, 10, 1), "mail", proof=good)
    )
    with Session(engine) as session:
        attachment = session.get(Attachment, row.attachment_id)
        assert attachment is not None and attachment.kind == "proof_of_sending"
        assert (tmp_path / attachment.storage_name).read_bytes().startswith(b"%PDF")
    [event] = audit_rows(engine, "sent.record")
    assert attachment.sha256 in (event.new_values or "")


@pytest.mark.parametrize(
    ("sent", "field", "message"),
    [
        (SentInput(date(2026, 11, 24), "mail"), "sent_on", "cannot be in the future"),
        (
            SentInput(date(2026, 9, 13), "mail"),
            "sent_on",
            "cannot be before discovery (2026-09-14)",
        ),
        (SentInput(date(2026, 10, 1), "pigeon"), "method", "choose how it was sent"),
        (SentInput(date(2026, 10, 1), "mail", -1), "recipients", "enter the number of recipients"),
    ],
)
def test_bad_input_is_refused_by_field_and_changes_nothing(
    engine: Engine, clock: FixedClock, people: People, sent: SentInput, field: str, message: str
) -> None:
    """Today is 2026-11-23 (the injected clock); nothing is written on a refusal."""
    incident_id = make_incident(engine, clock, people.officer)
    with pytest.raises(ValidationFailed) as caught:
        record(engine, clock, people, incident_id, "F1", sent)
    assert caught.value.field_errors == {field: message}
    assert history(engine, incident_id, "F1") == []
    assert obligations(engine, incident_id)["F1"].done_on is None


def test_a_record_keeping_duty_is_not_sent(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """F8 (keep the documentation 6 years, 164.530(j)) is a record, not a notice."""
    incident_id = make_incident(engine, clock, people.officer)
    with pytest.raises(ValidationFailed) as caught:
        record(engine, clock, people, incident_id, "F8", SentInput(date(2026, 10, 1), "other"))
    assert caught.value.field_errors == {"obligation": "a record-keeping duty is kept, not sent"}


def test_only_the_privacy_officer_records_a_sending_and_a_refusal_is_audited(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """core/permissions.py: RECORD_SENT belongs to the privacy officer; the service refuses on
    its own too (defence in depth) and the refusal is audited in its own transaction."""
    incident_id = make_incident(engine, clock, people.officer)
    f1 = obligation_id(engine, incident_id, "F1")
    for who in (people.reviewer, people.reader):

        def attempt(call: Call) -> object:
            return sending.record_sent(
                call, load(call, incident_id), f1, SentInput(date(2026, 10, 1), "mail")
            )

        with pytest.raises(Forbidden):
            as_user(engine, clock, who, attempt)
    assert history(engine, incident_id, "F1") == []


def test_old_method_values_still_load_with_their_labels() -> None:
    """Stored methods are unchanged (obligations.DONE_METHODS), so rows written before this
    service still read; an unknown old value shows as stored."""
    assert sending.method_label("press_release") == "press release"
    assert sending.method_label("email") == "e-mail"
    assert sending.method_label("fax") == "fax"
