"""The safe-harbor references as of 2026-12: FIPS 140-2 certificates moved to NIST's CMVP
Historical list on 2026-09-21 (FIPS 140-3 is the active standard; either is still accepted, a
140-2 module is warned about), and NIST SP 800-88 Rev. 2 (2025-09-26) replaced Rev. 1 for media
sanitization (degaussing is no longer an approved destroy technique). 74 FR 19006 (HHS guidance).
"""

from __future__ import annotations

import pytest

from incident_tracker.core import risk
from incident_tracker.core.assessment.steps import ENCRYPTION, SAFE_HARBOR
from incident_tracker.core.facts import FactsError, parse_incident
from tests.core.test_risk_walks import ELECTRONIC, encrypted_laptop, unsecured
from tests.factories import incident, not_owed, owed, run


def texts(conclusion: risk.RiskConclusion) -> str:
    return "\n".join(f"{r.text} [{r.citation}]" for r in conclusion.reasons)


def test_fips_140_2_module_is_accepted_with_a_warning_on_the_determination() -> None:
    """74 FR 19006 still names FIPS 140-2: the safe harbor holds, and the record warns."""
    c = risk.assess(encrypted_laptop(fips="140-2"), ELECTRONIC)
    assert c.outcome is risk.Outcome.SECURED
    assert "Warning: the module is FIPS 140-2 validated" in texts(c)
    assert "CMVP Historical list on 2026-09-21" in texts(c)


def test_fips_140_3_module_has_no_warning() -> None:
    c = risk.assess(encrypted_laptop(fips="140-3"), ELECTRONIC)
    assert c.outcome is risk.Outcome.SECURED and "Warning" not in texts(c)


def test_engine_warns_when_the_safe_harbor_rests_on_a_fips_140_2_module() -> None:
    """45 CFR 164.402: encrypted with the key intact is not unsecured PHI (no F1); the recorded
    FIPS 140-2 module comes back as a warning, never as a refusal."""
    result = run(phi_encrypted=True, encryption_key_compromised=False, fips_validation="140-2")
    not_owed(result, "F1")
    (warning,) = result.warnings
    assert warning.startswith("fips_validation: ") and "FIPS 140-3" in warning


@pytest.mark.parametrize(
    ("over", "why"),
    [
        ({"fips_validation": "140-3"}, "the active standard"),
        ({"fips_validation": "140-2", "encryption_key_compromised": True}, "no safe harbor"),
        ({}, "validation not recorded"),
    ],
)
def test_engine_has_no_fips_warning_otherwise(over: dict[str, object], why: str) -> None:
    facts = {"phi_encrypted": True, "encryption_key_compromised": False, **over}
    assert run(**facts).warnings == (), why


def test_fips_validation_outside_the_vocabulary_is_refused_by_name() -> None:
    with pytest.raises(FactsError) as caught:
        parse_incident(incident(fips_validation="140-1"))
    assert caught.value.problems == ["fips_validation: '140-1' is not one of: 140-3, 140-2, none"]


def test_destruction_cites_nist_sp_800_88_rev_2_and_degaussing() -> None:
    """74 FR 19006: electronic media cleared, purged or destroyed consistent with NIST SP 800-88,
    now Rev. 2: the reason, the question and its help say so."""
    answers = unsecured(destruction="sanitized", destruction_evidence="Purge log, NIST 800-88.")
    c = risk.assess(answers, ELECTRONIC)
    assert c.outcome is risk.Outcome.SECURED and "NIST SP 800-88 Rev. 2" in texts(c)
    question = next(q for q in SAFE_HARBOR.questions if q.key == "destruction")
    assert "800-88 Rev. 2" in question.help and "degaussing" in question.help
    fips = next(q for q in ENCRYPTION.questions if q.key == "fips")
    assert "2026-09-21" in fips.help


def test_owed_notices_are_unchanged_for_a_fips_140_2_module_with_the_key_taken() -> None:
    """The warning changes no date: key compromised -> unsecured -> F1 = 2026-02-10 + 60 =
    2026-04-11."""
    result = run(phi_encrypted=True, encryption_key_compromised=True, fips_validation="140-2")
    assert str(owed(result, "F1").due) == "2026-04-11"
