"""Business-day calendars and the day arithmetic of docs/law/conventions.md.

A calendar is a named, versioned set of holidays. The holiday lists come from the pinned `holidays`
package, filtered by names a lawyer can check against the statute, with the corrections of
docs/law/conventions.md; the jurisdiction modules define them. The version is copied onto every
date computed from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from zoneinfo import ZoneInfo

import holidays

ONE_DAY = timedelta(days=1)
MEMO_LIMIT = 50_000  # remembered (start, n) sums per calendar; cleared when full

HOLIDAYS_VERSION = version("holidays")  # copied into every calendar version


def package_holidays(country: str, year: int, subdiv: str | None = None) -> dict[date, str]:
    """The `holidays` package's default ("public") list for one year."""
    return dict(holidays.country_holidays(country, subdiv=subdiv, years=year).items())


# Builds the holidays of one year: {date: "name; name"}.
YearSource = Callable[[int], dict[date, str]]


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Mon-Fri minus the holidays `source` gives for each year, computed once per year."""

    name: str
    version: str
    source: YearSource = field(repr=False, compare=False)
    _years: dict[int, dict[date, str]] = field(default_factory=dict, repr=False, compare=False)
    _sums: dict[tuple[date, int], date] = field(default_factory=dict, repr=False, compare=False)

    def holidays(self, year: int) -> dict[date, str]:
        """{date: name} for one year, weekend holidays included (they cost no business day)."""
        found = self._years.get(year)
        if found is None:
            found = self.source(year)
            self._years[year] = found
        return found

    def holiday_name(self, day: date) -> str | None:
        return self.holidays(day.year).get(day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays(day.year)

    def add_business_days(self, start: date, n: int) -> date:
        """docs/law/conventions.md: count from the day after `start`; `start` itself never
        counts."""
        if n < 1:
            raise ValueError("n must be at least 1")
        found = self._sums.get((start, n))
        if found is not None:
            return found
        day, left = start, n
        while left:
            day += ONE_DAY
            if self.is_business_day(day):
                left -= 1
        if len(self._sums) > MEMO_LIMIT:
            self._sums.clear()
        self._sums[(start, n)] = day
        return day

    def next_business_day_on_or_after(self, day: date) -> date:
        """The roll-forward of NY GCL § 25-a and CA CCP § 12a: the same day if it is open."""
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def label(self) -> str:
        return f"{self.name} (calendar {self.version})"


def keep_named(
    source: Iterable[tuple[date, str]],
    names: Iterable[str],
    friday_observed: Iterable[str] = (),
) -> dict[date, str]:
    """Keep the holidays whose name is one of `names`, compared without " (observed)".

    The `holidays` package moves a Saturday holiday to the Friday before; neither NY GCL § 24 nor
    CalHR does (docs/law/conventions.md), so those Fridays are dropped unless named in
    `friday_observed`.
    The package joins two holidays on one date with "; ", so each part is judged alone.
    """
    wanted = frozenset(names)
    friday_kept = frozenset(friday_observed)
    out: dict[date, str] = {}
    for day, joined in source:
        parts = []
        for part in (p.strip() for p in joined.split(";")):
            base = part.removesuffix(" (observed)")
            if base not in wanted:
                continue
            if part != base and day.weekday() == 4 and base not in friday_kept:
                continue
            parts.append(part)
        if parts:
            out[day] = "; ".join(parts)
    return out


def calendar_days_after(anchor: date, n: int) -> date:
    """docs/law/conventions.md: "N calendar days after X" is X + N; the day of X is day 0."""
    return anchor + timedelta(days=n)


def hours_after(instant: datetime, hours: int, zone: ZoneInfo) -> datetime:
    """`hours` elapsed hours after an instant, expressed as the wall-clock time in `zone` at the
    due instant: across a daylight-saving change its offset differs from the start's."""
    return (instant.astimezone(UTC) + timedelta(hours=hours)).astimezone(zone)


def days_after_year_end(year: int, n: int) -> date:
    """164.408(c): "not later than 60 days after the end of each calendar year" = Dec 31 + n."""
    return date(year, 12, 31) + timedelta(days=n)
