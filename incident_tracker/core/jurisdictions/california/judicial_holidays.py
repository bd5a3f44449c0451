"""California's judicial holidays (Code Civ. Proc. § 135): the calendar of the roll-forward.

A California calendar-day deadline whose last day is a holiday runs to the next day that is not one
(Civ. Code § 10; Code Civ. Proc. §§ 12, 12a). CCP § 12a counts as holidays every Saturday and the
judicial holidays of CCP § 135, which are every full-day holiday of Gov. Code § 6700 (with
Thanksgiving), every Saturday and the day after Thanksgiving, except those § 135 names. Business-day
counts do not use this calendar: they keep the CalHR state-office closures (`business_days.py`).

The text followed is CCP § 135 as amended by AB 855 (Stats. 2021, ch. 283), AB 2596 (Stats. 2022,
ch. 792, Lunar New Year), AB 1801 (Stats. 2022, Genocide Remembrance Day) and AB 268 (Stats. 2025,
ch. 358, Diwali), and Gov. Code § 6700 as amended by the same acts and AB 1655 (Stats. 2022,
Juneteenth). It describes the law for the California day counts, which start on 2026-01-01 (SB 446).
"""

from __future__ import annotations

from datetime import date, timedelta

from incident_tracker.core.calendar import BusinessCalendar

# Days the Governor appoints as a holiday (Gov. Code § 6700) are judicial holidays too; a day the
# President alone appoints is not (CCP § 135). Added here as they are proclaimed.
CA_GOVERNOR_APPOINTED_DAYS: tuple[tuple[date, str], ...] = ()

# Columbus Day. Sources disagreed (docs/law/california.md); the current text of CCP § 135, as
# amended by AB 855 (Stats. 2021, ch. 283), names "the second Monday in October, known as 'Columbus
# Day'" among its exceptions, so it is not a judicial holiday. A sheriff's civil-process manual
# still lists it: a roll-forward that lands on it says so and gives the date under that reading.
COLUMBUS_DAY_IS_JUDICIAL = False


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` (Monday = 0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _full_day_holidays(year: int, columbus: bool) -> dict[date, str]:
    """The Gov. Code § 6700 days that CCP § 135 makes judicial holidays, one line per holiday."""
    thanksgiving = nth_weekday(year, 11, 3, 4)
    days = {
        date(year, 1, 1): "New Year's Day",
        nth_weekday(year, 1, 0, 3): "Dr. Martin Luther King, Jr. Day",
        date(year, 2, 12): "Lincoln Day",
        nth_weekday(year, 2, 0, 3): "Presidents' Day (third Monday in February)",
        date(year, 3, 31): "Cesar Chavez Day",
        last_weekday(year, 5, 0): "Memorial Day (last Monday in May)",
        date(year, 6, 19): "Juneteenth",  # AB 1655 (2022): not among § 135's exceptions
        date(year, 7, 4): "Independence Day",
        nth_weekday(year, 9, 0, 1): "Labor Day (first Monday in September)",
        # AB 855 (2021) removed Native American Day from § 135's exceptions.
        nth_weekday(year, 9, 4, 4): "Native American Day",
        date(year, 11, 11): "Veterans Day",
        thanksgiving: "Thanksgiving Day",
        thanksgiving + timedelta(days=1): "Day after Thanksgiving",  # named by CCP § 135
        date(year, 12, 25): "Christmas Day",
    }
    if columbus:
        days[nth_weekday(year, 10, 0, 2)] = "Columbus Day"
    # Not judicial holidays, though listed in Gov. Code § 6700: Admission Day (September 9), Lunar
    # New Year, Genocide Remembrance Day (April 24) and Diwali, which CCP § 135 excepts; Good
    # Friday from noon to 3 p.m., not a full day; a day appointed by the President alone.
    days.update((d, n) for d, n in CA_GOVERNOR_APPOINTED_DAYS if d.year == year)
    return days


def _observed(days: dict[date, str]) -> dict[date, str]:
    """Cal. Rules of Court, rule 1.11 (the alternative day CCP § 135 lets the Judicial Council
    designate): a judicial holiday on a Saturday is observed the Friday before, one on a Sunday
    the Monday after; the courts are closed that day (so also CCP § 12b)."""
    out = dict(days)
    for day, name in days.items():
        moved = {5: -1, 6: 1}.get(day.weekday())
        if moved is not None:
            observed = day + timedelta(days=moved)
            label = f"{name} (observed)"
            out[observed] = f"{out[observed]}; {label}" if observed in out else label
    return out


def _judicial_year(year: int) -> dict[date, str]:
    # The Friday before 1 January observes the next year's New Year's Day when that is a Saturday.
    found = _observed(_full_day_holidays(year, COLUMBUS_DAY_IS_JUDICIAL))
    ahead = _observed({date(year + 1, 1, 1): "New Year's Day"})
    found.update((d, n) for d, n in ahead.items() if d.year == year)
    return {d: n for d, n in found.items() if d.year == year}


def _judicial_year_with_columbus(year: int) -> dict[date, str]:
    found = _judicial_year(year)
    found[nth_weekday(year, 10, 0, 2)] = "Columbus Day (not in CCP 135)"
    return found


CA_JUDICIAL_DAYS = BusinessCalendar(
    "CA judicial holidays (Code Civ. Proc. § 135)", "CA-judicial-1", _judicial_year
)
# The older reading that still counts Columbus Day, for the reason text only.
CA_JUDICIAL_DAYS_WITH_COLUMBUS = BusinessCalendar(
    "CA judicial holidays with Columbus Day", "CA-judicial-1-c", _judicial_year_with_columbus
)


def judicial_roll_forward(strict: date) -> tuple[date | None, str | None, str | None]:
    """Civ. Code § 10; CCP §§ 12, 12a: a last day that is a Saturday, Sunday or judicial holiday
    runs to the next day that is none of them. (alt_due, reason, calendar label); all None when
    `strict` is such a day already."""
    rolled = CA_JUDICIAL_DAYS.next_business_day_on_or_after(strict)
    if rolled == strict:
        return None, None, None
    skipped = []
    day = strict
    while day < rolled:
        skipped.append(f"{day} {CA_JUDICIAL_DAYS.holiday_name(day) or day.strftime('%A')}")
        day += timedelta(days=1)
    reason = (
        "Cal. Civ. Code 10 / Code Civ. Proc. 12, 12a: a statutory last day that is a Saturday, "
        "Sunday or judicial holiday (CCP 135) may roll to the next day that is none of these "
        f"(skipped: {', '.join(skipped)}); tracker default is the strict date"
    )
    other = CA_JUDICIAL_DAYS_WITH_COLUMBUS.next_business_day_on_or_after(rolled)
    if other != rolled:
        reason += (
            f". {rolled} is Columbus Day, not a judicial holiday: CCP 135 as amended in 2021 "
            "(AB 855, Stats. 2021, ch. 283) excepts it; a source that still counts it gives "
            f"{other}"
        )
    return rolled, reason, CA_JUDICIAL_DAYS.label()
