"""One mailing settles every duty it meets; order; drafts; stale and differing notices.

The stolen laptop: a HIPAA covered entity, 2,300 patients (NY 900, NJ 1,100, CA 300), names and
SSNs, discovered Monday 2026-09-14. `incident-tracker deadlines` on that input (checked by hand)
owes F1 (2026-11-13), NY1 (§ 899-aa(2)(b)(ii)), NJ1 (State Police, "before NJ customer notice"),
NJ2 (NJ customers, no fixed date) and CA1 (2026-10-14, Civ. Code § 1798.82(a)(2)(A)), among others.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.db.models import AuditEvent, SentRecord
from incident_tracker.services import (
    discharges,
    incidents,
    notice_details,
    notice_facts,
    notice_versions,
    sending,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.services.sending import SentInput
from tests.services.notice_support import FULL_DETAILS
from tests.services.sending_support import (
    People,
    approve_individual_notice,
    as_user,
    load,
    make_incident,
    obligation_id,
    obligations,
)
from tests.services.sending_support import people as people

__all__ = ["people"]

LAPTOP = {"states": {"NY": 900, "NJ": 1100, "CA": 300}}
# Civ. Code § 1798.82(d)(2)(G): SSNs exposed, so the CA letter offers 12 months of protection.
OFFER = {
    "ip_provider": "IDShield",
    "ip_months": "12",
    "ip_enrollment_url": "https://idshield.example/enroll",
}
MAILED = date(2026, 10, 1)


def save_details(engine: Engine, clock: FixedClock, who: People, iid: int, **values: str) -> None:
    def work(c: Call) -> None:
        incident = load(c, iid)
        form = {name: "" for name in notice_details.FORM_FIELDS} | values
        notice_details.save(c, incident, form, notice_details.revision_of(c, incident))

    as_user(engine, clock, who.officer, work)


def record(
    engine: Engine, clock: FixedClock, who: People, iid: int, key: str, sent: SentInput
) -> SentRecord:
    target = obligation_id(engine, iid, key)
    return as_user(
        engine,
        clock,
        who.officer,
        lambda c: sending.record_sent(c, load(c, iid), target, sent),
    )


def refused(
    engine: Engine, clock: FixedClock, who: People, iid: int, key: str, sent: SentInput
) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        record(engine, clock, who, iid, key, sent)
    return caught.value.field_errors


def audits(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
            )
        )


def move_discovery(engine: Engine, clock: FixedClock, who: People, iid: int, day: date) -> None:
    def work(c: Call) -> None:
        incident = load(c, iid)
        incidents.update(c, incident, replace(incidents.values_of(c, incident), discovered_on=day))

    as_user(engine, clock, who.officer, work)


def laptop(engine: Engine, clock: FixedClock, who: People, storage: Path, **details: str) -> int:
    """The incident, NJ State Police told on 2026-09-30, and the F1 letter approved."""
    iid = make_incident(engine, clock, who.officer, **LAPTOP)
    save_details(engine, clock, who, iid, **FULL_DETAILS, **details)
    record(engine, clock, who, iid, "NJ1", SentInput(date(2026, 9, 30), "portal", None, "NJ-1"))
    return iid


def test_the_individual_letter_sent_to_all_2300_marks_f1_ny1_nj2_and_ca1_done(
    engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """The approved letter carries 164.404(c), the NY content of § 899-aa(7) and the CA title,
    headings, date and 12-month offer of § 1798.82(d); NJ prescribes none. Recorded as mailed on
    2026-10-01 to 2,300: each of F1, NY1, NJ2 and CA1 is done on 2026-10-01, in one transaction,
    the three State records deemed from the letter's, and voiding the letter reopens all four."""
    iid = laptop(engine, clock, people, tmp_path, **OFFER)
    version_id = approve_individual_notice(engine, clock, people, iid, tmp_path)
    letter = record(
        engine, clock, people, iid, "F1", SentInput(MAILED, "mail", 2300, "", "", None, version_id)
    )
    found = obligations(engine, iid)
    assert {k: found[k].done_on for k in ("F1", "NY1", "NJ2", "CA1")} == dict.fromkeys(
        ("F1", "NY1", "NJ2", "CA1"), MAILED
    )
    with Session(engine) as session:
        deemed = session.exec(
            select(SentRecord).where(SentRecord.deemed_from_id == letter.id)
        ).all()
    by_id = {r.id: k for k, r in found.items()}
    assert sorted(by_id[r.obligation_id] for r in deemed) == ["CA1", "NJ2", "NY1"]
    settled = json.loads(audits(engine, "sent.discharge")[-1].new_values or "{}")
    assert settled == {"settled": ["CA1", "NJ2", "NY1"], "open": {}}
    f1 = obligation_id(engine, iid, "F1")
    as_user(engine, clock, people.officer, lambda c: sending.undo_sent(c, load(c, iid), f1))
    found = obligations(engine, iid)
    assert [found[k].done_on for k in ("F1", "NY1", "NJ2", "CA1")] == [None] * 4


