"""New York's business days: the public holidays of N.Y. Gen. Constr. Law § 24
(docs/law/new-york.md), one name per holiday as the `holidays` package gives it."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.calendar import (
    HOLIDAYS_VERSION,
    BusinessCalendar,
    keep_named,
    package_holidays,
)

# GCL § 24 public holidays, by the names the `holidays` package gives them. Flag Day is always a
# Sunday and costs no business day. Not listed, so dropped: Susan B. Anthony Day (commemorative).
NY_PUBLIC_HOLIDAYS: tuple[str, ...] = (
    "New Year's Day",
    "Martin Luther King Jr. Day",
    "Lincoln's Birthday",
    "Washington's Birthday",
    "Memorial Day",
    "Juneteenth National Independence Day",
    "Independence Day",
    "Labor Day",
    "Columbus Day",
    "Election Day",  # each general election day (the Tuesday after the first Monday of November)
    "Veterans Day",
    "Thanksgiving Day",
    "Christmas Day",
)
# Days appointed by the President or Governor (GCL § 24), added here as they are proclaimed.
NY_APPOINTED_DAYS: tuple[tuple[date, str], ...] = ()


def _ny_year(year: int) -> dict[date, str]:
    found = keep_named(package_holidays("US", year, "NY").items(), NY_PUBLIC_HOLIDAYS)
    found.update((d, n) for d, n in NY_APPOINTED_DAYS if d.year == year)
    return found


NY_BUSINESS_DAYS = BusinessCalendar(
    "NY GCL § 24 public holidays", f"NY-1 (holidays {HOLIDAYS_VERSION})", _ny_year
)
