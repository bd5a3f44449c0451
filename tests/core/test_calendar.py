"""Business-day calendars and day arithmetic (docs/law/conventions.md; docs/law/new-york.md).

The expected holiday lists are copied by hand from docs/law/new-york.md (NY, GCL § 24) and §6.3 (CA,
CalHR), which were hand-checked there; every other date was checked for its weekday with
`python3 -c 'import datetime; print(datetime.date(2028, 2, 15).strftime("%a"))'`.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib.metadata import version

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_tracker.core.calendar import BusinessCalendar, calendar_days_after
from incident_tracker.core.extra import FEDERAL_BUSINESS_DAYS
from incident_tracker.core.jurisdictions.california.business_days import (
    CA_6700_DAYS,
    CA_BUSINESS_DAYS,
    CA_STATE_OFFICE_HOLIDAYS,
)
from incident_tracker.core.jurisdictions.new_york.business_days import (
    NY_BUSINESS_DAYS,
    NY_PUBLIC_HOLIDAYS,
)

NY = NY_BUSINESS_DAYS
CA = CA_BUSINESS_DAYS
CALENDARS = [NY_BUSINESS_DAYS, CA_BUSINESS_DAYS, CA_6700_DAYS]
CAL_IDS = ["NY", "CA", "CA6700"]


def _days(year: int, month_days: str) -> set[date]:
    return {date.fromisoformat(f"{year}-{md}") for md in month_days.split()}


# docs/law/new-york.md, "NY business days lost to holidays, 2025-2027 (weekdays only)".
NY_WEEKDAY_HOLIDAYS = {
    2025: _days(
        2025, "01-01 01-20 02-12 02-17 05-26 06-19 07-04 09-01 10-13 11-04 11-11 11-27 12-25"
    ),
    2026: _days(2026, "01-01 01-19 02-12 02-16 05-25 06-19 09-07 10-12 11-03 11-11 11-26 12-25"),
    2027: _days(2027, "01-01 01-18 02-12 02-15 05-31 07-05 09-06 10-11 11-02 11-11 11-25"),
}
# docs/law/california.md, "CA business days lost to holidays, 2025-2027".
CA_WEEKDAY_HOLIDAYS = {
    2025: _days(2025, "01-01 01-20 02-17 03-31 05-26 07-04 09-01 11-11 11-27 11-28 12-25"),
    2026: _days(2026, "01-01 01-19 02-16 03-31 05-25 09-07 11-11 11-26 11-27 12-25"),
    2027: _days(2027, "01-01 01-18 02-15 03-31 05-31 07-05 09-06 11-11 11-25 11-26"),
}


def _weekday_holidays(cal: BusinessCalendar, year: int) -> set[date]:
    return {d for d in cal.holidays(year) if d.weekday() < 5}


def _names(cal: BusinessCalendar, year: int) -> set[str]:
    """Every holiday name of the year, each part of a joined "a; b" name without "(observed)"."""
    return {
        part.strip().removesuffix(" (observed)")
        for joined in cal.holidays(year).values()
        for part in joined.split(";")
    }


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_rules_6_2_ny_weekday_holidays_match_the_hand_checked_list(year: int) -> None:
    assert _weekday_holidays(NY, year) == NY_WEEKDAY_HOLIDAYS[year]
    for day in NY_WEEKDAY_HOLIDAYS[year]:
        assert not NY.is_business_day(day)


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_rules_6_3_ca_weekday_holidays_match_the_hand_checked_list(year: int) -> None:
    assert _weekday_holidays(CA, year) == CA_WEEKDAY_HOLIDAYS[year]
    for day in CA_WEEKDAY_HOLIDAYS[year]:
        assert not CA.is_business_day(day)


@pytest.mark.parametrize("year", range(2024, 2036))
def test_rules_6_4_every_ny_gcl_24_holiday_name_is_present_each_year(year: int) -> None:
    """A `holidays` upgrade that renames a holiday would silently drop it: fail loudly."""
    missing = set(NY_PUBLIC_HOLIDAYS) - _names(NY, year)
    assert not missing, f"{year}: {sorted(missing)}"


@pytest.mark.parametrize("year", range(2024, 2036))
def test_rules_6_4_every_calhr_holiday_name_is_present_each_year(year: int) -> None:
    missing = set(CA_STATE_OFFICE_HOLIDAYS) - _names(CA, year)
    assert not missing, f"{year}: {sorted(missing)}"


def test_rules_6_4_susan_b_anthony_day_is_never_a_holiday() -> None:
    """Feb 15 is a Tuesday in 2028 (not Presidents' Day, which is Mon 2028-02-21)."""
    assert NY.is_business_day(date(2028, 2, 15))
    assert CA.is_business_day(date(2028, 2, 15))
    for year in range(2024, 2036):
        assert "Susan B. Anthony Day" not in _names(NY, year)
        assert "Susan B. Anthony Day" not in _names(CA, year)


@pytest.mark.parametrize(
    "friday",
    [
        date(2026, 7, 3),  # Independence Day on Sat 2026-07-04
        date(2027, 6, 18),  # Juneteenth on Sat 2027-06-19 (NY)
        date(2027, 12, 24),  # Christmas on Sat 2027-12-25
        date(2027, 12, 31),  # New Year's Day on Sat 2028-01-01
    ],
)
def test_rules_6_4_saturday_holidays_are_not_moved_to_friday(friday: date) -> None:
    """GCL § 24 and CalHR have no Saturday -> Friday rule (docs/law/new-york.md;
    docs/law/california.md)."""
    assert friday.weekday() == 4
    assert NY.is_business_day(friday)
    assert CA.is_business_day(friday)


def test_rules_6_2_ny_lincolns_birthday_on_saturday_is_not_moved_to_friday() -> None:
    """Lincoln's Birthday is Sat 2028-02-12; Fri 2028-02-11 stays a NY business day."""
    assert date(2028, 2, 12).weekday() == 5
    assert NY.holiday_name(date(2028, 2, 12)) is not None
    assert NY.is_business_day(date(2028, 2, 11))


def test_gov_code_6701_ca_keeps_veterans_day_friday_observance_ny_does_not() -> None:
    """Veterans Day is Sat 2028-11-11: CA closes Fri 2028-11-10 (Gov. Code § 6701); NY does not."""
    assert date(2028, 11, 10).weekday() == 4
    assert not CA.is_business_day(date(2028, 11, 10))
    assert NY.is_business_day(date(2028, 11, 10))


def test_rules_6_2_sunday_holidays_move_to_monday() -> None:
    """Independence Day is Sun 2027-07-04: Mon 2027-07-05 is closed in NY and CA. Cesar Chavez
    Day was Sun 2024-03-31: Mon 2024-04-01 was a CA closure (docs/law/california.md)."""
    assert date(2027, 7, 5).weekday() == 0
    assert not NY.is_business_day(date(2027, 7, 5))
    assert not CA.is_business_day(date(2027, 7, 5))
    assert date(2024, 4, 1).weekday() == 0
    assert not CA.is_business_day(date(2024, 4, 1))


# Tuesday after the first Monday in November, checked with Python's calendar for each year.
ELECTION_DAYS = [
    date(2024, 11, 5),
    date(2025, 11, 4),
    date(2026, 11, 3),
    date(2027, 11, 2),
    date(2028, 11, 7),
    date(2029, 11, 6),
    date(2030, 11, 5),
    date(2031, 11, 4),
    date(2032, 11, 2),
    date(2033, 11, 8),
    date(2034, 11, 7),
    date(2035, 11, 6),
]


@pytest.mark.parametrize("day", ELECTION_DAYS, ids=str)
def test_gcl_24_each_general_election_day_is_a_ny_holiday_including_odd_years(day: date) -> None:
    """GCL § 24: "each general election day"; NY holds one every November. Not a CA closure."""
    assert day.weekday() == 1
    assert not NY.is_business_day(day)
    assert CA.is_business_day(day)


@pytest.mark.parametrize("day", [date(2025, 11, 28), date(2026, 11, 27), date(2027, 11, 26)])
def test_rules_6_2_6_3_day_after_thanksgiving_is_a_ca_holiday_but_a_ny_business_day(
    day: date,
) -> None:
    assert day.weekday() == 4
    assert not CA.is_business_day(day)
    assert NY.is_business_day(day)


def test_rules_6_4_ca_drops_juneteenth_and_diwali() -> None:
    """Juneteenth Fri 2026-06-19 (a NY holiday) and Diwali Fri 2027-10-29 are CA business days;
    the § 6700 calendar (docs/law/california.md, open questions) counts them as holidays."""
    assert date(2026, 6, 19).weekday() == 4
    assert date(2027, 10, 29).weekday() == 4
    assert CA.is_business_day(date(2026, 6, 19))
    assert not NY.is_business_day(date(2026, 6, 19))
    assert CA.is_business_day(date(2027, 10, 29))
    assert not CA_6700_DAYS.is_business_day(date(2026, 6, 19))
    assert not CA_6700_DAYS.is_business_day(date(2027, 10, 29))


def test_rules_6_3_gov_code_6700_days_are_open_in_calhr_but_closed_in_the_6700_calendar() -> None:
    """2026: Lincoln Day Thu 02-12, Lunar New Year Tue 02-17, Genocide Remembrance Day Fri 04-24,
    Admission Day Wed 09-09, Native American Day Fri 09-25 (4th Fri), Columbus Day Mon 10-12."""
    for day in [
        date(2026, 2, 12),
        date(2026, 2, 17),
        date(2026, 4, 24),
        date(2026, 9, 9),
        date(2026, 9, 25),
        date(2026, 10, 12),
    ]:
        assert CA.is_business_day(day), day
        assert not CA_6700_DAYS.is_business_day(day), day


@pytest.mark.parametrize("year", range(2024, 2036))
def test_rules_8_10_ca_6700_calendar_closes_every_calhr_holiday(year: int) -> None:
    assert set(CA.holidays(year)) <= set(CA_6700_DAYS.holidays(year))


# --- add_business_days / next_business_day_on_or_after (docs/law/conventions.md)
# -------------------


@pytest.mark.parametrize(
    ("cal", "start", "n", "expected"),
    [
        # Start Mon 2026-02-09 is a business day but never counts: +1 = Tue 02-10.
        (NY, date(2026, 2, 9), 1, date(2026, 2, 10)),
        (CA, date(2026, 2, 9), 1, date(2026, 2, 10)),
        # Wed 2026-02-11: NY skips Lincoln's Birthday Thu 02-12 -> Fri 02-13; CA counts 02-12.
        (NY, date(2026, 2, 11), 1, date(2026, 2, 13)),
        (CA, date(2026, 2, 11), 1, date(2026, 2, 12)),
        # Fri 2026-02-13: Sat, Sun, Mon 02-16 Washington's Birthday/Presidents' Day -> Tue 02-17.
        (NY, date(2026, 2, 13), 1, date(2026, 2, 17)),
        (CA, date(2026, 2, 13), 1, date(2026, 2, 17)),
        # Mon 2026-11-02 + 5: NY skips Election Day 11-03: Nov 4 5 6 9 10 -> Tue 11-10;
        # CA: Nov 3 4 5 6 9 -> Mon 11-09.
        (NY, date(2026, 11, 2), 5, date(2026, 11, 10)),
        (CA, date(2026, 11, 2), 5, date(2026, 11, 9)),
        # Start on a holiday (Fri 2026-12-25) or a Saturday (2026-12-26): +1 = Mon 12-28.
        (NY, date(2026, 12, 25), 1, date(2026, 12, 28)),
        (CA, date(2026, 12, 26), 1, date(2026, 12, 28)),
        # Wed 2026-11-25 + 2: NY: Fri 11-27 (1), Mon 11-30 (2); CA: Mon 11-30 (1), Tue 12-01 (2).
        (NY, date(2026, 11, 25), 2, date(2026, 11, 30)),
        (CA, date(2026, 11, 25), 2, date(2026, 12, 1)),
    ],
)
def test_rules_0_add_business_days_hand_examples(
    cal: BusinessCalendar, start: date, n: int, expected: date
) -> None:
    assert cal.add_business_days(start, n) == expected


@pytest.mark.parametrize("cal", CALENDARS, ids=CAL_IDS)
def test_rules_0_add_business_days_rejects_zero(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add_business_days(date(2026, 2, 9), 0)


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        (NY, date(2026, 2, 10), date(2026, 2, 10)),  # Tue, open: itself
        (NY, date(2026, 7, 4), date(2026, 7, 6)),  # Sat -> Mon (Fri 07-03 is not a holiday)
        (NY, date(2026, 11, 26), date(2026, 11, 27)),  # Thanksgiving -> Fri
        (CA, date(2026, 11, 26), date(2026, 11, 30)),  # Thanksgiving, Day after, Sat, Sun -> Mon
        (CA, date(2026, 3, 31), date(2026, 4, 1)),  # Cesar Chavez Day (Tue) -> Wed
    ],
)
def test_rules_6_5_next_business_day_on_or_after_hand_examples(
    cal: BusinessCalendar, day: date, expected: date
) -> None:
    assert cal.next_business_day_on_or_after(day) == expected


