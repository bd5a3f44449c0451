"""New York: N.Y. Gen. Bus. Law § 899-aa and 23 NYCRR 500.17 (docs/law/new-york.md;
docs/law/rules.md; docs/law/new-york.md, open questions,
§8.13).

Every expected date below was computed by hand from the statute and a real calendar, never from the
engine. "N days after X" = X + N, X is day 0 (docs/law/conventions.md). NY business days = Mon-Fri
minus the
GCL § 24 public holidays of docs/law/new-york.md; X itself never counts; a Saturday holiday is not
moved
to the Friday (no Saturday-to-Friday rule), a Sunday holiday moves to the Monday.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.obligations import Obligation, Party, Result, Status
from tests.factories import not_owed, owed, run

NY3 = ("NY3-AG", "NY3-DOS", "NY3-SP")
WRITTEN_HOLD = {"form": "written", "statement_date": "2026-03-10", "delay_until": "2026-05-15"}


# A NY business that is NOT a HIPAA covered entity: 100 NY residents' names with SSNs.
BUSINESS: dict[str, Any] = {
    "flags": {"hipaa_covered_entity": False},
    "affected_by_state": {"NY": 100},
    "data_elements": ["name", "ssn"],
}
# A business associate (the covered entity's agent) holding 100 NY residents' PHI.
BA: dict[str, Any] = {
    "entity_type": "business_associate",
    "flags": {"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": True},
    "affected_by_state": {"NY": 100},
}


def _business(**over: Any) -> Result:
    return run(**{**BUSINESS, **over})


# --- NY1: 899-aa(2) resident notice --------------------------------------------------------------


@pytest.mark.parametrize(
    ("discovered", "strict", "rolled"),
    [
        # Mon 2026-03-09 + 30 = Wed 2026-04-08, a NY business day: no alt_due.
        ("2026-03-09", date(2026, 4, 8), None),
        # 2026-01-13 + 30 = Thu 2026-02-12, Lincoln's Birthday -> Fri 2026-02-13.
        ("2026-01-13", date(2026, 2, 12), date(2026, 2, 13)),
        # 2026-01-15 + 30 = Sat 2026-02-14; Sun 02-15; Mon 02-16 Washington's Birthday
        # -> Tue 2026-02-17.
        ("2026-01-15", date(2026, 2, 14), date(2026, 2, 17)),
        # 2026-06-04 + 30 = Sat 2026-07-04 (Independence Day on a Saturday: no Friday or Monday
        # observance in GCL § 24); Sun 07-05 -> Mon 2026-07-06.
        ("2026-06-04", date(2026, 7, 4), date(2026, 7, 6)),
        # First day of the 30-day amendment: Sat 2024-12-21 + 30 = Mon 2025-01-20, Martin Luther
        # King Jr. Day -> Tue 2025-01-21.
        ("2024-12-21", date(2025, 1, 20), date(2025, 1, 21)),
        # 2026-03-12 + 30 = Sat 2026-04-11; Sun 04-12 -> Mon 2026-04-13.
        ("2026-03-12", date(2026, 4, 11), date(2026, 4, 13)),
    ],
)
def test_899aa_2_non_hipaa_30_days_strict_due_gcl_25a_roll_forward_only_in_alt_due(
    discovered: str, strict: date, rolled: date | None
) -> None:
    """docs/law/new-york.md; docs/law/conventions.md; docs/law/conventions.md, open questions:
    discovery + 30 calendar days; a weekend/holiday last day
    stays as due, alt_due = next NY business day (GCL § 25-a). No F1: no HIPAA deemer."""
    r = _business(discovered_on=discovered, breach_occurred_on=discovered)
    ny1 = owed(r, "NY1")
    assert (ny1.due, ny1.status, ny1.disputed) == (strict, Status.DATED, False)
    assert ny1.alt_due == rolled
    assert rolled is None or (ny1.alt_due_reason is not None and "25-a" in ny1.alt_due_reason)
    not_owed(r, "F1")


def test_899aa_2_discovered_before_2024_12_21_amendment_has_no_fixed_date() -> None:
    """docs/law/new-york.md: Fri 2024-12-20 is the day before the 30-day clock; due null, and the
    (8)(a) agency notices that ride on NY1 have no date either."""
    r = _business(discovered_on="2024-12-20", breach_occurred_on="2024-12-18")
    ny1 = owed(r, "NY1")
    assert (ny1.due, ny1.status) == (None, Status.NO_FIXED_DEADLINE)
    assert ny1.standard is not None and "expedient" in ny1.standard
    assert owed(r, "NY3-AG").due is None


def test_899aa_2b_hipaa_covered_entity_ny1_is_the_hipaa_date_with_30_day_alt_due() -> None:
    """docs/law/new-york.md; docs/law/new-york.md, open questions: F1 = Mon 2026-07-20 + 60 = Fri
    2026-09-18 is NY1's due; the
    conservative 30-day reading 2026-07-20 + 30 = Wed 2026-08-19 is alt_due."""
    r = run(
        discovered_on="2026-07-20",
        breach_occurred_on="2026-07-15",
        affected_by_state={"NY": 50},
        data_elements=["name", "ssn", "diagnosis"],
    )
    assert owed(r, "F1").due == date(2026, 9, 18)
    ny1 = owed(r, "NY1")
    assert (ny1.due, ny1.alt_due) == (date(2026, 9, 18), date(2026, 8, 19))
    assert ny1.alt_due_reason is not None and "docs/law/new-york.md" in ny1.alt_due_reason
    for rule_id in NY3:
        assert owed(r, rule_id).due == date(2026, 9, 18)


# --- 899-aa(1)(b) private information (docs/law/new-york.md; docs/law/new-york.md, open questions)
# ------------------------------------


def test_899aa_1b_medical_only_on_2025_03_20_not_private_but_899aa_9_owed() -> None:
    """The day before 2025-03-21 medical data are not private information: no NY1/NY3/NY4.
    NY5 (899-aa(9)) covers any HHS notice: HHS notified Thu 2025-05-15; NY business days
    Fri 05-16 (1), Mon 05-19 (2), Tue 05-20 (3), Wed 05-21 (4), Thu 05-22 (5) -> 2025-05-22.
    Old limit: the 2025 log deadline 2025-12-31 + 60 = Sun 2026-03-01; Mon 03-02 (1),
    Tue 03-03 (2), Wed 03-04 (3), Thu 03-05 (4), Fri 03-06 (5) -> outer_limit 2026-03-06."""
    r = run(
        discovered_on="2025-03-20",
        breach_occurred_on="2025-03-18",
        affected_by_state={"NY": 300},
        notices_sent={"individuals": "2025-05-15", "hhs": "2025-05-15"},
    )
    for rule_id in ("NY1", *NY3, "NY4"):
        assert "private information" in not_owed(r, rule_id).reason
    ny5 = owed(r, "NY5")
    assert (ny5.due, ny5.outer_limit) == (date(2025, 5, 22), date(2026, 3, 6))


MEDICAL = ["name", "diagnosis"]
SSN = ["name", "ssn", "diagnosis"]


@pytest.mark.parametrize(
    ("discovered", "elements", "f1_due", "disputed"),
    [
        # Medical only: owed from 2025-03-21 (default), disputed until the other reading 03-25.
        ("2025-03-21", MEDICAL, date(2025, 5, 20), True),  # + 60 = Tue 2025-05-20
        ("2025-03-22", MEDICAL, date(2025, 5, 21), True),  # + 60 = Wed 2025-05-21
        ("2025-03-25", MEDICAL, date(2025, 5, 24), False),  # + 60 = Sat 2025-05-24, no roll
        # SSN has always been private information: owed at any date, never disputed.
        ("2023-06-01", SSN, date(2023, 7, 31), False),  # + 60 = 2023-07-31
        ("2025-03-20", SSN, date(2025, 5, 19), False),  # + 60 = 2025-05-19
        ("2025-03-22", SSN, date(2025, 5, 21), False),  # + 60 = 2025-05-21
    ],
)
def test_899aa_1b_private_information_by_discovery_date_and_element(
    discovered: str, elements: list[str], f1_due: date, disputed: bool
) -> None:
    """docs/law/new-york.md; docs/law/new-york.md, open questions: NY1 for a HIPAA CE = the F1 date
    (discovery + 60, no roll-forward);
    `disputed` is carried onto the (8)(a) agency notices."""
    r = run(
        discovered_on=discovered,
        breach_occurred_on=discovered,
        affected_by_state={"NY": 30},
        data_elements=elements,
    )
    ny1 = owed(r, "NY1")
    assert (ny1.due, ny1.disputed) == (f1_due, disputed)
    for rule_id in NY3:
        assert (owed(r, rule_id).due, owed(r, rule_id).disputed) == (f1_due, disputed)


def test_899aa_1c_paper_records_owe_no_resident_or_agency_notice_but_899aa_9_owed() -> None:
    """docs/law/new-york.md: computerized data only, but (9) reaches paper PHI. 6,000 NY SSNs on
    paper (NY4 would be owed if electronic). HHS notified Fri 2026-03-20; NY business days
    Mon 03-23 (1), Tue 03-24 (2), Wed 03-25 (3), Thu 03-26 (4), Fri 03-27 (5) -> 2026-03-27."""
    r = run(
        discovered_on="2026-03-02",
        affected_by_state={"NY": 6000},
        data_elements=["name", "ssn", "diagnosis"],
        medium="paper",
        notices_sent={"individuals": "2026-03-20", "hhs": "2026-03-20"},
    )
    for rule_id in ("NY1", *NY3, "NY4"):
        assert "paper" in not_owed(r, rule_id).reason
    # outer_limit None: the anchor (F4) was due on the letter date 03-20 as well.
    assert (owed(r, "NY5").due, owed(r, "NY5").outer_limit) == (date(2026, 3, 27), None)


def test_899aa_1b_encrypted_with_key_intact_owes_nothing_in_new_york() -> None:
    """docs/law/new-york.md: encrypted data with the key not accessed are not private
    information."""
    r = run(
        affected_by_state={"NY": 6000},
        data_elements=["name", "ssn"],
        phi_encrypted=True,
        encryption_key_compromised=False,
    )
    for rule_id in ("NY1", *NY3, "NY4"):
        assert "encrypted" in not_owed(r, rule_id).reason
    not_owed(r, "NY5")  # no HHS notice either (secured PHI)
    # Key compromised too: owed. Non-HIPAA, Mon 2026-03-09 + 30 = Wed 2026-04-08.
    r = _business(phi_encrypted=True, encryption_key_compromised=True, discovered_on="2026-03-09")
    assert owed(r, "NY1").due == date(2026, 4, 8)


# --- NY3 / NY4: 899-aa(8) ----------------------------------------------------------------------


def test_899aa_8a_one_obligation_per_agency_due_with_resident_notice() -> None:
    """docs/law/new-york.md; docs/law/conventions.md: AG, DOS and State Police, one each. NY1 = Tue
    2026-03-10 + 30 =
    Thu 2026-04-09, each agency's outer limit until residents are notified; once they are
    (2026-03-27), each is due that day and 2026-04-09 becomes outer_limit."""
    waiting = _business(discovered_on="2026-03-10", affected_by_state={"NY": 250})
    sent = _business(discovered_on="2026-03-10", notices_sent={"ny_residents": "2026-03-27"})
    for rule_id in NY3:
        items: list[Obligation] = [o for o in waiting.obligations if o.rule_id == rule_id]
        assert len(items) == 1
        assert (items[0].due, items[0].status) == (date(2026, 4, 9), Status.WAITING)
        assert items[0].due_basis == "with_NY_resident_notice"
        ob = owed(sent, rule_id)
        assert (ob.due, ob.outer_limit) == (date(2026, 3, 27), date(2026, 4, 9))


def test_899aa_8b_consumer_reporting_agencies_only_above_5000() -> None:
    """docs/law/new-york.md: "more than five thousand". NY1 = Mon 2026-03-09 + 30 = Wed
    2026-04-08."""
    at = _business(discovered_on="2026-03-09", affected_by_state={"NY": 5000})
    assert "5,000" in not_owed(at, "NY4").reason
    above = _business(discovered_on="2026-03-09", affected_by_state={"NY": 5001})
    assert owed(above, "NY4").due == date(2026, 4, 8)


# --- NY2: 899-aa(2)(a) written determination --------------------------------------------------


@pytest.mark.parametrize(
    ("ny", "made", "strict", "rolled"),
    [
        (501, "2026-04-20", date(2026, 4, 30), None),  # Mon + 10 = Thu 2026-04-30
        # Fri 2026-05-15 + 10 = Mon 2026-05-25, Memorial Day -> Tue 2026-05-26 (GCL § 25-a).
        (501, "2026-05-15", date(2026, 5, 25), date(2026, 5, 26)),
        (500, "2026-04-20", None, None),  # "more than 500": nothing goes to the AG
    ],
)
def test_899aa_2a_determination_to_ag_within_10_days_above_500_and_no_resident_notice(
    ny: int, made: str, strict: date | None, rolled: date | None
) -> None:
    """docs/law/new-york.md: the written determination removes NY1 and NY3 at any count; above 500
    NY residents it goes to the AG within 10 calendar days and is kept 5 years."""
    r = _business(
        discovered_on="2026-04-06", affected_by_state={"NY": ny}, ny_harm_determination_on=made
    )
    if strict is None:
        assert "500" in not_owed(r, "NY2").reason
    else:
        ny2 = owed(r, "NY2")
        assert (ny2.due, ny2.alt_due, ny2.retain_years) == (strict, rolled, 5)
    for rule_id in ("NY1", *NY3):
        assert "899-aa(2)(a)" in not_owed(r, rule_id).reason


def test_899aa_2b_hipaa_notice_keeps_the_agency_notices_despite_a_2a_determination() -> None:
    """docs/law/new-york.md: a HIPAA CE owing F1 sends letters to its NY residents;
    under (2)(b) that is their NY notice, so residents "are to be notified" and (8)(a) applies
    "even when residents were notified under HIPAA". Nothing in § 899-aa lets a (2)(a) determination
    remove that; the conservative reading keeps NY1 (on the HIPAA date) and NY3, and still sends
    the determination to the AG (NY2, more than 500). Discovered 2026-02-10: F1 = +60 days =
    2026-04-11. Determination 2026-02-12 + 10 = Sun 2026-02-22 -> Mon 2026-02-23 (GCL § 25-a)."""
    r = run(affected_by_state={"NY": 600}, ny_harm_determination_on="2026-02-12")
    assert owed(r, "F1").due == date(2026, 4, 11)
    ny1 = owed(r, "NY1")
    assert ny1.due == date(2026, 4, 11) and "899-aa(2)(b)" in ny1.citation
    assert "does not remove this" in ny1.reason
    for rule_id in NY3:
        assert owed(r, rule_id).due == date(2026, 4, 11)
    ny2 = owed(r, "NY2")
    assert (ny2.due, ny2.alt_due) == (date(2026, 2, 22), date(2026, 2, 23))


def test_899aa_2a_determination_still_removes_ny_notices_when_no_hipaa_notice_is_owed() -> None:
    """docs/law/new-york.md: with a documented low probability (no F1) the (2)(a) determination is
    what
    removes NY1 and so the (8)(a) agency notices."""
    r = run(
        affected_by_state={"NY": 600},
        ny_harm_determination_on="2026-02-12",
        risk_assessment="low_probability_documented",
    )
    not_owed(r, "F1")
    for rule_id in ("NY1", *NY3):
        assert "899-aa(2)(a)" in not_owed(r, rule_id).reason


# --- NY5: 899-aa(9), 5 NY business days after the HHS notice ---------------------------------


@pytest.mark.parametrize(
    ("discovered", "hhs", "due"),
    [
        # Tue 02-10: Wed 02-11 (1), Thu 02-12 Lincoln's Birthday, Fri 02-13 (2), Mon 02-16
        # Washington's Birthday, Tue 02-17 (3), Wed 02-18 (4), Thu 02-19 (5).
        ("2026-02-02", "2026-02-10", date(2026, 2, 19)),
        # Thu 10-08: Fri 10-09 (1), Mon 10-12 Columbus Day, Tue 10-13 (2), Wed 10-14 (3),
        # Thu 10-15 (4), Fri 10-16 (5).
        ("2026-09-28", "2026-10-08", date(2026, 10, 16)),
        # Thu 2026-12-24: Fri 12-25 Christmas, Mon 12-28 (1), Tue 12-29 (2), Wed 12-30 (3),
        # Thu 12-31 (4), Fri 2027-01-01 New Year's Day, Mon 2027-01-04 (5).
        ("2026-12-01", "2026-12-24", date(2027, 1, 4)),
        # Wed 2025-11-26: Thu 11-27 Thanksgiving, Fri 11-28 (1: the day after Thanksgiving IS a
        # NY business day), Mon 12-01 (2), Tue 12-02 (3), Wed 12-03 (4), Thu 12-04 (5).
        ("2025-11-03", "2025-11-26", date(2025, 12, 4)),
        # Thu 2026-07-02: Fri 07-03 (1: July 4 is a Saturday and GCL § 24 does not move it to
        # Friday), Mon 07-06 (2), Tue 07-07 (3), Wed 07-08 (4), Thu 07-09 (5).
        ("2026-06-22", "2026-07-02", date(2026, 7, 9)),
        # Wed 2027-12-22: Thu 12-23 (1), Fri 12-24 (2: Christmas is Sat 12-25, not moved),
        # Mon 12-27 (3), Tue 12-28 (4), Wed 12-29 (5).
        ("2027-12-01", "2027-12-22", date(2027, 12, 29)),
    ],
)
def test_899aa_9_five_ny_business_days_after_the_actual_hhs_notice(
    discovered: str, hhs: str, due: date
) -> None:
    """docs/law/new-york.md: counted from the day after the HHS date, GCL § 24 holidays only."""
    r = run(
        discovered_on=discovered,
        breach_occurred_on=discovered,
        affected_by_state={"NY": 40},
        notices_sent={"individuals": hhs, "hhs": hhs},
    )
    ny5 = owed(r, "NY5")
    assert (ny5.due, ny5.status) == (due, Status.DATED)
    assert ny5.calendar is not None and "GCL" in ny5.calendar


def test_899aa_9_unsent_annual_log_counts_from_the_log_deadline() -> None:
    """docs/law/conventions.md; docs/law/federal.md: discovered 2027-05-10 (fewer than 500) -> log
    due 2027-12-31 + 60 =
    Tue 2028-02-29 (leap year). Wed 03-01 (1), Thu 03-02 (2), Fri 03-03 (3), Mon 03-06 (4),
    Tue 03-07 (5) -> 2028-03-07, waiting for F5."""
    r = run(
        discovered_on="2027-05-10", breach_occurred_on="2027-05-03", affected_by_state={"NY": 40}
    )
    assert owed(r, "F5").due == date(2028, 2, 29)
    ny5 = owed(r, "NY5")
    assert (ny5.due, ny5.status, ny5.waiting_for) == (date(2028, 3, 7), Status.WAITING, "F5")


def test_899aa_9_unsent_500_plus_hhs_report_counts_from_the_letter_date() -> None:
    """docs/law/conventions.md: letters sent Tue 2026-06-16, so the 500+ HHS report is due that
    day. Unsent:
    Wed 06-17 (1), Thu 06-18 (2), Fri 06-19 Juneteenth, Mon 06-22 (3), Tue 06-23 (4),
    Wed 06-24 (5) -> 2026-06-24. HHS then notified Thu 06-18: Fri 06-19 Juneteenth,
    Mon 06-22 (1), Tue 06-23 (2), Wed 06-24 (3), Thu 06-25 (4), Fri 06-26 (5) -> 2026-06-26,
    outer_limit 2026-06-24."""
    facts: dict[str, Any] = {"discovered_on": "2026-05-04", "affected_by_state": {"NY": 600}}
    waiting = owed(run(**facts, notices_sent={"individuals": "2026-06-16"}), "NY5")
    assert (waiting.due, waiting.status, waiting.waiting_for) == (
        date(2026, 6, 24),
        Status.WAITING,
        "F4",
    )
    sent = run(**facts, notices_sent={"individuals": "2026-06-16", "hhs": "2026-06-18"})
    ny5 = owed(sent, "NY5")
    assert (ny5.due, ny5.outer_limit) == (date(2026, 6, 26), date(2026, 6, 24))


def test_899aa_9_not_owed_without_ny_residents_or_without_an_hhs_notice() -> None:
    """docs/law/new-york.md, open questions default: only when NY residents are affected; a
    non-HIPAA entity never
    notifies HHS, so the clock never starts."""
    assert "New York" in not_owed(run(affected_by_state={"PA": 100}), "NY5").reason
    not_owed(_business(), "NY5")


# --- NY6: 899-aa(3) vendor / BA to owner -------------------------------------------------------


@pytest.mark.parametrize(
    ("discovered", "strict", "rolled"),
    [
        ("2026-09-14", date(2026, 10, 14), None),  # Mon + 30 = Wed 2026-10-14
        # Sat 2026-09-12 + 30 = Mon 2026-10-12, Columbus Day -> Tue 2026-10-13 (alt only).
        ("2026-09-12", date(2026, 10, 12), date(2026, 10, 13)),
    ],
)
def test_899aa_3_business_associate_tells_owner_within_30_days_of_its_discovery(
    discovered: str, strict: date, rolled: date | None
) -> None:
    """docs/law/new-york.md; docs/law/conventions.md, open questions: 30 days from the BA's own
    discovery; party business_associate."""
    ny6 = owed(run(**BA, discovered_on=discovered, breach_occurred_on="2026-09-10"), "NY6")
    assert (ny6.due, ny6.alt_due) == (strict, rolled)
    assert ny6.party is Party.BUSINESS_ASSOCIATE


def test_899aa_3_not_owed_by_the_covered_entity_that_owns_the_data() -> None:
    assert "owns" in not_owed(run(affected_by_state={"NY": 100}), "NY6").reason


# --- NY7: 23 NYCRR 500.17 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("determined", "due_at", "due"),
    [
        # 15:00 EDT Fri 06-12 + 72 h = 15:00 EDT Mon 2026-06-15.
        ("2026-06-12T15:00:00-04:00", "2026-06-15T15:00:00-04:00", date(2026, 6, 15)),
        # 22:30 EDT Fri 06-12 (already 02:30 UTC on 06-13) + 72 h = 22:30 EDT Mon 06-15: the
        # due date is the local date 2026-06-15, not the UTC date 06-16.
        ("2026-06-12T22:30:00-04:00", "2026-06-15T22:30:00-04:00", date(2026, 6, 15)),
        # 23:45 EDT Mon 06-29 + 72 h = 23:45 EDT Thu 2026-07-02 (crosses the month end).
        ("2026-06-29T23:45:00-04:00", "2026-07-02T23:45:00-04:00", date(2026, 7, 2)),
    ],
)
def test_500_17_dfs_72_hours_from_determination(determined: str, due_at: str, due: date) -> None:
    """docs/law/new-york.md: a DFS covered entity notifies DFS within 72 hours (a timestamp
    clock)."""
    r = run(
        discovered_on="2026-06-12",
        affected_by_state={"NY": 20},
        flags={"nydfs_covered_entity": True},
        dfs_determined_at=determined,
    )
    ny7 = owed(r, "NY7")
    assert ny7.due_at is not None and ny7.due_at.isoformat() == due_at
    assert ny7.due == due


def test_500_17_not_owed_when_not_a_dfs_covered_entity() -> None:
    r = run(affected_by_state={"NY": 20}, dfs_determined_at="2026-02-10T09:00:00-05:00")
    assert "DFS" in not_owed(r, "NY7").reason


# --- 899-aa(4): law-enforcement hold -----------------------------------------------------------


@pytest.mark.parametrize(
    ("hold", "end"),
    [
        (WRITTEN_HOLD, date(2026, 5, 15)),  # written: the stated end
        # oral: statement 2026-03-10 + 30 = 2026-04-09 (the incident JSON format (README.md,
        # Calculator); docs/law/federal.md)
        ({"form": "oral", "statement_date": "2026-03-10"}, date(2026, 4, 9)),
    ],
)
def test_899aa_4_hold_non_hipaa_entity_no_date_not_before_hold_end(
    hold: dict[str, str], end: date
) -> None:
    """docs/law/new-york.md; docs/law/conventions.md: after a hold NY1 (and NY3 with it) has no
    date; not_before = end."""
    r = _business(discovered_on="2026-03-02", law_enforcement_delay=hold)
    for rule_id in ("NY1", "NY3-AG"):
        ob = owed(r, rule_id)
        assert (ob.due, ob.status) == (None, Status.NO_FIXED_DEADLINE)
        assert ob.not_before == end


def test_899aa_4_hipaa_covered_entity_under_hold_follows_f1() -> None:
    """docs/law/conventions.md: NY1 follows F1 = later of 2026-03-02 + 60 = 2026-05-01 and hold end
    2026-06-15 -> 2026-06-15; no 30-day alt_due under a hold."""
    r = run(
        discovered_on="2026-03-02",
        affected_by_state={"NY": 100},
        law_enforcement_delay={**WRITTEN_HOLD, "delay_until": "2026-06-15"},
    )
    ny1 = owed(r, "NY1")
    assert owed(r, "F1").due == date(2026, 6, 15)
    assert (ny1.due, ny1.alt_due) == (date(2026, 6, 15), None)
