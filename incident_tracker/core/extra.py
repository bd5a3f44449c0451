"""Internal targets and contractual (BAA) deadlines: the organisation's own dates, shown beside the
legal ones with their own label and never replacing them (docs/law/federal.md, "What the tracker
should do").
"""

from __future__ import annotations

from datetime import date

from incident_tracker.core.calendar import (
    HOLIDAYS_VERSION,
    BusinessCalendar,
    calendar_days_after,
    package_holidays,
)
from incident_tracker.core.facts import DeadlineKind, IncidentFacts
from incident_tracker.core.obligations import Obligation, Status


def _federal_year(year: int) -> dict[date, str]:
    return dict(package_holidays("US", year).items())


# A contract's "business day" is read as Mon-Fri less U.S. federal holidays unless it says more.
FEDERAL_BUSINESS_DAYS = BusinessCalendar(
    "U.S. federal holidays", f"US-1 (holidays {HOLIDAYS_VERSION})", _federal_year
)

_LABELS = {
    DeadlineKind.INTERNAL: ("INTERNAL", "Internal", "Organisation policy (not a legal deadline)"),
    DeadlineKind.CONTRACTUAL: (
        "CONTRACTUAL",
        "Contract",
        "Business associate agreement (not a legal deadline)",
    ),
}


def extra_deadlines(facts: IncidentFacts) -> list[Obligation]:
    out: list[Obligation] = []
    for i, extra in enumerate(facts.extra_deadlines, start=1):
        prefix, jurisdiction, citation = _LABELS[extra.kind]
        calendar = None
        if extra.due is not None:
            due, basis = extra.due, "date set by the organisation or the agreement"
        elif extra.business_days:
            assert extra.days is not None
            due = FEDERAL_BUSINESS_DAYS.add_business_days(facts.discovered_on, max(extra.days, 1))
            basis = f"{extra.days} business days after discovery"
            calendar = FEDERAL_BUSINESS_DAYS.label()
        else:
            assert extra.days is not None
            due = calendar_days_after(facts.discovered_on, extra.days)
            basis = f"{extra.days} calendar days after discovery"
        out.append(
            Obligation(
                f"{prefix}-{i}",
                jurisdiction,
                extra.label,
                citation,
                f"{extra.label}: {basis}. This is the organisation's own "
                f"{extra.kind.value} deadline; every legal deadline still applies.",
                due,
                Status.DATED,
                kind=extra.kind,
                due_basis=basis,
                calendar=calendar,
            )
        )
    return out