def test_rules_0_calendar_days_after_counts_the_anchor_as_day_0() -> None:
    """docs/law/conventions.md: discovered 2026-02-10, 60 days -> 2026-04-11."""
    assert calendar_days_after(date(2026, 2, 10), 60) == date(2026, 4, 11)


# --- properties ---------------------------------------------------------------------------

DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
COUNTS = st.integers(min_value=1, max_value=40)
CALS = st.sampled_from(CALENDARS)


def _business_days_between(cal: BusinessCalendar, start: date, end: date) -> int:
    """Business days in (start, end]."""
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for d in days if cal.is_business_day(d))


@settings(max_examples=300, deadline=None)
@given(cal=CALS, start=DATES, n=COUNTS)
def test_rules_0_property_result_is_a_later_business_day_with_n_business_days_between(
    cal: BusinessCalendar, start: date, n: int
) -> None:
    result = cal.add_business_days(start, n)
    assert result > start
    assert cal.is_business_day(result)
    assert _business_days_between(cal, start, result) == n


@settings(max_examples=300, deadline=None)
@given(cal=CALS, start=DATES, n=COUNTS)
def test_rules_0_property_strictly_increasing_in_n(
    cal: BusinessCalendar, start: date, n: int
) -> None:
    assert cal.add_business_days(start, n + 1) > cal.add_business_days(start, n)


