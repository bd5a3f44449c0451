"""The statutory numbers the rules use, as dated values with their citations (read-only).

Each value governs incidents discovered from `effective_from` to `effective_to` (inclusive; None
is open-ended), as a rule version does: the discovery date decides which law applies
(docs/law/conventions.md, "Which version applies"). A value of None means the law sets no day
count for that period ("without unreasonable delay"). `incident-tracker rules --at DATE` prints
the values in force on a date; tests/core/test_parameters.py holds each value equal to the
constant its rule module computes with, so the two cannot drift.
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


HIPAA_IFR = date(2009, 9, 23)  # 74 FR 42740: breaches on or after 2009-09-23
NY_SHIELD_ACT = date(2019, 10, 23)  # ch. 117 of 2019
NY_THIRTY_DAYS = date(2024, 12, 21)  # S2659-B / A8872-A
NY_DFS_SECOND_AMENDMENT = date(2023, 12, 1)  # 23 NYCRR 500.17(c), from 2023-12-01
CA_SB_446 = date(2026, 1, 1)  # Stats. 2025, ch. 319


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


# fmt: off
PARAMETERS: tuple[Parameter, ...] = (
    # Federal: 45 CFR 164.400-414 (docs/law/federal.md).
    Parameter("federal.individual_days", "Federal", 60, CALENDAR_DAYS,
              "45 CFR 164.404(b); 164.406(b); 164.410(b)", HIPAA_IFR),
    Parameter("federal.media_threshold", "Federal", 500, MORE_THAN,
              "45 CFR 164.406(a) (residents of one State or jurisdiction)", HIPAA_IFR),
    Parameter("federal.hhs_threshold", "Federal", 500, OR_MORE,
              "45 CFR 164.408(b) (all individuals together)", HIPAA_IFR),
    Parameter("federal.log_days_after_year_end", "Federal", 60, CALENDAR_DAYS,
              "45 CFR 164.408(c)", HIPAA_IFR),
    Parameter("federal.substitute_threshold", "Federal", 10, OR_MORE,
              "45 CFR 164.404(d)(2)(ii)", HIPAA_IFR),
    Parameter("federal.substitute_posting_days", "Federal", 90, CALENDAR_DAYS,
              "45 CFR 164.404(d)(2)(ii)(A)", HIPAA_IFR),
    Parameter("federal.oral_hold_days", "Federal", 30, CALENDAR_DAYS,
              "45 CFR 164.412(b)", HIPAA_IFR),
    Parameter("federal.retain_years", "Federal", 6, YEARS, "45 CFR 164.530(j)(2)", HIPAA_IFR),
    # New York: Gen. Bus. Law § 899-aa and 23 NYCRR 500.17 (docs/law/new-york.md).
    Parameter("ny.resident_days", "NY", None, CALENDAR_DAYS,
              "N.Y. Gen. Bus. Law § 899-aa(2) (before S2659-B)", None,
              _day_before(NY_THIRTY_DAYS), "most expedient time possible"),
    Parameter("ny.resident_days", "NY", 30, CALENDAR_DAYS,
              "N.Y. Gen. Bus. Law § 899-aa(2) as amended by S2659-B / A8872-A", NY_THIRTY_DAYS),
    Parameter("ny.vendor_days", "NY", None, CALENDAR_DAYS,
              "N.Y. Gen. Bus. Law § 899-aa(3) (before S2659-B)", None,
              _day_before(NY_THIRTY_DAYS), "immediately following discovery"),
    Parameter("ny.vendor_days", "NY", 30, CALENDAR_DAYS,
              "N.Y. Gen. Bus. Law § 899-aa(3) as amended by S2659-B / A8872-A", NY_THIRTY_DAYS),
    Parameter("ny.determination_ag_days", "NY", 10, CALENDAR_DAYS,
              "N.Y. Gen. Bus. Law § 899-aa(2)(a) (read as calendar days)", NY_SHIELD_ACT),
    Parameter("ny.determination_ag_threshold", "NY", 500, MORE_THAN,
              "N.Y. Gen. Bus. Law § 899-aa(2)(a) (NY residents)", NY_SHIELD_ACT),
    Parameter("ny.determination_retain_years", "NY", 5, YEARS,
              "N.Y. Gen. Bus. Law § 899-aa(2)(a)", NY_SHIELD_ACT),
    Parameter("ny.ag_after_hhs_business_days", "NY", 5, BUSINESS_DAYS,
              "N.Y. Gen. Bus. Law § 899-aa(9) (GCL § 24 holidays)", NY_SHIELD_ACT),
    Parameter("ny.cra_threshold", "NY", 5000, MORE_THAN,
              "N.Y. Gen. Bus. Law § 899-aa(8)(b) (NY residents at one time)"),
    Parameter("ny.dfs_hours", "NY", 72, HOURS, "23 NYCRR 500.17(a)(1) (New York time)"),
    Parameter("ny.extortion_notice_hours", "NY", 24, HOURS,
              "23 NYCRR 500.17(c)(1) (New York time)", NY_DFS_SECOND_AMENDMENT),
    Parameter("ny.extortion_explanation_days", "NY", 30, CALENDAR_DAYS,
              "23 NYCRR 500.17(c)(2)", NY_DFS_SECOND_AMENDMENT),
    # New Jersey: N.J.S.A. 56:8-161, -163 (docs/law/new-jersey.md).
    Parameter("nj.cra_threshold", "NJ", 1000, MORE_THAN,
              "N.J.S.A. 56:8-163(f) (NJ residents at one time; default reading)"),
    # California: Civ. Code § 1798.82; H&S § 1280.15 (docs/law/california.md).
    Parameter("ca.resident_days", "CA", None, CALENDAR_DAYS,
              "Cal. Civ. Code 1798.82(a) (before SB 446)", None, _day_before(CA_SB_446),
              "most expedient time possible"),
    Parameter("ca.resident_days", "CA", 30, CALENDAR_DAYS,
              "Cal. Civ. Code 1798.82(a)(2)(A) (SB 446, Stats. 2025, ch. 319)", CA_SB_446),
    Parameter("ca.ag_days", "CA", None, CALENDAR_DAYS,
              "Cal. Civ. Code 1798.82(f) (before SB 446)", None, _day_before(CA_SB_446),
              "no day count"),
    Parameter("ca.ag_days", "CA", 15, CALENDAR_DAYS,
              "Cal. Civ. Code 1798.82(f) (SB 446, Stats. 2025, ch. 319)", CA_SB_446),
    Parameter("ca.ag_threshold", "CA", 500, MORE_THAN,
              "Cal. Civ. Code 1798.82(f) (CA residents, one breach)"),
    Parameter("ca.cdph_business_days", "CA", 15, BUSINESS_DAYS,
              "Cal. Health & Safety Code 1280.15(b); 22 CCR 79902(a) (CalHR state-office days)",
              note="as amended by AB 1755 (2015); the earlier 5 business days are not modelled"),
    Parameter("ca.cdph_written_hold_days", "CA", 60, CALENDAR_DAYS,
              "Cal. Health & Safety Code 1280.15(c) (written request; a warning, not a refusal)"),
    Parameter("ca.cdph_oral_hold_days", "CA", 30, CALENDAR_DAYS,
              "Cal. Health & Safety Code 1280.15(c) (oral request; a warning, not a refusal)"),
)
# fmt: on


def in_force(day: date) -> tuple[Parameter, ...]:
    """Every parameter value that governs incidents discovered on `day`."""
    return tuple(p for p in PARAMETERS if p.in_force_on(day))


def value(name: str, day: date) -> int | None:
    """The value of `name` for an incident discovered on `day`; KeyError when none is in force."""
    for p in PARAMETERS:
        if p.name == name and p.in_force_on(day):
            return p.value
    raise KeyError(f"{name} has no value in force on {day}")
