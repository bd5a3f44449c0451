"""New Jersey's question in the assessment walk: the 56:8-163(a) determination that misuse is not
reasonably possible (docs/law/new-jersey.md)."""

from __future__ import annotations

from incident_tracker.core import risk
from incident_tracker.core.assessment.answers import Answers, Situation
from incident_tracker.core.assessment.questions import (
    YES_NO,
    Question,
    Step,
    all_yes,
    text_question,
)


def reaches(s: Situation) -> bool:
    """56:8-163 reaches computerized personal information of NJ residents only."""
    return s.electronic and s.residents_of("NJ") > 0 and s.nj_personal_information


def _nj(a: Answers, s: Situation) -> bool:
    return reaches(s) and risk.state_law_may_apply(a, s)


NJ_DETERMINATION = Step(
    "nj_determination",
    "New Jersey: the 56:8-163(a) determination",
    "N.J.S.A. 56:8-163(a)",
    "Customer notice is not required if the business establishes that misuse of the information "
    "is not reasonably possible; the determination must be in writing and kept five years. The "
    "signing date is the determination date. A HIPAA conclusion does not make it by itself.",
    (
        Question(
            "nj_misuse_not_possible",
            "Have you established that misuse of the information is not reasonably possible?",
            choices=YES_NO,
        ),
        text_question(
            "nj_determination_text",
            "The written determination and its basis",
            required=all_yes("nj_misuse_not_possible"),
            help="Required when the answer is yes.",
        ),
    ),
    applies=_nj,
)


STEPS: tuple[Step, ...] = (NJ_DETERMINATION,)
