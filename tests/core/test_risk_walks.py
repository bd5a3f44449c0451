"""Complete answer sets for the risk-assessment walk, shared by the core, service, web and browser
tests, each checked here to be a complete walk (nothing left that would stop signing).

The scenarios follow docs/law/federal.md and the worked cases it cites: C08 (encrypted laptop, key
intact), C09 (key compromised), C10 (good-faith workforce access), C11 (mail returned unopened).
"""

from __future__ import annotations

from typing import Any

import pytest

from incident_tracker.core import risk, wizard
from incident_tracker.core.assessment.answers import Situation

ELECTRONIC = Situation(electronic=True, data_elements=frozenset({"name", "diagnosis"}))
PAPER = Situation(electronic=False, data_elements=frozenset({"name", "diagnosis"}))


def encrypted_laptop(**over: Any) -> dict[str, Any]:
    """C08: a laptop encrypted to NIST SP 800-111 with a FIPS 140-3 module, powered off, its key
    not taken."""
    answers: dict[str, Any] = {
        "approach": "assess",
        "encrypted": "yes",
        "destruction": "none",
        "encryption_use": "at_rest",
        "encryption_standard": "sp800_111",
        "fips": "140-3",
        "key_compromised": "no",
        "device_state": "off",
        "encryption_evidence": "MDM report: BitLocker XTS-AES-256 on, recovery key escrowed.",
        "chosen_outcome": "secured",
    }
    answers.update(over)
    return answers


NO_EXCEPTION: dict[str, Any] = {
    "ei_workforce": "no",
    "ei_unintentional": "yes",
    "ei_good_faith": "yes",
    "ei_scope": "yes",
    "ei_no_further": "yes",
    "eii_authorized_sender": "yes",
    "eii_authorized_recipient": "no",
    "eii_inadvertent": "yes",
    "eii_no_further": "yes",
    "eiii_good_faith_belief": "no",
}

GOOD_FAITH_WORKFORCE: dict[str, Any] = {
    "ei_workforce": "yes",
    "ei_unintentional": "yes",
    "ei_good_faith": "yes",
    "ei_scope": "yes",
    "ei_no_further": "yes",
    "ei_explanation": "A nurse opened the wrong chart from the ward list and closed it at once.",
}

# A fax with a diagnosis sent to the wrong physician's office (a covered entity), which attested
# in writing that it was not read and was shredded: every factor documented and low.
LOW_FACTORS: dict[str, Any] = {
    "fi_identifiers": ["direct_identifiers", "clinical"],
    "fi_clinical_detail": "limited",
    "fi_reidentification": "identified",
    "fi_rating": "low",
    "fi_evidence": "One page: name, date of birth and a follow-up note.",
    "fii_recipient": "covered_entity",
    "fii_obligated": "yes",
    "fii_can_reidentify": "no",
    "fii_rating": "low",
    "fii_evidence": "Dr Lee's practice, a HIPAA covered entity bound by the Privacy Rule.",
    "fiii_acquired_viewed": "no",
    "fiii_evidence_kind": "attestation",
    "fiii_rating": "low",
    "fiii_evidence": "The practice manager saw the cover sheet and did not read the page.",
    "fiv_steps": ["deleted_attested"],
    "fiv_assurance": "written",
    "fiv_credibility": "high",
    "fiv_complete": "complete",
    "fiv_rating": "low",
    "fiv_evidence": "Signed attestation of shredding dated the next day.",
}


def unsecured(**over: Any) -> dict[str, Any]:
    """Unencrypted electronic PHI, no exclusion, the four factors still to answer."""
    answers: dict[str, Any] = {
        "approach": "assess",
        "encrypted": "no",
        "destruction": "none",
        **NO_EXCEPTION,
    }
    answers.update(over)
    return answers


def low_probability(**over: Any) -> dict[str, Any]:
    return unsecured(**{**LOW_FACTORS, "chosen_outcome": "low_probability", **over})


def notify_after_factors(**over: Any) -> dict[str, Any]:
    """The factors walked, factor (iii) rated high (the fax was read): notify."""
    return unsecured(
        **{
            **LOW_FACTORS,
            "fiii_acquired_viewed": "yes",
            "fiii_rating": "high",
            "fiii_evidence": "The recipient read it and called the patient.",
            "chosen_outcome": "notify",
            **over,
        }
    )


def exception_i(**over: Any) -> dict[str, Any]:
    """C10: good-faith workforce access, 164.402(1)(i)."""
    answers = unsecured(**GOOD_FAITH_WORKFORCE)
    answers.update({"chosen_outcome": "exception", "chosen_exception": "164.402(1)(i)"})
    answers.update(over)
    return answers


def notify_without_assessment() -> dict[str, Any]:
    return {"approach": "notify", "chosen_outcome": "notify"}


WALKS = {
    "encrypted laptop (C08)": (encrypted_laptop(), ELECTRONIC, risk.Outcome.SECURED),
    "four factors low": (low_probability(), ELECTRONIC, risk.Outcome.LOW_PROBABILITY),
    "four factors, one high": (notify_after_factors(), ELECTRONIC, risk.Outcome.NOTIFY),
    "164.402(1)(i) (C10)": (exception_i(), ELECTRONIC, risk.Outcome.EXCEPTION),
    "notify, no assessment": (notify_without_assessment(), ELECTRONIC, risk.Outcome.NOTIFY),
}


@pytest.mark.parametrize("name", WALKS)
def test_each_shared_walk_is_complete_and_ends_in_its_conclusion(name: str) -> None:
    """45 CFR 164.402: each scenario is a whole walk (no step left to answer, so it can be signed)
    and the tool proposes the conclusion the officer chose."""
    answers, situation, outcome = WALKS[name]
    assert wizard.validate_walk(answers, situation) == []
    assert wizard.resume_step(answers, situation) == "sign"
    assert risk.assess(answers, situation).outcome is outcome
