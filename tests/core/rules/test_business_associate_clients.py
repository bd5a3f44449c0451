"""A business associate serving several covered entities (45 CFR 164.404(a)(2), 164.410).

`ce_notified_by_ba_on` may be a map {client name: date told}; each client's covered-entity clocks
run from its own date and its duties name it as `party`; the business associate's own duties are
owed once. The business associate (an independent contractor, so each client discovers the breach
when told) discovered the breach on Mon 2026-08-03. Every date was worked by hand: X + N days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.obligations import Party, Result, Status
from tests.factories import incident, run

BA: dict[str, Any] = {
    "entity_type": "business_associate",
    "flags": {"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": False},
    "breach_occurred_on": "2026-07-30",
    "discovered_on": "2026-08-03",
}
CLIENTS = {"Hudson Clinic": "2026-08-20", "Mohawk Health": "2026-09-01", "Erie Labs": None}


def clients(**over: Any) -> Result:
    return run(**{**BA, "ce_notified_by_ba_on": CLIENTS, **over})


def by_party(result: Result, rule_id: str) -> dict[str | None, Any]:
    found = [o for o in result.obligations if o.rule_id == rule_id]
    assert len({o.party for o in found}) == len(found), f"{rule_id} owed twice to one party"
    return {o.party: o for o in found}


def test_164_404_a_2_each_client_discovers_when_told_and_is_named_as_party() -> None:
    """164.404(a)(2): Hudson told 2026-08-20 + 60 = 11 days to 08-31, 30 to 09-30, 19 more =
    2026-10-19. Mohawk told 09-01 + 60 = 29 days to 09-30 + 31 = 2026-10-31. Erie not yet told:
    counted from the latest permitted BA notice date 2026-08-03 + 60 = 28 to 08-31, 30 to 09-30,
    2 more = 2026-10-02, so 10-02 + 60 = 29 to 10-31, 30 to 11-30, 1 more = 2026-12-01 (waiting)."""
    f1 = by_party(clients(), "F1")
    assert set(f1) == set(CLIENTS)
    assert (f1["Hudson Clinic"].due, f1["Hudson Clinic"].status) == (
        date(2026, 10, 19),
        Status.DATED,
    )
    assert f1["Mohawk Health"].due == date(2026, 10, 31)
    assert (f1["Erie Labs"].due, f1["Erie Labs"].status) == (date(2026, 12, 1), Status.WAITING)


def test_164_410_the_business_associates_own_duties_are_owed_once() -> None:
    """164.410(b): F6 = 2026-08-03 + 60 = 2026-10-02, once, the business associate's; the record
    (F8) once too. 164.408(c): each client's annual log (100 < 500) = 2026-12-31 + 60 =
    2027-03-01, one per client."""
    result = clients()
    f6 = by_party(result, "F6")
    assert list(f6) == [Party.BUSINESS_ASSOCIATE]
    assert f6[Party.BUSINESS_ASSOCIATE].due == date(2026, 10, 2)
    assert "Erie Labs not yet" in f6[Party.BUSINESS_ASSOCIATE].reason
    assert list(by_party(result, "F8")) == [None]
    f5 = by_party(result, "F5")
    assert set(f5) == set(CLIENTS) and {o.due for o in f5.values()} == {date(2027, 3, 1)}


def test_899_aa_agency_notices_per_client_vendor_notice_once() -> None:
    """N.Y. Gen. Bus. Law § 899-aa(3): the vendor's notice to the owner, 2026-08-03 + 30 = 28 to
    08-31 + 2 = 2026-09-02, once. 899-aa(8)(a): each client's agency notices ride on its HIPAA
    letter (F1): Hudson 2026-10-19, Mohawk 2026-10-31."""
    result = clients(affected_by_state={"NY": 100}, data_elements=["name", "ssn"])
    ny6 = by_party(result, "NY6")
    assert list(ny6) == [Party.BUSINESS_ASSOCIATE]
    assert ny6[Party.BUSINESS_ASSOCIATE].due == date(2026, 9, 2)
    ny3 = by_party(result, "NY3-AG")
    assert ny3["Hudson Clinic"].due == date(2026, 10, 19)
    assert ny3["Mohawk Health"].due == date(2026, 10, 31)


def test_a_map_of_one_client_names_it_and_a_plain_date_does_not() -> None:
    """A plain date keeps the single-client form (`party` = covered_entity); a map of one names
    the client. Both: 2026-08-20 + 60 = 2026-10-19."""
    named = by_party(clients(ce_notified_by_ba_on={"Hudson Clinic": "2026-08-20"}), "F1")
    plain = by_party(clients(ce_notified_by_ba_on="2026-08-20"), "F1")
    assert named["Hudson Clinic"].due == plain[Party.COVERED_ENTITY].due == date(2026, 10, 19)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (
            {"Hudson Clinic": "2026-07-01"},
            "ce_notified_by_ba_on.Hudson Clinic: 2026-07-01 is before discovered_on 2026-08-03",
        ),
        (
            {"Hudson Clinic": "20 August"},
            "ce_notified_by_ba_on.Hudson Clinic: '20 August' is not a date in the form YYYY-MM-DD",
        ),
        ({" ": "2026-08-20"}, "ce_notified_by_ba_on: a client's name is empty"),
        (
            {"Erie Labs": None, "erie labs ": None},
            "ce_notified_by_ba_on.erie labs: the same client is named twice",
        ),
    ],
)
def test_each_clients_date_is_checked_and_named(value: dict[str, str], problem: str) -> None:
    with pytest.raises(FactsError) as caught:
        parse_incident(incident(**BA, ce_notified_by_ba_on=value))
    assert caught.value.problems == [problem]