def test_a_state_whose_elements_are_missing_stays_open_and_is_told_why(
    engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """No identity-protection offer: 164.404(c) and § 899-aa(7) are met, NJ needs nothing, but
    Civ. Code § 1798.82(d)(2)(G) is not: CA1 stays open (its 2026-10-14 date still counts) and
    the form and the audit say the offer is missing."""
    iid = laptop(engine, clock, people, tmp_path)
    version_id = approve_individual_notice(engine, clock, people, iid, tmp_path)

    f1 = obligation_id(engine, iid, "F1")

    def preview(c: Call) -> list[discharges.Discharge]:
        incident = load(c, iid)
        lead = sending.obligation_of(c, incident, f1)
        letter = notice_versions.latest(c, notice_versions.require_notice(c, incident, f1))
        return discharges.for_letter(c, incident, lead, letter)

    shown = {d.label: (d.settles, d.why) for d in as_user(engine, clock, people.officer, preview)}
    assert shown["NY1"] == (True, "") and shown["NJ2"] == (True, "")
    assert shown["CA1"][0] is False and "identity theft prevention" in shown["CA1"][1]
    record(
        engine, clock, people, iid, "F1", SentInput(MAILED, "mail", 2300, "", "", None, version_id)
    )
    found = obligations(engine, iid)
    assert (found["NY1"].done_on, found["NJ2"].done_on, found["CA1"].done_on) == (
        MAILED,
        MAILED,
        None,
    )
    assert found["CA1"].due == date(2026, 10, 14)
    opened = json.loads(audits(engine, "sent.discharge")[-1].new_values or "{}")["open"]
    assert list(opened) == ["CA1"] and "12 months" in opened["CA1"]


def test_sending_before_the_nj_state_police_needs_a_reason_and_shows_as_a_broken_order(
    engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """N.J.S.A. 56:8-163(c)(1): the State Police are told "in advance of" the customers. The
    letter (which settles NJ2) recorded for 2026-10-01 with NJ1 not recorded is refused beside
    the reason field; confirmed with a reason it is kept, audited, and the incident lists the
    breach with that reason. NJ1 recorded later (2026-10-02) does not mend the order."""
    iid = make_incident(engine, clock, people.officer, **LAPTOP)
    save_details(engine, clock, people, iid, **FULL_DETAILS, **OFFER)
    version_id = approve_individual_notice(engine, clock, people, iid, tmp_path)
    sent = SentInput(MAILED, "mail", 2300, "", "", None, version_id)
    errors = refused(engine, clock, people, iid, "F1", sent)
    assert list(errors) == ["order_reason"]
    assert "NJ Division of State Police (NJ1) must be told first" in errors["order_reason"]
    assert obligations(engine, iid)["NJ2"].done_on is None  # nothing kept
    assert "order_reason" in refused(
        engine, clock, people, iid, "F1", replace(sent, order_confirmed=True, order_reason="  ")
    )
    why = "The State Police portal was down; counsel advised mailing on time."
    record(engine, clock, people, iid, "F1", replace(sent, order_confirmed=True, order_reason=why))
    assert obligations(engine, iid)["NJ2"].done_on == MAILED
    audit = json.loads(audits(engine, "sent.out_of_order")[-1].new_values or "{}")
    assert audit["before"] == ["NJ1"] and audit["sent"] == ["NJ2"] and audit["reason"] == why
    record(engine, clock, people, iid, "NJ1", SentInput(date(2026, 10, 2), "portal"))

    def breaches(c: Call) -> list[tuple[str, str, date, str]]:
        return [
            (b.first.rule_id, b.then.rule_id, b.then_on, b.reason)
            for b in discharges.order_breaches(c, load(c, iid))
        ]

    assert as_user(engine, clock, people.officer, breaches) == [("NJ1", "NJ2", MAILED, why)]


def test_nothing_unapproved_is_recorded_as_sent(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """A drafted, unapproved F1 notice: recording F1 without an approved version is refused
    ("DRAFT — not approved"), and so is NJ2 when its own State letter is only a draft."""
    iid = make_incident(engine, clock, people.officer, **LAPTOP)
    for key in ("F1", "NJ2"):
        target = obligation_id(engine, iid, key)
        as_user(
            engine,
            clock,
            people.officer,
            lambda c, t=target: notice_versions.create(c, load(c, iid), t),
        )
    for key in ("F1", "NJ2"):
        errors = refused(engine, clock, people, iid, key, SentInput(MAILED, "mail", 10))
        assert "DRAFT — not approved" in errors["notice_version_id"]


def test_a_stale_approved_letter_needs_reapproval_or_a_reason_and_a_sent_one_a_decision(
    engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """Approved with discovery on September 14, 2026; discovery corrected to September 12: the
    letter's printed "Date of discovery" changed, so it is stale and refused without a reason;
    sent with one (audited). Corrected again to September 11 after sending: the sent letter
    differs from the current facts until the officer records that no correction is owed."""
    iid = laptop(engine, clock, people, tmp_path, **OFFER)
    version_id = approve_individual_notice(engine, clock, people, iid, tmp_path)
    f1 = obligation_id(engine, iid, "F1")

    def measured(c: Call) -> notice_facts.Staleness:
        return notice_facts.for_incident(c, load(c, iid))[f1]

    assert as_user(engine, clock, people.officer, measured).changes == ()
    move_discovery(engine, clock, people, iid, date(2026, 9, 12))
    state = as_user(engine, clock, people.officer, measured)
    assert state.stale and state.label == "stale"
    assert "Date of discovery: September 14, 2026 → September 12, 2026" in state.changes
    sent = SentInput(MAILED, "mail", 2300, "", "", None, version_id)
    errors = refused(engine, clock, people, iid, "F1", sent)
    assert "Date of discovery: September 14, 2026 → September 12, 2026" in errors["stale_reason"]
    why = "Counsel: the two-day difference does not change what people must do."
    record(engine, clock, people, iid, "F1", replace(sent, stale_override=True, stale_reason=why))
    assert audits(engine, "sent.stale_override")[-1].detail == why
    move_discovery(engine, clock, people, iid, date(2026, 9, 11))
    state = as_user(engine, clock, people.officer, measured)
    assert (state.stale, state.differs, state.label) == (False, True, notice_facts.DIFFERS)

    def decide(c: Call) -> None:
        incident = load(c, iid)
        notice = notice_versions.require_notice(c, incident, f1)
        notice_facts.decide(c, incident, notice, False, "Dates only; no action for patients.")

    as_user(engine, clock, people.officer, decide)
    state = as_user(engine, clock, people.officer, measured)
    assert state.differs is False and state.decision is not None
    assert state.decision.correction_owed is False
    assert (
        json.loads(audits(engine, "notice.content_decision")[-1].new_values or "{}")[
            "correction_owed"
        ]
        is False
    )
