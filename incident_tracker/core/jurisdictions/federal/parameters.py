"""Federal statutory numbers (45 CFR 164.400-414, docs/law/federal.md), each dated and cited."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.parameters import (
    CALENDAR_DAYS,
    MORE_THAN,
    OR_MORE,
    YEARS,
    Parameter,
    Value,
    dated,
)

J = "Federal"
HIPAA_IFR = date(2009, 9, 23)  # 74 FR 42740: breaches on or after 2009-09-23

# fmt: off
INDIVIDUAL_DAYS = dated("federal.individual_days", J, CALENDAR_DAYS,
    Value(HIPAA_IFR, 60, "45 CFR 164.404(b); 164.406(b); 164.410(b)"))
MEDIA_THRESHOLD = dated("federal.media_threshold", J, MORE_THAN,
    Value(HIPAA_IFR, 500, "45 CFR 164.406(a) (residents of one State or jurisdiction)"))
HHS_THRESHOLD = dated("federal.hhs_threshold", J, OR_MORE,
    Value(HIPAA_IFR, 500, "45 CFR 164.408(b) (all individuals together)"))
LOG_DAYS_AFTER_YEAR_END = dated("federal.log_days_after_year_end", J, CALENDAR_DAYS,
    Value(HIPAA_IFR, 60, "45 CFR 164.408(c)"))
SUBSTITUTE_THRESHOLD = dated("federal.substitute_threshold", J, OR_MORE,
    Value(HIPAA_IFR, 10, "45 CFR 164.404(d)(2)(ii)"))
SUBSTITUTE_POSTING_DAYS = dated("federal.substitute_posting_days", J, CALENDAR_DAYS,
    Value(HIPAA_IFR, 90, "45 CFR 164.404(d)(2)(ii)(A)"))
ORAL_HOLD_DAYS = dated("federal.oral_hold_days", J, CALENDAR_DAYS,
    Value(HIPAA_IFR, 30, "45 CFR 164.412(b)"))
RETAIN_YEARS = dated("federal.retain_years", J, YEARS,
    Value(HIPAA_IFR, 6, "45 CFR 164.530(j)(2)"))
# fmt: on

PARAMETERS: tuple[Parameter, ...] = (
    *INDIVIDUAL_DAYS,
    *MEDIA_THRESHOLD,
    *HHS_THRESHOLD,
    *LOG_DAYS_AFTER_YEAR_END,
    *SUBSTITUTE_THRESHOLD,
    *SUBSTITUTE_POSTING_DAYS,
    *ORAL_HOLD_DAYS,
    *RETAIN_YEARS,
)
