"""California's part of the assessment's conclusion: Civ. Code 1798.82 has no risk-of-harm
exception, and a CDPH-licensed facility records which 22 CCR 79901(b)(1) exclusion applies
(docs/law/california.md)."""

from __future__ import annotations

from datetime import date

from incident_tracker.core import risk
from incident_tracker.core.assessment.answers import Answers, Situation, one


def _no_harm_exception(
    facts: risk.SignedFacts, situation: Situation, decision: risk.Decision
) -> risk.Reason | None:
    """A HIPAA conclusion other than "notify" still leaves the 1798.82(a) resident notice for
    unencrypted personal information acquired (docs/law/federal.md)."""
    if (
        decision.chosen is not risk.Outcome.NOTIFY
        and situation.residents_of("CA")
        and situation.electronic
        and not (facts.phi_encrypted is True and facts.encryption_key_compromised is False)
        and not risk.good_faith_workforce(decision)
    ):
        return risk.Reason(
            "California: Civ. Code 1798.82 has no risk-of-harm exception, so this HIPAA "
            "conclusion does not remove the notice to California residents whose unencrypted "
            "personal information was acquired.",
            "Cal. Civ. Code 1798.82(a)",
        )
    return None


def _exclusion(answers: Answers, _decision: risk.Decision, _signed_on: date) -> str | None:
    letter = one(answers, "cdph_exclusion")
    return letter if letter not in ("", "none") else None


def _reason(letter: date | str, _situation: Situation) -> risk.Reason:
    return risk.Reason(
        f"California (CDPH): the incident is excluded by 22 CCR 79901(b)(1)({letter}).",
        "22 CCR 79901(b)(1); Health & Safety Code 1280.15",
    )


RISK = risk.StateRisk(
    determinations=(
        risk.Determination("cdph_exclusion", "cdph_exclusion", _exclusion, _reason, dated=False),
    ),
    caveat=_no_harm_exception,
)
