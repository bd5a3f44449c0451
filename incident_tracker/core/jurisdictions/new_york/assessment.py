"""New York's question in the assessment walk: the § 899-aa(2)(a) determination that removes the
resident notice (docs/law/new-york.md), asked unless the walk concludes "notify"."""

from __future__ import annotations

from incident_tracker.core.assessment.answers import Answers, Situation
from incident_tracker.core.assessment.questions import (
    YES_NO,
    Question,
    Step,
    all_yes,
    text_question,
)
from incident_tracker.core.jurisdictions.new_york.risk import determination_may_apply


def reaches(s: Situation) -> bool:
    """§ 899-aa(2) reaches computerized private information of NY residents only."""
    return s.electronic and s.residents_of("NY") > 0 and s.ny_private_information


def _ny(a: Answers, s: Situation) -> bool:
    return reaches(s) and determination_may_apply(a, s)


NY_DETERMINATION = Step(
    "ny_determination",
    "New York: the § 899-aa(2)(a) determination",
    "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
    "No NY resident notice is required if the exposure was an inadvertent disclosure by persons "
    "authorized to access the information and the business reasonably determines it will not "
    "likely result in misuse of the information, or financial harm to the affected persons (or, "
    "for online credentials, emotional harm). The determination is written, kept five years, and "
    "sent to the Attorney General within 10 days if more than 500 NY residents are affected "
    "(NY2). The signing date is the determination date. A HIPAA conclusion does not make this "
    'determination by itself. Not asked after a "notify" conclusion: the HIPAA letters are '
    "then the NY resident notice (§ 899-aa(2)(b)) and the agency notices of (8)(a) are owed.",
    (
        Question(
            "ny_inadvertent_authorized",
            "Was the exposure an inadvertent disclosure by persons authorized to access the "
            "information?",
            choices=YES_NO,
        ),
        Question(
            "ny_not_likely_misuse",
            "Do you reasonably determine that it will not likely result in misuse of the "
            "information, or financial or (for online credentials) emotional harm?",
            choices=YES_NO,
        ),
        text_question(
            "ny_determination_text",
            "The written determination and its basis",
            required=all_yes("ny_inadvertent_authorized", "ny_not_likely_misuse"),
            help="Required when both answers are yes.",
        ),
    ),
    applies=_ny,
)


STEPS: tuple[Step, ...] = (NY_DETERMINATION,)
