"""California's statutory numbers (Civ. Code § 1798.82; H&S § 1280.15; docs/law/california.md),
each dated and cited."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.parameters import (
    BUSINESS_DAYS,
    CALENDAR_DAYS,
    MORE_THAN,
    Parameter,
    Value,
    dated,
)

J = "CA"
SB_446 = date(2026, 1, 1)  # Stats. 2025, ch. 319

# fmt: off
RESIDENT_DAYS = dated("ca.resident_days", J, CALENDAR_DAYS,
    Value(None, None, "Cal. Civ. Code 1798.82(a) (before SB 446)",
          "most expedient time possible"),
    Value(SB_446, 30, "Cal. Civ. Code 1798.82(a)(2)(A) (SB 446, Stats. 2025, ch. 319)"),
)
AG_DAYS = dated("ca.ag_days", J, CALENDAR_DAYS,
    Value(None, None, "Cal. Civ. Code 1798.82(f) (before SB 446)", "no day count"),
    Value(SB_446, 15, "Cal. Civ. Code 1798.82(f) (SB 446, Stats. 2025, ch. 319)"),
)
AG_THRESHOLD = dated("ca.ag_threshold", J, MORE_THAN,
    Value(None, 500, "Cal. Civ. Code 1798.82(f) (CA residents, one breach)"))
CDPH_BUSINESS_DAYS = dated("ca.cdph_business_days", J, BUSINESS_DAYS,
    Value(None, 15,
          "Cal. Health & Safety Code 1280.15(b); 22 CCR 79902(a) (CalHR state-office days)",
          "as amended by AB 1755 (2015); the earlier 5 business days are not modelled"))
CDPH_WRITTEN_HOLD_DAYS = dated("ca.cdph_written_hold_days", J, CALENDAR_DAYS,
    Value(None, 60,
          "Cal. Health & Safety Code 1280.15(c) (written request; a warning, not a refusal)"))
CDPH_ORAL_HOLD_DAYS = dated("ca.cdph_oral_hold_days", J, CALENDAR_DAYS,
    Value(None, 30,
          "Cal. Health & Safety Code 1280.15(c) (oral request; a warning, not a refusal)"))
# fmt: on

PARAMETERS: tuple[Parameter, ...] = (
    *RESIDENT_DAYS,
    *AG_DAYS,
    *AG_THRESHOLD,
    *CDPH_BUSINESS_DAYS,
    *CDPH_WRITTEN_HOLD_DAYS,
    *CDPH_ORAL_HOLD_DAYS,
)
