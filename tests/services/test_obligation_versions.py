"""Obligations keep a stable identity and immutable versions (architecture.md §1.5): a fact change
recomputes in the same transaction, adds a version only where something changed, retires a duty
that is no longer owed and revives it when it is owed again; dates recorded as done feed the engine
(docs/law/conventions.md "with notice X" deadlines, §3.5 NY AG after HHS).

The incident throughout: a HIPAA covered entity's electronic breach of 600 NY residents' names and
SSNs, discovered Monday 2026-09-14. Every date below is counted by hand.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import Incident, ObligationRecord, ObligationVersion, User
from incident_tracker.services import incidents, sending
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, make_user

NY_600 = IncidentValues(
    title="Stolen laptop with claim files",
    discovered_on=date(2026, 9, 14),
    occurred_on=date(2026, 9, 10),
    breach_type="theft",
    location="laptop",
    states={"NY": 600},
    data_elements=("name", "ssn"),
    medium="electronic",
    acquired=True,
    phi_encrypted=False,
    risk_assessment="not_low_probability",
)
LEGAL_DUTIES = ("F1", "F3 NY", "F4", "NY1", "NY3-AG", "NY3-DOS", "NY3-SP", "NY5")


@pytest.fixture
def owner(settings: Settings) -> User:
    return make_user(settings, "owner@example.org", "privacy_officer")


def trusted(session: Session, clock: FixedClock) -> Call:
    return Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)


def create(engine: Engine, clock: FixedClock, owner: User, **over: Any) -> int:
    with unit_of_work(engine) as session:
        values = replace(NY_600, owner_id=owner.id, **over)
        incident = incidents.create(trusted(session, clock), values)
        assert incident.id is not None
        return incident.id


def update(engine: Engine, clock: FixedClock, incident_id: int, **over: Any) -> None:
    """Save the incident with some facts changed, as the edit form does (current lock_version)."""
    clock.advance(minutes=5)
    with unit_of_work(engine) as session:
        call = trusted(session, clock)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        values = incidents.values_of(call, incident)
        incidents.update(call, incident, replace(values, **over))


def records(engine: Engine, incident_id: int) -> dict[str, ObligationRecord]:
    """Obligations by rule id (plus the State for per-State duties)."""
    with Session(engine) as session:
        rows = session.exec(
            select(ObligationRecord).where(ObligationRecord.incident_id == incident_id)
        ).all()
    return {(r.rule_id + (f" {r.state}" if r.state else "")): r for r in rows}


def versions(engine: Engine) -> list[tuple[Any, ...]]:
    """Every ObligationVersion row, in insertion order, as plain tuples."""
    with Session(engine) as session:
        rows = session.exec(select(ObligationVersion).order_by(col(ObligationVersion.id))).all()
    return [
        (v.id, v.obligation_id, v.version, v.computed_at, v.live, v.terms, v.cause) for v in rows
    ]


def history(engine: Engine, record: ObligationRecord) -> list[ObligationVersion]:
    with Session(engine) as session:
        query = select(ObligationVersion).where(ObligationVersion.obligation_id == record.id)
        return list(session.exec(query.order_by(col(ObligationVersion.version))).all())


def terms(record: ObligationRecord) -> dict[str, Any]:
    return dict(json.loads(record.terms))


def due(engine: Engine, incident_id: int) -> dict[str, str | None]:
    return {k: (str(r.due) if r.due else None) for k, r in records(engine, incident_id).items()}


def mark_done(engine: Engine, clock: FixedClock, incident_id: int, rule: str, on: date) -> None:
    clock.advance(minutes=5)
    record_id = records(engine, incident_id)[rule].id or 0
    with unit_of_work(engine) as session:
        call = trusted(session, clock)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        sending.record_sent(call, incident, record_id, sending.SentInput(on, "portal", None, "ref"))


def undo(engine: Engine, clock: FixedClock, incident_id: int, rule: str) -> None:
    clock.advance(minutes=5)
    record_id = records(engine, incident_id)[rule].id or 0
    with unit_of_work(engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        sending.undo_sent(trusted(session, clock), incident, record_id)


def test_new_incident_owes_hand_computed_dates_each_at_version_1(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """Discovered Mon 2026-09-14: F1 = +60 calendar days = Fri 2026-11-13 (45 CFR 164.404(b));
    F3, NY media, since 600 NY residents is more than 500 (164.406), the same day; F4, HHS, since
    600 >= 500, waits on F1 with the F1 date as its limit (164.408(b)); NY1 is satisfied by
    the HIPAA letter (GBL § 899-aa(2)(b)) with the NY 30-day date 2026-10-14 as alt_due;
    NY3-AG/DOS/SP go with NY1 (§ 899-aa(8)(a)); NY5 = 5 NY business days after 11-13: Mon 16,
    17, 18, 19, Fri 20 (§ 899-aa(9)); F8 is the record with no date (164.530(j))."""
    incident_id = create(engine, clock, owner)
    assert due(engine, incident_id) == {
        "F1": "2026-11-13",
        "F3 NY": "2026-11-13",
        "F4": "2026-11-13",
        "NY1": "2026-11-13",
        "NY3-AG": "2026-11-13",
        "NY3-DOS": "2026-11-13",
        "NY3-SP": "2026-11-13",
        "NY5": "2026-11-20",
        "F8": None,
    }
    found = records(engine, incident_id)
    assert terms(found["NY1"])["alt_due"] == "2026-10-14"  # 2026-09-14 + 30 days
    assert terms(found["F4"])["waiting_for"] == "F1"
    assert terms(found["NY5"])["waiting_for"] == "F4"
    assert terms(found["NY5"])["citation"].startswith("N.Y. Gen. Bus. Law § 899-aa(9)")
    assert found["F8"].kind == "record"
    assert {r.version for r in found.values()} == {1}
    assert all(r.live for r in found.values())
    assert [(v[2], v[4]) for v in versions(engine)] == [(1, True)] * len(found)


def test_moving_discovery_versions_the_changed_duties_and_leaves_the_rest_at_version_1(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """Discovery moved a week to Mon 2026-09-21: F1 = 2026-11-20 (164.404(b)); NY1 alt_due
    2026-10-21; NY5 = 5 NY business days after Fri 11-20: 23, 24, 25, (Thanksgiving 26 is a GCL
    § 24 holiday), 27, 30 -> 2026-11-30. Each changed duty gets version 2 and its version 1 row
    stays untouched; F8, whose terms do not depend on discovery, keeps its single version."""
    incident_id = create(engine, clock, owner)
    before = versions(engine)
    update(engine, clock, incident_id, discovered_on=date(2026, 9, 21))
    after = versions(engine)
    assert after[: len(before)] == before  # no old version row was edited or deleted
    assert due(engine, incident_id) == {
        **dict.fromkeys(LEGAL_DUTIES, "2026-11-20"),
        "NY5": "2026-11-30",
        "F8": None,
    }
    found = records(engine, incident_id)
    assert terms(found["NY1"])["alt_due"] == "2026-10-21"
    assert {k: r.version for k, r in found.items()} == {
        **dict.fromkeys(LEGAL_DUTIES, 2),
        "F8": 1,
    }
    assert len(history(engine, found["F8"])) == 1
    f1 = history(engine, found["F1"])
    assert [json.loads(v.terms)["due"] for v in f1] == ["2026-11-13", "2026-11-20"]
    assert f1[0].computed_at < f1[1].computed_at
    assert "discovered_on" in f1[1].cause
    assert len(after) == len(before) + len(LEGAL_DUTIES)


def test_a_fact_that_changes_no_obligation_adds_no_version(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """Only a changed computation becomes a version: editing the narrative adds no row."""
    incident_id = create(engine, clock, owner)
    before = versions(engine)
    update(engine, clock, incident_id, narrative="Laptop taken from a car; police report filed.")
    assert versions(engine) == before


def test_a_documented_low_probability_retires_duties_and_restoring_it_revives_them(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """164.402(2): a documented low probability of compromise ends F1, F3, F4 and so NY5 (no HHS
    notice, § 899-aa(9)); each is retired (live false, a version saying so), never deleted. NY law
    still applies, now on its own 30-day clock: NY1 = 2026-10-14 (§ 899-aa(2)). Recording "not
    low probability" again revives the retired duties as version 3 with their old dates."""
    incident_id = create(engine, clock, owner)
    before = versions(engine)
    update(engine, clock, incident_id, risk_assessment="low_probability_documented")
    middle = versions(engine)
    assert middle[: len(before)] == before
    found = records(engine, incident_id)
    retired = {k for k, r in found.items() if not r.live}
    assert retired == {"F1", "F3 NY", "F4", "NY5"}
    for key in retired:
        last = history(engine, found[key])[-1]
        assert (found[key].version, last.version, last.live) == (2, 2, False)
    assert (found["NY1"].due, found["NY1"].version) == (date(2026, 10, 14), 2)
    # F8 stays live but what must be kept is now the four-factor assessment: a new version.
    assert (found["F8"].live, found["F8"].version) == (True, 2)
    assert terms(found["F8"])["recipient"] == "Internal record: four-factor risk assessment"

    update(engine, clock, incident_id, risk_assessment="not_low_probability")
    after = versions(engine)
    assert after[: len(middle)] == middle
    found = records(engine, incident_id)
    assert all(r.live for r in found.values())
    for key in retired:
        assert [v.live for v in history(engine, found[key])] == [True, False, True]
    assert (found["F1"].version, found["F1"].due) == (3, date(2026, 11, 13))
    assert (found["NY5"].version, found["NY5"].due) == (3, date(2026, 11, 20))
    assert found["NY1"].due == date(2026, 11, 13)  # back on the HIPAA letter's date
    assert found["F8"].version == 3


