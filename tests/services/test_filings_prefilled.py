"""Filings take what is already recorded: the HHS breach report worksheet (45 CFR 164.408)
prints the incident's type of breach and location (its HHS portal answers) and the organisation
profile's covered-entity type, with no "[MISSING]" for them; a later change to any of them makes
the drafted worksheet stale, so its page offers Redraft.

The incident of tests/services/notice_support.py: a provider's laptop stolen (theft, laptop),
600 NY residents, so the HHS report (F4) is owed.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine

from incident_tracker.clock import FixedClock
from incident_tracker.services import incidents, notice_facts, notice_versions, organisation
from incident_tracker.services.call import Call
from tests.services.notice_support import ORG
from tests.services.sending_support import (
    People,
    as_user,
    load,
    make_incident,
    obligation_id,
)
from tests.services.sending_support import people as people
from tests.services.test_discharges import save_details

__all__ = ["people"]


def drafted_worksheet(engine: Engine, clock: FixedClock, who: People) -> tuple[int, int, str]:
    iid = make_incident(engine, clock, who.officer, states={"NY": 600})
    f4 = obligation_id(engine, iid, "F4")

    def draft(c: Call) -> str:
        incident = load(c, iid)
        notice = notice_versions.create(c, incident, f4)
        return notice_versions.latest(c, notice).text

    return iid, f4, as_user(engine, clock, who.officer, draft)


def changes(engine: Engine, clock: FixedClock, who: People, iid: int, f4: int) -> tuple[str, ...]:
    def measure(c: Call) -> notice_facts.Staleness:
        return notice_facts.for_incident(c, load(c, iid))[f4]

    state = as_user(engine, clock, who.officer, measure)
    assert state.stale == bool(state.changes)
    return state.changes


def test_the_hhs_worksheet_prints_the_recorded_type_location_and_covered_entity_type(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    _, _, text = drafted_worksheet(engine, clock, people)
    for printed in ("Theft", "Laptop", "Healthcare Provider"):
        assert printed in text
    for key in ("breach_type", "breach_location", "covered_entity_type"):
        assert f"[MISSING: {key}" not in text and key not in text


def test_a_change_to_the_incident_or_the_profile_makes_the_drafted_worksheet_stale(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    iid, f4, _ = drafted_worksheet(engine, clock, people)
    assert changes(engine, clock, people, iid, f4) == ()

    def lost_on_paper(c: Call) -> None:
        incident = load(c, iid)
        values = incidents.values_of(c, incident)
        incidents.update(c, incident, replace(values, breach_type="loss", location="paper_films"))

    as_user(engine, clock, people.officer, lost_on_paper)
    found = changes(engine, clock, people, iid, f4)
    assert "4. Breach: Type of breach: Theft → Loss" in found
    assert "4. Breach: Location of breached information: Laptop → Paper/films" in found

    as_user(
        engine,
        clock,
        None,
        lambda c: organisation.update(c, replace(ORG, covered_entity_type="health_plan")),
    )
    found = changes(engine, clock, people, iid, f4)
    assert "2. Covered entity: Covered entity type: Healthcare Provider → Health Plan" in found


def test_an_answer_typed_in_the_notice_details_still_wins(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    iid = make_incident(engine, clock, people.officer, states={"NY": 600})
    save_details(engine, clock, people, iid, breach_type="Theft from a parked car")
    f4 = obligation_id(engine, iid, "F4")

    def draft(c: Call) -> str:
        notice = notice_versions.create(c, load(c, iid), f4)
        return notice_versions.latest(c, notice).text

    text = as_user(engine, clock, people.officer, draft)
    assert "Theft from a parked car" in text and "Laptop" in text