@settings(max_examples=300, deadline=None)
@given(cal=CALS, start=DATES, n=COUNTS, m=COUNTS)
def test_rules_0_property_adding_n_then_m_equals_adding_n_plus_m(
    cal: BusinessCalendar, start: date, n: int, m: int
) -> None:
    assert cal.add_business_days(cal.add_business_days(start, n), m) == cal.add_business_days(
        start, n + m
    )


@settings(max_examples=300, deadline=None)
@given(cal=CALS, day=DATES)
def test_rules_6_5_property_next_business_day_on_or_after(cal: BusinessCalendar, day: date) -> None:
    rolled = cal.next_business_day_on_or_after(day)
    assert cal.is_business_day(rolled)
    assert rolled >= day
    if cal.is_business_day(day):
        assert rolled == day
    # no business day is skipped: every day in [day, rolled) is closed
    assert not any(cal.is_business_day(day + timedelta(days=i)) for i in range((rolled - day).days))


# --- versions (docs/law/conventions.md: "show the calendar version on each computed date")
# ----------


@pytest.mark.parametrize(
    "cal",
    [*CALENDARS, FEDERAL_BUSINESS_DAYS],
    ids=[*CAL_IDS, "US"],
)
def test_rules_6_4_every_calendar_has_a_version_shown_in_its_label(cal: BusinessCalendar) -> None:
    assert cal.version.strip()
    assert cal.version in cal.label()
    assert version("holidays") in cal.version