def test_hhs_notice_recorded_as_done_moves_the_ny_ag_clock_and_undo_restores_it(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """§ 899-aa(9), docs/law/conventions.md: HHS notified Fri 2026-11-06, so NY5 = 5 NY business
    days after
    it: Mon 9, Tue 10, (Wed 11 is Veterans' Day, GCL § 24), Thu 12, Fri 13, Mon 16 -> 2026-11-16,
    with the earlier limit 2026-11-20 kept as outer_limit. Undoing the HHS date puts NY5 back on
    2026-11-20 as a new version; the earlier versions stay as they were."""
    incident_id = create(engine, clock, owner)
    first = versions(engine)
    mark_done(engine, clock, incident_id, "F4", date(2026, 11, 6))
    ny5 = records(engine, incident_id)["NY5"]
    assert ny5.due == date(2026, 11, 16)
    assert terms(ny5)["outer_limit"] == "2026-11-20"
    assert terms(ny5)["waiting_for"] is None and ny5.outcome == "dated"
    assert history(engine, ny5)[-1].cause == "F4 recorded as done on 2026-11-06"
    done = versions(engine)
    assert done[: len(first)] == first

    undo(engine, clock, incident_id, "F4")
    found = records(engine, incident_id)
    assert (found["NY5"].due, found["NY5"].version) == (date(2026, 11, 20), 3)
    assert terms(found["NY5"])["outer_limit"] is None
    assert found["F4"].done_on is None
    assert versions(engine)[: len(done)] == done


def test_individual_notice_recorded_as_done_makes_the_hhs_report_due_that_day(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """164.408(b): the 500+ HHS report is contemporaneous with the letters, so letters sent Mon
    2026-11-02 make F4 due 2026-11-02 (outer limit the old 2026-11-13); NY5 follows the new HHS
    date: Tue 3 is Election Day (GCL § 24), so Wed 4, Thu 5, Fri 6, Mon 9, Tue 10 -> 2026-11-10.
    NY3 goes with the resident notice (§ 899-aa(8)(a)), so it is due that day too."""
    incident_id = create(engine, clock, owner)
    mark_done(engine, clock, incident_id, "F1", date(2026, 11, 2))
    found = records(engine, incident_id)
    assert found["F1"].done_on == date(2026, 11, 2)
    assert (found["F4"].due, terms(found["F4"])["outer_limit"]) == (
        date(2026, 11, 2),
        "2026-11-13",
    )
    assert found["F4"].outcome == "dated"
    assert found["NY3-AG"].due == date(2026, 11, 2)
    assert found["NY5"].due == date(2026, 11, 10)


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (date(2026, 11, 24), "cannot be in the future"),
        (date(2026, 9, 13), "cannot be before discovery (2026-09-14)"),
    ],
)
def test_a_done_date_in_the_future_or_before_discovery_is_refused_and_changes_nothing(
    engine: Engine, clock: FixedClock, owner: User, on: date, message: str
) -> None:
    """A notice cannot be sent after today (the injected clock says 2026-11-23) nor before the
    breach was discovered; the refusal leaves the obligation and its versions as they were."""
    incident_id = create(engine, clock, owner)
    before = versions(engine)
    with pytest.raises(ValidationFailed) as caught:
        mark_done(engine, clock, incident_id, "F4", on)
    assert caught.value.field_errors == {"sent_on": message}
    assert records(engine, incident_id)["F4"].done_on is None
    assert versions(engine) == before


