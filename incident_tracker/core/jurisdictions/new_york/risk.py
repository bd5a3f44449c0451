"""New York's part of the assessment's conclusion: the § 899-aa(2)(a) determination that removes
the resident notice (docs/law/new-york.md), and what the signed record says of it."""

from __future__ import annotations

from datetime import date

from incident_tracker.core import risk
from incident_tracker.core.assessment.answers import Answers, Situation, one
from incident_tracker.core.jurisdictions.new_york.parameters import (
    AG_DETERMINATION_DAYS,
    DETERMINATION_AG_THRESHOLD,
)
from incident_tracker.core.parameters import current


def determination_may_apply(answers: Answers, situation: Situation) -> bool:
    """§ 899-aa(2)(a) only matters when no HIPAA letter goes out: after a "notify" conclusion the
    HIPAA notice reaches NY residents and is their NY notice under (2)(b), so the (8)(a) agency
    notices are owed and a (2)(a) determination cannot remove them (docs/law/new-york.md)."""
    if not risk.state_law_may_apply(answers, situation):
        return False
    decision = risk.decision_of(answers, risk.assess(answers, situation))
    return decision.chosen is not risk.Outcome.NOTIFY


def determination_made(answers: Answers) -> bool:
    """N.Y. Gen. Bus. Law § 899-aa(2)(a): an inadvertent disclosure by authorized persons, and a
    reasonable determination that it will not likely cause misuse or harm."""
    return (
        one(answers, "ny_inadvertent_authorized") == risk.YES
        and one(answers, "ny_not_likely_misuse") == risk.YES
    )


def _made(answers: Answers, decision: risk.Decision, signed_on: date) -> date | None:
    """Dated the signing; none under a "notify" conclusion: the HIPAA letters are then the NY
    notice ((2)(b), docs/law/new-york.md)."""
    if decision.chosen is not risk.Outcome.NOTIFY and determination_made(answers):
        return signed_on
    return None


def _reason(made: date | str, situation: Situation) -> risk.Reason:
    count, threshold = situation.residents_of("NY"), current(DETERMINATION_AG_THRESHOLD)
    more = (
        f" {count:,} NY residents is more than {threshold}: a copy goes to the Attorney General "
        f"within {current(AG_DETERMINATION_DAYS)} days of the determination (NY2)."
        if count > threshold
        else ""
    )
    return risk.Reason(
        f"New York: written determination of {made} that the inadvertent disclosure will not "
        f"likely result in misuse or harm; kept five years.{more}",
        "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
    )


RISK = risk.StateRisk(
    determinations=(
        risk.Determination("ny_determination", "ny_harm_determination_on", _made, _reason),
    )
)
