"""New Jersey's part of the assessment's conclusion: the 56:8-163(a) determination that misuse is
not reasonably possible (docs/law/new-jersey.md)."""

from __future__ import annotations

from datetime import date

from incident_tracker.core import risk
from incident_tracker.core.assessment.answers import Answers, Situation, one


def determination_made(answers: Answers) -> bool:
    """N.J.S.A. 56:8-163(a): misuse of the information is not reasonably possible."""
    return one(answers, "nj_misuse_not_possible") == risk.YES


def _made(answers: Answers, _decision: risk.Decision, signed_on: date) -> date | None:
    return signed_on if determination_made(answers) else None


def _reason(made: date | str, _situation: Situation) -> risk.Reason:
    return risk.Reason(
        f"New Jersey: written determination of {made} that misuse of the information is not "
        "reasonably possible; kept five years.",
        "N.J.S.A. 56:8-163(a)",
    )


RISK = risk.StateRisk(
    determinations=(
        risk.Determination("nj_determination", "nj_misuse_determination_on", _made, _reason),
    )
)
