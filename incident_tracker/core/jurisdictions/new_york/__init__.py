"""New York: N.Y. Gen. Bus. Law § 899-aa and 23 NYCRR 500.17 (docs/law/new-york.md).

parameters.py: the dated numbers; business_days.py: the GCL § 24 holidays; scope.py: what the law
reaches; residents.py: NY1 and NY6; rules.py: the notices that follow (NY2-NY5) and the rule list;
dfs.py: the DFS notices in hours (NY7-NY9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incident_tracker.core.jurisdictions.model import Jurisdiction
from incident_tracker.core.jurisdictions.new_york import notices, parameters, personal, rules
from incident_tracker.core.jurisdictions.new_york.business_days import NY_BUSINESS_DAYS

if TYPE_CHECKING:
    from incident_tracker.core.assessment.questions import Step
    from incident_tracker.core.notices.content import NoticeContent
    from incident_tracker.core.risk import StateRisk


def _assessment() -> tuple[Step, ...]:
    from incident_tracker.core.jurisdictions.new_york.assessment import STEPS

    return STEPS


def _risk() -> StateRisk:
    from incident_tracker.core.jurisdictions.new_york.risk import RISK

    return RISK


def _notice_content() -> NoticeContent:
    from incident_tracker.core.jurisdictions.new_york.notice_content import CONTENT

    return CONTENT


JURISDICTION = Jurisdiction(
    code="NY",
    name="New York",
    law_page="docs/law/new-york.md",
    rules=rules.RULES,
    parameters=parameters.PARAMETERS,
    calendars=(NY_BUSINESS_DAYS,),
    notices=notices.DISCHARGES,
    notice_kinds=notices.KINDS,
    personal_information=personal.PERSONAL_INFORMATION,
    notice_content=_notice_content,
    done_feeds=(("NY1", "ny_residents"),),
    met_by_hipaa_letter=(("NY1", "(2)(b)"),),
    assessment=_assessment,
    risk=_risk,
    names=(
        ("NY1", "notice to New York residents (GBL 899-aa(2))"),
        ("NY2", "New York Attorney General: written harm determination (GBL 899-aa(2)(a))"),
        ("NY3", "New York agencies (GBL 899-aa(8)(a))"),
        ("NY4", "New York: consumer reporting agencies (GBL 899-aa(8)(b))"),
        ("NY5", "New York Attorney General after the HHS report (GBL 899-aa(9))"),
        ("NY6", "vendor's notice to the owner of New York data (GBL 899-aa(3))"),
        ("NY7", "New York DFS: cybersecurity event (23 NYCRR 500.17)"),
        ("NY8", "New York DFS: extortion payment (23 NYCRR 500.17(c))"),
        ("NY9", "New York DFS: reasons for an extortion payment (23 NYCRR 500.17(c))"),
    ),
)
