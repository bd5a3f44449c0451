"""California's roll-forward `alt_due` runs over judicial holidays: Civ. Code § 10, Code Civ. Proc.
§§ 12, 12a and 135, with the holidays of Gov. Code § 6700. Business-day counts keep CalHR.

Every day below was read off a printed calendar (`python3 -c 'import calendar;
print(calendar.month(2026, 9))'`) and the statutes: CCP § 135 makes every full-day § 6700 holiday
a judicial holiday, with Thanksgiving, every Saturday and the day after Thanksgiving, except
Admission Day (September 9), Columbus Day (AB 855, Stats. 2021, ch. 283), Lunar New Year (AB
2596, Stats. 2022, ch. 792), Genocide Remembrance Day (AB 1801, 2022) and Diwali (AB 268, Stats.
2025, ch. 358). Columbus Day follows that current text (a sheriff's manual that still counts it
is named in the reason when a roll-forward lands on it). A Saturday holiday is observed the
Friday before (Cal. Rules of Court, rule 1.11). CA1 = discovery + 30 calendar days (Civ. Code
1798.82(a)(2)(A)).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.jurisdictions.california.business_days import CA_BUSINESS_DAYS
from incident_tracker.core.jurisdictions.california.judicial_holidays import CA_JUDICIAL_DAYS
from tests.factories import owed, run


def ca1(discovered: str) -> Any:
    """A HIPAA covered entity's breach of 100 CA residents' name + diagnosis."""
    result = run(
        affected_by_state={"CA": 100}, discovered_on=discovered, breach_occurred_on=discovered
    )
    return owed(result, "CA1")


@pytest.mark.parametrize(
    ("discovered", "strict", "rolled", "named"),
    [
        # Native American Day 2028 (4th Friday of September: Fridays 1, 8, 15, 22): 2028-08-23 +
        # 30 = 8 days to 08-31 + 22 = Fri 2028-09-22 -> Sat, Sun -> Mon 2028-09-25.
        ("2028-08-23", date(2028, 9, 22), date(2028, 9, 25), "Native American Day"),
        # Native American Day 2026 (Fridays 4, 11, 18, 25): 2026-08-26 + 30 = 5 days to 08-31 +
        # 25 = Fri 2026-09-25 -> Mon 2026-09-28. (CalHR offices stay open: no roll before.)
        ("2026-08-26", date(2026, 9, 25), date(2026, 9, 28), "Native American Day"),
        # Lincoln Day (Feb 12): 2026-01-13 + 30 = 18 days to 01-31 + 12 = Thu 2026-02-12 ->
        # Fri 2026-02-13.
        ("2026-01-13", date(2026, 2, 12), date(2026, 2, 13), "Lincoln Day"),
        # Day after Thanksgiving (Thanksgiving is Thu 2026-11-26): 2026-10-28 + 30 = 3 days to
        # 10-31 + 27 = Fri 2026-11-27 -> Sat, Sun -> Mon 2026-11-30.
        ("2026-10-28", date(2026, 11, 27), date(2026, 11, 30), "Day after Thanksgiving"),
        # Juneteenth (a full-day § 6700 holiday since AB 1655, not excepted): 2026-05-20 + 30 =
        # 11 days to 05-31 + 19 = Fri 2026-06-19 -> Mon 2026-06-22.
        ("2026-05-20", date(2026, 6, 19), date(2026, 6, 22), "Juneteenth"),
        # Juneteenth 2027 falls on Saturday 06-19, observed Friday 06-18 (rule 1.11): 2027-05-19 +
        # 30 = 12 days to 05-31 + 18 = Fri 2027-06-18 -> Sat, Sun -> Mon 2027-06-21.
        ("2027-05-19", date(2027, 6, 18), date(2027, 6, 21), "Juneteenth (observed)"),
        # New Year's Day 2028 is a Saturday, observed Friday 2027-12-31: 2027-12-01 + 30 = Fri
        # 2027-12-31 -> Sat 2028-01-01, Sun 01-02 -> Mon 2028-01-03.
        ("2027-12-01", date(2027, 12, 31), date(2028, 1, 3), "New Year's Day (observed)"),
    ],
)
def test_ccp_12a_135_roll_forward_over_each_judicial_holiday_by_name(
    discovered: str, strict: date, rolled: date, named: str
) -> None:
    """CCP §§ 12a, 135; Gov. Code § 6700: `due` stays the strict date, `alt_due` is the next day
    that is not a Saturday, Sunday or judicial holiday, and the reason names the day skipped."""
    found = ca1(discovered)
    assert (found.due, found.alt_due) == (strict, rolled)
    assert found.alt_due_reason is not None
    assert named in found.alt_due_reason and "CCP 135" in found.alt_due_reason
    assert found.calendar == CA_JUDICIAL_DAYS.label()


def test_ccp_135_columbus_day_is_a_court_day_and_the_other_reading_is_named() -> None:
    """CCP § 135 as amended by AB 855 (Stats. 2021, ch. 283) excepts Columbus Day: 2026-09-10 + 30
    = 20 days to 09-30 + 10 = Sat 2026-10-10 -> Sun -> Mon 2026-10-12 (Columbus Day, a court day)
    as alt_due; a source still counting it would give Tue 2026-10-13, which the reason names."""
    found = ca1("2026-09-10")
    assert (found.due, found.alt_due) == (date(2026, 10, 10), date(2026, 10, 12))
    reason = found.alt_due_reason
    assert reason is not None and "AB 855" in reason and "gives 2026-10-13" in reason


@pytest.mark.parametrize(
    ("discovered", "strict", "why"),
    [
        # Admission Day, Wed 2026-09-09: 2026-08-10 + 30 = 21 days to 08-31 + 9.
        ("2026-08-10", date(2026, 9, 9), "Admission Day"),
        # Lunar New Year, Tue 2026-02-17: 2026-01-18 + 30 = 13 days to 01-31 + 17.
        ("2026-01-18", date(2026, 2, 17), "Lunar New Year"),
        # Genocide Remembrance Day, Fri 2026-04-24: 2026-03-25 + 30 = 6 days to 03-31 + 24.
        ("2026-03-25", date(2026, 4, 24), "Genocide Remembrance Day"),
        # Columbus Day, Mon 2026-10-12 (AB 855, 2021): 2026-09-12 + 30 = 18 days to 09-30 + 12.
        ("2026-09-12", date(2026, 10, 12), "Columbus Day"),
        # Diwali, Fri 2027-10-29: 2027-09-29 + 30 = 1 day to 09-30 + 29.
        ("2027-09-29", date(2027, 10, 29), "Diwali"),
    ],
)
def test_ccp_135_excepted_days_do_not_roll_forward(discovered: str, strict: date, why: str) -> None:
    """CCP § 135 excepts Admission Day and the § 6700 days later statutes added with an express
    exception: the last day stays; no `alt_due`."""
    found = ca1(discovered)
    assert (found.due, found.alt_due, found.alt_due_reason) == (strict, None, None), why
    assert CA_JUDICIAL_DAYS.is_business_day(strict), why


def test_ccp_12a_ca2_fifteen_days_roll_over_native_american_day() -> None:
    """Civ. Code 1798.82(f): CA letters sent Thu 2026-09-10; + 15 = Fri 2026-09-25, Native
    American Day -> Mon 2026-09-28 as alt_due."""
    result = run(
        affected_by_state={"CA": 501},
        discovered_on="2026-09-01",
        breach_occurred_on="2026-09-01",
        notices_sent={"individuals": None, "hhs": None, "ca_residents": "2026-09-10"},
    )
    ca2 = owed(result, "CA2")
    assert (ca2.due, ca2.alt_due) == (date(2026, 9, 25), date(2026, 9, 28))


def test_h_s_1280_15_business_days_keep_the_calhr_calendar() -> None:
    """Business-day counts are not judicial: CA4 from detection Mon 2026-09-14 counts Native
    American Day (Fri 09-25) as a CalHR business day: Sep 15-18 (4), 21-25 (9), 28-30 (12),
    Oct 1-2 (14), Oct 5 (15) = 2026-10-05."""
    result = run(
        entity_type="ca_licensed_health_facility",
        affected_by_state={"CA": 3},
        discovered_on="2026-09-14",
        breach_occurred_on="2026-09-14",
    )
    ca4 = owed(result, "CA4")
    assert (ca4.due, ca4.calendar) == (date(2026, 10, 5), CA_BUSINESS_DAYS.label())


def test_ccp_135_judicial_holidays_of_2026_by_name() -> None:
    """The weekday judicial holidays of 2026, each checked against Gov. Code § 6700 and CCP § 135
    on a printed calendar (July 4 is a Saturday, observed Friday 07-03; Admission Day, Columbus
    Day, Lunar New Year, Genocide Remembrance Day and Diwali are absent)."""
    expected = {
        date(2026, 1, 1): "New Year's Day",
        date(2026, 1, 19): "Dr. Martin Luther King, Jr. Day",
        date(2026, 2, 12): "Lincoln Day",
        date(2026, 2, 16): "Presidents' Day",
        date(2026, 3, 31): "Cesar Chavez Day",
        date(2026, 5, 25): "Memorial Day",
        date(2026, 6, 19): "Juneteenth",
        date(2026, 7, 3): "Independence Day (observed)",
        date(2026, 9, 7): "Labor Day",
        date(2026, 9, 25): "Native American Day",
        date(2026, 11, 11): "Veterans Day",
        date(2026, 11, 26): "Thanksgiving Day",
        date(2026, 11, 27): "Day after Thanksgiving",
        date(2026, 12, 25): "Christmas Day",
    }
    weekdays = {d: n for d, n in CA_JUDICIAL_DAYS.holidays(2026).items() if d.weekday() < 5}
    assert sorted(weekdays) == sorted(expected)
    for day, name in expected.items():
        assert weekdays[day].startswith(name), day
