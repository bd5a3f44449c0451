"""New York's statutory numbers (Gen. Bus. Law § 899-aa, 23 NYCRR 500.17; docs/law/new-york.md),
each dated and cited. An amendment is one more `Value` at the end of its parameter's history."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.parameters import (
    BUSINESS_DAYS,
    CALENDAR_DAYS,
    HOURS,
    MORE_THAN,
    YEARS,
    Parameter,
    Value,
    dated,
)

J = "NY"
SHIELD_ACT = date(2019, 10, 23)  # ch. 117 of 2019
THIRTY_DAY_AMENDMENT = date(2024, 12, 21)  # S2659-B / A8872-A
# 23 NYCRR Part 500, second amendment (adopted 2023-11-01): the new 500.17 notices apply from
# 2023-12-01.
DFS_SECOND_AMENDMENT_NOTICES = date(2023, 12, 1)

# fmt: off
RESIDENT_DAYS = dated("ny.resident_days", J, CALENDAR_DAYS,
    Value(None, None, "N.Y. Gen. Bus. Law § 899-aa(2) (before S2659-B)",
          "most expedient time possible"),
    Value(THIRTY_DAY_AMENDMENT, 30,
          "N.Y. Gen. Bus. Law § 899-aa(2) as amended by S2659-B / A8872-A"),
)
VENDOR_DAYS = dated("ny.vendor_days", J, CALENDAR_DAYS,
    Value(None, None, "N.Y. Gen. Bus. Law § 899-aa(3) (before S2659-B)",
          "immediately following discovery"),
    Value(THIRTY_DAY_AMENDMENT, 30,
          "N.Y. Gen. Bus. Law § 899-aa(3) as amended by S2659-B / A8872-A"),
)
AG_DETERMINATION_DAYS = dated("ny.determination_ag_days", J, CALENDAR_DAYS,
    Value(SHIELD_ACT, 10, "N.Y. Gen. Bus. Law § 899-aa(2)(a) (read as calendar days)"))
DETERMINATION_AG_THRESHOLD = dated("ny.determination_ag_threshold", J, MORE_THAN,
    Value(SHIELD_ACT, 500, "N.Y. Gen. Bus. Law § 899-aa(2)(a) (NY residents)"))
RETAIN_DETERMINATION_YEARS = dated("ny.determination_retain_years", J, YEARS,
    Value(SHIELD_ACT, 5, "N.Y. Gen. Bus. Law § 899-aa(2)(a)"))
AG_AFTER_HHS_BUSINESS_DAYS = dated("ny.ag_after_hhs_business_days", J, BUSINESS_DAYS,
    Value(SHIELD_ACT, 5, "N.Y. Gen. Bus. Law § 899-aa(9) (GCL § 24 holidays)"))
CRA_THRESHOLD = dated("ny.cra_threshold", J, MORE_THAN,
    Value(None, 5000, "N.Y. Gen. Bus. Law § 899-aa(8)(b) (NY residents at one time)"))
DFS_HOURS = dated("ny.dfs_hours", J, HOURS,
    Value(None, 72, "23 NYCRR 500.17(a)(1) (New York time)"))
EXTORTION_NOTICE_HOURS = dated("ny.extortion_notice_hours", J, HOURS,
    Value(DFS_SECOND_AMENDMENT_NOTICES, 24, "23 NYCRR 500.17(c)(1) (New York time)"))
EXTORTION_EXPLANATION_DAYS = dated("ny.extortion_explanation_days", J, CALENDAR_DAYS,
    Value(DFS_SECOND_AMENDMENT_NOTICES, 30, "23 NYCRR 500.17(c)(2)"))
# fmt: on

PARAMETERS: tuple[Parameter, ...] = (
    *RESIDENT_DAYS,
    *VENDOR_DAYS,
    *AG_DETERMINATION_DAYS,
    *DETERMINATION_AG_THRESHOLD,
    *RETAIN_DETERMINATION_YEARS,
    *AG_AFTER_HHS_BUSINESS_DAYS,
    *CRA_THRESHOLD,
    *DFS_HOURS,
    *EXTORTION_NOTICE_HOURS,
    *EXTORTION_EXPLANATION_DAYS,
)
