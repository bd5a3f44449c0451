"""California's question in the assessment walk: the 22 CCR 79901(b)(1) exclusions from a CDPH
"breach" for a licensed clinic, facility, home health agency or hospice (docs/law/california.md)."""

from __future__ import annotations

from incident_tracker.core import risk
from incident_tracker.core.assessment.answers import Answers, Situation, one
from incident_tracker.core.assessment.questions import Choice, Question, Step, text_question


def _cdph(a: Answers, s: Situation) -> bool:
    return s.cdph_facility and risk.state_law_may_apply(a, s)


CDPH_EXCLUSIONS = (
    Choice("none", "None of these: report to CDPH and the patient (H&S 1280.15(b))"),
    Choice(
        "A",
        "(A) Paper, e-mail or fax inadvertently accessed, used or disclosed within the same "
        "facility or health system, with no further use",
    ),
    Choice(
        "B",
        "(B) Internal paper, e-mail or fax sent outside the facility or system to a HIPAA "
        "covered entity, inadvertently misdirected while coordinating care or delivering services",
    ),
    Choice("C", "(C) A good-faith belief that the recipient could not reasonably have retained it"),
    Choice("D", "(D) Access, use or disclosure permitted or required by law"),
    Choice("F", "(F) A documented risk assessment found a low probability of compromise"),
)

CDPH_EXCLUSION = Step(
    "cdph_exclusion",
    "California (CDPH): the 22 CCR 79901(b)(1) exclusions",
    "22 CCR 79901(b)(1)(A)-(F); Health & Safety Code 1280.15",
    "A CDPH-licensed clinic, facility, home health agency or hospice reports unauthorized "
    "access, use or disclosure of medical information to CDPH and the patient within 15 business "
    "days of detection, unless an exclusion applies. (E), lost or stolen encrypted data not "
    "accessed, follows from the safe-harbor answers; (F) needs a low-probability conclusion.",
    (
        Question("cdph_exclusion", "Which exclusion applies?", choices=CDPH_EXCLUSIONS),
        text_question(
            "cdph_basis",
            "The facts that support the exclusion",
            required=lambda a, s: one(a, "cdph_exclusion") not in ("", "none"),
            help="Required when an exclusion is chosen.",
        ),
    ),
    applies=_cdph,
)


STEPS: tuple[Step, ...] = (CDPH_EXCLUSION,)
