"""New Jersey: N.J.S.A. 56:8-161 and 56:8-163 (docs/law/new-jersey.md). No NJ clock counts days,
so it has no calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from incident_tracker.core.jurisdictions.model import Jurisdiction
from incident_tracker.core.jurisdictions.new_jersey import notices, parameters, personal, rules

if TYPE_CHECKING:
    from incident_tracker.core.assessment.questions import Step
    from incident_tracker.core.notices.content import NoticeContent
    from incident_tracker.core.risk import StateRisk


def _assessment() -> tuple[Step, ...]:
    from incident_tracker.core.jurisdictions.new_jersey.assessment import STEPS

    return STEPS


def _risk() -> StateRisk:
    from incident_tracker.core.jurisdictions.new_jersey.risk import RISK

    return RISK


def _notice_content() -> NoticeContent:
    from incident_tracker.core.jurisdictions.new_jersey.notice_content import CONTENT

    return CONTENT


JURISDICTION = Jurisdiction(
    code="NJ",
    name="New Jersey",
    law_page="docs/law/new-jersey.md",
    rules=rules.RULES,
    parameters=parameters.PARAMETERS,
    notices=notices.DISCHARGES,
    notice_kinds=notices.KINDS,
    personal_information=personal.PERSONAL_INFORMATION,
    notice_content=_notice_content,
    done_feeds=(("NJ2", "nj_residents"),),
    assessment=_assessment,
    risk=_risk,
    names=(
        ("NJ1", "New Jersey State Police (N.J.S.A. 56:8-163(c)(1))"),
        ("NJ2", "notice to New Jersey residents (N.J.S.A. 56:8-163(a))"),
        ("NJ3", "New Jersey: consumer reporting agencies (N.J.S.A. 56:8-163(f))"),
        ("NJ4", "vendor's notice to the owner of New Jersey data (N.J.S.A. 56:8-163(b))"),
    ),
)
