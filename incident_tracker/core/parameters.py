"""The statutory numbers the rules use, as dated values with their citations (read-only).

Each value governs incidents discovered from `effective_from` to `effective_to` (inclusive; None
is open-ended), as a rule version does: the discovery date decides which law applies
(docs/law/conventions.md, "Which version applies"). A value of None means the law sets no day
count for that period ("without unreasonable delay"). `incident-tracker rules --at DATE` prints
the values in force on a date. This module is the vocabulary; each jurisdiction's values are in its
folder (core/jurisdictions/<name>/parameters.py) and the registry gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CALENDAR_DAYS = "calendar days"
BUSINESS_DAYS = "business days"
HOURS = "hours"
YEARS = "years"
MORE_THAN = "persons, more than"  # the duty starts at value + 1
OR_MORE = "persons, or more"  # the duty starts at value


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    jurisdiction: str
    value: int | None
    unit: str
    citation: str
    effective_from: date | None = None
    effective_to: date | None = None  # inclusive
    note: str = ""

    def in_force_on(self, day: date) -> bool:
        return (self.effective_from is None or day >= self.effective_from) and (
            self.effective_to is None or day <= self.effective_to
        )

    def describe_value(self) -> str:
        if self.value is None:
            return "no day count"
        if self.unit == MORE_THAN:
            return f"more than {self.value:,}"
        if self.unit == OR_MORE:
            return f"{self.value:,} or more"
        return f"{self.value} {self.unit}"

    def describe_dates(self) -> str:
        start, end = self.effective_from, self.effective_to
        if start and end:
            return f"discovered {start} to {end}"
        if start:
            return f"discovered on or after {start}"
        if end:
            return f"discovered on or before {end}"
        return "always"


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


@dataclass(frozen=True, slots=True)
class Value:
    """One value of a parameter, in force from `since` (None: from the start of the law's record)
    until the day before the next value's `since`."""

    since: date | None
    value: int | None
    citation: str
    note: str = ""


def dated(name: str, jurisdiction: str, unit: str, *values: Value) -> tuple[Parameter, ...]:
    """A parameter's history, oldest first: an amendment is one more `Value` at the end (the
    previous value's period ends the day before it)."""
    out: list[Parameter] = []
    for i, v in enumerate(values):
        following = values[i + 1].since if i + 1 < len(values) else None
        end = _day_before(following) if following is not None else None
        out.append(Parameter(name, jurisdiction, v.value, unit, v.citation, v.since, end, v.note))
    return tuple(out)


def value_on(history: tuple[Parameter, ...], day: date) -> int | None:
    """The value of one parameter's history for an incident discovered on `day`; KeyError when
    none is in force."""
    for p in history:  # in_force_on, inlined: the rules call this once per incident
        start, end = p.effective_from, p.effective_to
        if (start is None or day >= start) and (end is None or day <= end):
            return p.value
    raise KeyError(f"{history[0].name} has no value in force on {day}")


def current(history: tuple[Parameter, ...]) -> int:
    """The latest value of a parameter that has a number (the constant a rule module computes
    with, for a parameter that has never changed)."""
    last = history[-1].value
    assert last is not None, history[-1].name
    return last


def counted(history: tuple[Parameter, ...], since: date) -> str:
    """A day count in force from `since` in words, with any later amendment: "30", or
    "30 (20 from 2027-01-01)" — for a rule version's clock, which spans amendments of its
    count."""
    periods = [p for p in history if p.effective_to is None or p.effective_to >= since]
    first, *later = periods
    words = str(first.value)
    if later:
        words += " (" + "; ".join(f"{p.value} from {p.effective_from}" for p in later) + ")"
    return words
