"""California's business days: CalHR state-office days (docs/law/california.md), and the reading
that also closes every Gov. Code § 6700 holiday, kept as the alternative date. The roll-forward
of calendar-day periods uses the judicial holidays instead (judicial_holidays.py)."""

from __future__ import annotations

from datetime import date, timedelta

from incident_tracker.core.calendar import (
    HOLIDAYS_VERSION,
    BusinessCalendar,
    keep_named,
    package_holidays,
)

# CalHR state-office closures, by the names the `holidays` package gives them. A Sunday holiday
# moves to Monday; a Saturday one does not move, except Veterans Day (Gov. Code § 6701).
CA_STATE_OFFICE_HOLIDAYS: tuple[str, ...] = (
    "New Year's Day",
    "Martin Luther King Jr. Day",
    "Presidents' Day",
    "Cesar Chavez Day",
    "Memorial Day",
    "Independence Day",
    "Labor Day",
    "Veterans Day",
    "Thanksgiving Day",
    "Day After Thanksgiving",
    "Christmas Day",
)
# Gov. Code § 6700 days on which state offices stay open, from the package where it has them.
CA_6700_OPEN_DAYS_IN_PACKAGE: tuple[str, ...] = ("Juneteenth National Independence Day", "Diwali")


def _ca_year(year: int) -> dict[date, str]:
    return keep_named(
        package_holidays("US", year, "CA").items(),
        CA_STATE_OFFICE_HOLIDAYS,
        friday_observed=("Veterans Day",),
    )


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _sunday_to_monday(day: date) -> date:
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _ca_6700_year(year: int) -> dict[date, str]:
    """CalHR closures plus the § 6700 days offices stay open on (the later-date reading)."""
    days = dict(_ca_year(year))
    days.update(
        keep_named(
            package_holidays("US", year, "CA").items(),
            CA_6700_OPEN_DAYS_IN_PACKAGE,
        )
    )
    lunar = [d for d, n in package_holidays("CN", year).items() if "Spring Festival" in n]
    extra = {
        _sunday_to_monday(date(year, 2, 12)): "Lincoln Day (Gov. Code § 6700)",
        _sunday_to_monday(date(year, 4, 24)): "Genocide Remembrance Day (Gov. Code § 6700)",
        _sunday_to_monday(date(year, 9, 9)): "Admission Day (Gov. Code § 6700)",
        _nth_weekday(year, 9, 4, 4): "Native American Day (Gov. Code § 6700)",
        _nth_weekday(year, 10, 0, 2): "Columbus Day (Gov. Code § 6700)",
    }
    if lunar:
        extra[_sunday_to_monday(min(lunar))] = "Lunar New Year (Gov. Code § 6700)"
    for day, name in extra.items():
        days[day] = f"{days[day]}; {name}" if day in days else name
    return days


CA_BUSINESS_DAYS = BusinessCalendar(
    "CA CalHR state-office days", f"CA-1 (holidays {HOLIDAYS_VERSION})", _ca_year
)
CA_6700_DAYS = BusinessCalendar(
    "CA state-office days less every Gov. Code § 6700 holiday",
    f"CA6700-1 (holidays {HOLIDAYS_VERSION})",
    _ca_6700_year,
)
