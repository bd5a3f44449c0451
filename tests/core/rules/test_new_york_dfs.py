"""New York DFS clocks in hours: 23 NYCRR 500.17(a) (NY7, 72 hours from the determination) and
500.17(c) (NY8, 24 hours from an extortion payment; NY9, its written explanation within 30 days).

Every expected instant was worked by hand: an hour clock counts elapsed hours, and the due instant
is written in America/New_York at that instant (EDT -04:00 until 2026-11-01 02:00, then EST
-05:00; EST until 2026-03-08 02:00, then EDT). `due` is the New York date of `due_at`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.obligations import Party, Result, Status
from tests.factories import incident, not_owed, owed, run

DFS: dict[str, Any] = {"flags": {"nydfs_covered_entity": True}, "affected_by_state": {"NY": 20}}


def dfs(**over: Any) -> Result:
    return run(**{**DFS, **over})


# --- NY7: due_at in New York time (the instant is unchanged) ------------------------------------


@pytest.mark.parametrize(
    ("determined", "due_at", "due"),
    [
        # Across the end of daylight saving: 21:15 EDT Sat 10-31 = 01:15Z Sun 11-01; + 72 h =
        # 01:15Z Wed 11-04 = 20:15 EST Tue 2026-11-03 (not 21:15-04:00).
        ("2026-10-31T21:15:00-04:00", "2026-11-03T20:15:00-05:00", date(2026, 11, 3)),
        # A Pacific offset: 22:00 PDT Fri 06-12 = 01:00 EDT Sat 06-13; + 72 h = 01:00 EDT Tue
        # 2026-06-16, so `due` is 06-16 although the Pacific date of due_at would be 06-15.
        ("2026-06-12T22:00:00-07:00", "2026-06-16T01:00:00-04:00", date(2026, 6, 16)),
        # Across the start of daylight saving: 12:00Z Fri 03-06 (07:00 EST) + 72 h = 12:00Z Mon
        # 03-09 = 08:00 EDT 2026-03-09.
        ("2026-03-06T12:00:00+00:00", "2026-03-09T08:00:00-04:00", date(2026, 3, 9)),
    ],
)
def test_23_nycrr_500_17_a_due_at_is_new_york_wall_clock_at_the_due_instant(
    determined: str, due_at: str, due: date
) -> None:
    """23 NYCRR 500.17(a)(1): 72 hours from the determination, expressed in New York time."""
    ny7 = owed(dfs(discovered_on=determined[:10], dfs_determined_at=determined), "NY7")
    assert ny7.due_at is not None and ny7.due_at.isoformat() == due_at
    assert ny7.due == due
    assert "New York time" in ny7.reason


# --- NY8 / NY9: the extortion payment, 23 NYCRR 500.17(c) -------------------------------------


@pytest.mark.parametrize(
    ("paid", "ny8_at", "ny8_due", "ny9_due"),
    [
        # 16:30 EDT Tue 07-14 + 24 h = 16:30 EDT Wed 2026-07-15. NY9: 2026-07-14 + 30 =
        # (17 days to 07-31) + 13 = 2026-08-13.
        (
            "2026-07-14T16:30:00-04:00",
            "2026-07-15T16:30:00-04:00",
            date(2026, 7, 15),
            date(2026, 8, 13),
        ),
        # Across the start of daylight saving: 23:30 EST Sat 03-07 = 04:30Z Sun 03-08; + 24 h =
        # 04:30Z Mon 03-09 = 00:30 EDT 2026-03-09 (25 wall-clock hours later). NY9: the payment's
        # New York date 2026-03-07 + 30 = (24 days to 03-31) + 6 = 2026-04-06.
        (
            "2026-03-07T23:30:00-05:00",
            "2026-03-09T00:30:00-04:00",
            date(2026, 3, 9),
            date(2026, 4, 6),
        ),
        # Given in UTC: 03:00Z Thu 12-31 = 22:00 EST Wed 12-30, so the payment's New York date is
        # 2026-12-30. NY8: 22:00 EST Thu 2026-12-31. NY9: 2026-12-30 + 30 = 1 day to 12-31 + 29
        # = 2027-01-29.
        (
            "2026-12-31T03:00:00+00:00",
            "2026-12-31T22:00:00-05:00",
            date(2026, 12, 31),
            date(2027, 1, 29),
        ),
    ],
)
def test_23_nycrr_500_17_c_extortion_payment_24_hours_and_30_days(
    paid: str, ny8_at: str, ny8_due: date, ny9_due: date
) -> None:
    """23 NYCRR 500.17(c)(1) notice within 24 hours of the payment (NY8, a due_at clock);
    (c)(2) written explanation within 30 days of it (NY9, calendar days, New York date)."""
    result = dfs(discovered_on="2026-03-07", dfs_ransom_paid_at=paid)
    ny8, ny9 = owed(result, "NY8"), owed(result, "NY9")
    assert ny8.due_at is not None and ny8.due_at.isoformat() == ny8_at
    assert (ny8.due, ny8.status, ny8.citation) == (ny8_due, Status.DATED, "23 NYCRR 500.17(c)(1)")
    assert (ny9.due, ny9.due_at, ny9.citation) == (ny9_due, None, "23 NYCRR 500.17(c)(2)")
    assert "OFAC" in ny9.reason


def test_23_nycrr_500_17_c_only_for_dfs_covered_entities() -> None:
    """500.17(c) binds a DFS covered entity (23 NYCRR 500.1), as NY7 does; a payment by anyone
    else owes neither notice."""
    result = run(affected_by_state={"NY": 20}, dfs_ransom_paid_at="2026-02-11T10:00:00-05:00")
    for rule_id in ("NY8", "NY9"):
        assert "DFS" in not_owed(result, rule_id).reason


def test_23_nycrr_500_17_c_no_payment_recorded_no_notice() -> None:
    """`dfs_ransom_paid_at` null = no payment: NY7 may be owed, NY8 and NY9 are not."""
    result = dfs(dfs_determined_at="2026-02-10T09:00:00-05:00")
    owed(result, "NY7")
    for rule_id in ("NY8", "NY9"):
        assert "extortion" in not_owed(result, rule_id).reason


def test_23_nycrr_500_17_c_business_associate_incident_names_the_party() -> None:
    """In a business associate's incident the DFS notices are its covered-entity client's."""
    result = dfs(
        entity_type="business_associate",
        flags={"hipaa_covered_entity": False, "nydfs_covered_entity": True},
        dfs_ransom_paid_at="2026-02-11T10:00:00-05:00",
    )
    assert owed(result, "NY8").party == Party.COVERED_ENTITY


def test_dfs_ransom_paid_at_needs_an_offset() -> None:
    with pytest.raises(FactsError) as caught:
        parse_incident(incident(dfs_ransom_paid_at="2026-02-11T10:00:00"))
    assert caught.value.problems == [
        "dfs_ransom_paid_at: 2026-02-11T10:00:00 needs a UTC offset, e.g. 2026-06-12T15:00:00-04:00"
    ]


def test_23_nycrr_500_17_c_applies_from_the_second_amendment_notices_2023_12_01() -> None:
    """The second amendment to Part 500 (adopted 2023-11-01) brought in 500.17(c); its notices
    apply from 2023-12-01. Discovered Thu 2023-11-30: not in force; Fri 2023-12-01: owed."""
    paid = {"dfs_ransom_paid_at": "2023-12-01T10:00:00-05:00"}
    before = dfs(discovered_on="2023-11-30", breach_occurred_on="2023-11-29", **paid)
    assert "not in force" in not_owed(before, "NY8").reason
    on = dfs(discovered_on="2023-12-01", breach_occurred_on="2023-11-29", **paid)
    # 10:00 EST Fri 2023-12-01 + 24 h = 10:00 EST Sat 2023-12-02.
    assert owed(on, "NY8").due == date(2023, 12, 2)