def test_a_recompute_that_fails_leaves_no_half_saved_facts_or_versions(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """The facts, the recompute and the audit row share one transaction: an error after the
    recompute rolls back the new discovery date and its versions together."""
    incident_id = create(engine, clock, owner)
    before = versions(engine)
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        call = trusted(session, clock)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        values = incidents.values_of(call, incident)
        incidents.update(call, incident, replace(values, discovered_on=date(2026, 9, 21)))
        raise RuntimeError("the request failed after the recompute")
    assert versions(engine) == before
    assert due(engine, incident_id)["F1"] == "2026-11-13"
    with Session(engine) as session:
        stored = session.get(Incident, incident_id)
        assert stored is not None and stored.discovered_on == date(2026, 9, 14)


def test_the_hipaa_letter_recorded_as_sent_is_also_the_ny_resident_notice(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """N.Y. Gen. Bus. Law 899-aa(2)(b): a notice made under HIPAA is the notice to NY residents, so
    F1 recorded as done on 2026-11-02 records NY1 done that day too; undoing F1 undoes NY1."""
    incident_id = create(engine, clock, owner)
    mark_done(engine, clock, incident_id, "F1", date(2026, 11, 2))
    ny1 = records(engine, incident_id)["NY1"]
    assert ny1.done_on == date(2026, 11, 2)
    assert ny1.done_reference == sending.SAME_LETTER
    undo(engine, clock, incident_id, "F1")
    assert records(engine, incident_id)["NY1"].done_on is None


def test_a_non_hipaa_ny_notice_is_not_marked_done_by_another_letter(
    engine: Engine, clock: FixedClock, owner: User
) -> None:
    """Without the (2)(b) deemer (no HIPAA notice) NY1 stands on its own 30-day clock."""
    incident_id = create(engine, clock, owner, hipaa_covered_entity=False)
    assert "F1" not in records(engine, incident_id)
    assert records(engine, incident_id)["NY1"].done_on is None
