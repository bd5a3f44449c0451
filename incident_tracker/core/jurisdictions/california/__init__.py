"""California: Cal. Civ. Code § 1798.82 and Health & Safety Code § 1280.15 (docs/law/california.md).

parameters.py: the dated numbers; business_days.py: CalHR state-office days; judicial_holidays.py:
the CCP § 135 roll-forward calendar; rules.py: CA1-CA3 and the rule list; cdph.py: CA4 and CA5.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incident_tracker.core.jurisdictions.california import notices, parameters, personal, rules
from incident_tracker.core.jurisdictions.california.business_days import (
    CA_6700_DAYS,
    CA_BUSINESS_DAYS,
)
from incident_tracker.core.jurisdictions.california.judicial_holidays import CA_JUDICIAL_DAYS
from incident_tracker.core.jurisdictions.model import Jurisdiction

if TYPE_CHECKING:
    from incident_tracker.core.assessment.questions import Step
    from incident_tracker.core.notices.content import NoticeContent
    from incident_tracker.core.risk import StateRisk


def _assessment() -> tuple[Step, ...]:
    from incident_tracker.core.jurisdictions.california.assessment import STEPS

    return STEPS


def _risk() -> StateRisk:
    from incident_tracker.core.jurisdictions.california.risk import RISK

    return RISK


def _notice_content() -> NoticeContent:
    from incident_tracker.core.jurisdictions.california.notice_content import CONTENT

    return CONTENT


JURISDICTION = Jurisdiction(
    code="CA",
    name="California",
    law_page="docs/law/california.md",
    rules=rules.RULES,
    parameters=parameters.PARAMETERS,
    calendars=(CA_BUSINESS_DAYS, CA_6700_DAYS, CA_JUDICIAL_DAYS),
    notices=notices.DISCHARGES,
    notice_kinds=notices.KINDS,
    personal_information=personal.PERSONAL_INFORMATION,
    notice_content=_notice_content,
    done_feeds=(("CA1", "ca_residents"),),
    assessment=_assessment,
    risk=_risk,
    names=(
        ("CA1", "notice to California residents (Civ. Code 1798.82(a))"),
        ("CA2", "California Attorney General sample copy (Civ. Code 1798.82(f))"),
        ("CA3", "vendor's notice to the owner of California data (Civ. Code 1798.82(b))"),
        ("CA4", "California Department of Public Health (H&S 1280.15(b)(1))"),
        ("CA5", "California patient notice (H&S 1280.15(b)(2))"),
    ),
)
