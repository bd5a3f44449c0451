"""core.risk: secured PHI, the three exclusions, the four factors and the conclusion
(45 CFR 164.402; docs/law/federal.md), each test citing the paragraph it checks."""

from __future__ import annotations

from datetime import date

import pytest

from incident_tracker.core import risk, wizard
from incident_tracker.core.assessment.answers import Situation
from incident_tracker.core.facts import Exception164402, RiskAssessment
from incident_tracker.core.jurisdictions.new_york import risk as new_york_risk
from tests.core.test_risk_walks import (
    ELECTRONIC,
    GOOD_FAITH_WORKFORCE,
    LOW_FACTORS,
    PAPER,
    encrypted_laptop,
    exception_i,
    low_probability,
    notify_after_factors,
    notify_without_assessment,
    unsecured,
)

Outcome = risk.Outcome
SIGNED_ON = date(2026, 11, 23)


def texts(conclusion: risk.RiskConclusion) -> str:
    return "\n".join(f"{r.text} [{r.citation}]" for r in conclusion.reasons)


# -- secured PHI: encryption (164.402 "unsecured PHI"; 74 FR 19006) ----------------------------


def test_encrypted_to_sp800_111_with_the_key_intact_is_secured_phi_c08() -> None:
    """74 FR 19006 / docs/law/federal.md (C08): at rest, NIST SP 800-111, key not compromised,
    device
    off: not a breach of unsecured PHI; the record names the standard and the FIPS module."""
    c = risk.assess(encrypted_laptop(), ELECTRONIC)
    assert c.outcome is Outcome.SECURED
    assert c.harbor is not None and c.harbor.method == "encryption"
    assert (c.harbor.phi_encrypted, c.harbor.key_compromised) == (True, False)
    assert "NIST SP 800-111" in texts(c) and "FIPS 140-3" in texts(c)


@pytest.mark.parametrize("fips", ["140-2", "140-3"])
def test_fips_140_2_and_140_3_are_both_accepted_and_recorded(fips: str) -> None:
    """docs/law/federal.md; docs/law/federal.md, open questions [OPEN]: the guidance names FIPS
    140-2; accept 140-3 too, record which.
    In motion with another method, the FIPS validation is what makes it meet the guidance."""
    answers = encrypted_laptop(encryption_use="in_motion", encryption_standard="other", fips=fips)
    c = risk.assess(answers, ELECTRONIC)
    assert c.outcome is Outcome.SECURED
    assert f"FIPS {fips} validated module" in texts(c)


@pytest.mark.parametrize(
    ("standard", "meets"),
    [("sp800_52", True), ("sp800_77", True), ("sp800_113", True), ("sp800_111", False)],
)
def test_data_in_motion_meets_the_guidance_with_sp800_52_77_or_113(
    standard: str, meets: bool
) -> None:
    """74 FR 19006: data in motion complies with NIST SP 800-52, 800-77 or 800-113; the at-rest
    standard 800-111 does not cover transmission."""
    answers = encrypted_laptop(
        encryption_use="in_motion", encryption_standard=standard, device_state="not_a_device"
    )
    assert risk.meets_encryption_guidance(answers) is meets
    assert (risk.assess(answers, ELECTRONIC).outcome is Outcome.SECURED) is meets


def test_data_at_rest_needs_sp800_111_and_a_tls_standard_does_not_do() -> None:
    """74 FR 19006: data at rest is encrypted consistent with NIST SP 800-111."""
    answers = encrypted_laptop(encryption_standard="sp800_52")
    c = risk.assess(answers, ELECTRONIC)
    assert c.harbor is not None and c.harbor.phi_encrypted is False
    assert c.outcome is not Outcome.SECURED
    assert "does not meet the HHS guidance" in texts(c)


def test_other_method_in_motion_without_fips_validation_does_not_meet_the_guidance() -> None:
    """74 FR 19006: "others" in motion count only if FIPS 140-2 (or 140-3) validated."""
    answers = encrypted_laptop(encryption_use="in_motion", encryption_standard="other", fips="none")
    assert risk.meets_encryption_guidance(answers) is False


def test_a_compromised_key_makes_encrypted_phi_unsecured_c09() -> None:
    """docs/law/federal.md (C09): encrypted with the key compromised is unsecured; full analysis."""
    c = risk.assess(encrypted_laptop(key_compromised="yes"), ELECTRONIC)
    assert c.outcome is not Outcome.SECURED
    assert c.harbor is not None and c.harbor.key_compromised is True
    assert c.harbor.phi_encrypted is True  # it met the guidance; the key is what failed
    assert "key or credential was compromised" in texts(c)


def test_an_unknown_key_status_is_not_presumed_intact() -> None:
    """164.414(b): the burden of proof is the organisation's, so "not known" is not secured."""
    c = risk.assess(encrypted_laptop(key_compromised="unknown"), ELECTRONIC)
    assert c.outcome is not Outcome.SECURED
    assert c.harbor is not None and c.harbor.key_compromised is None


def test_a_device_stolen_on_and_signed_in_exposes_decrypted_data() -> None:
    """docs/law/federal.md: a machine stolen while running and logged in may expose decrypted data;
    it is
    recorded as a compromised credential, so no safe harbor."""
    c = risk.assess(encrypted_laptop(device_state="signed_in"), ELECTRONIC)
    assert c.outcome is not Outcome.SECURED
    assert c.harbor is not None and c.harbor.key_compromised is True
    assert "on and signed in" in texts(c)


def test_a_device_in_an_unknown_state_cannot_rely_on_its_encryption() -> None:
    """docs/law/federal.md and 164.414(b): the device state is recorded; unknown counts against."""
    c = risk.assess(encrypted_laptop(device_state="unknown"), ELECTRONIC)
    assert c.outcome is not Outcome.SECURED
    assert c.harbor is not None and c.harbor.key_compromised is None


def test_unencrypted_and_unknown_encryption_are_unsecured() -> None:
    """164.402 "unsecured PHI": not encrypted (or not known to be) and not destroyed."""
    for answer, fact in (("no", False), ("unknown", None)):
        c = risk.assess(unsecured(encrypted=answer), ELECTRONIC)
        assert c.harbor is not None and c.harbor.phi_encrypted is fact
        assert c.outcome is not Outcome.SECURED


# -- secured PHI: destruction ------------------------------------------------------------------


def test_paper_shredded_so_it_cannot_be_read_or_reconstructed_is_secured() -> None:
    """74 FR 19006: hard copy shredded or destroyed so it cannot be read or reconstructed."""
    answers = {
        "approach": "assess",
        "destruction": "shredded",
        "destruction_evidence": "Certificate of destruction from the shredding vendor.",
    }
    c = risk.assess(answers, PAPER)
    assert c.outcome is Outcome.SECURED
    assert c.harbor is not None and c.harbor.method == "destruction"


def test_electronic_media_purged_per_nist_sp800_88_is_secured() -> None:
    """74 FR 19006: electronic media cleared, purged or destroyed consistent with NIST SP 800-88."""
    answers = unsecured(destruction="sanitized", destruction_evidence="Purge log, NIST 800-88.")
    c = risk.assess(answers, ELECTRONIC)
    assert c.outcome is Outcome.SECURED and "NIST SP 800-88" in texts(c)


def test_redaction_is_not_destruction() -> None:
    """74 FR 19006: "redaction is specifically excluded as a means of data destruction"."""
    c = risk.assess({**unsecured(destruction="redacted"), **LOW_FACTORS}, PAPER)
    assert c.outcome is not Outcome.SECURED
    assert c.harbor is not None and c.harbor.secured is False
    assert "Redaction is not destruction" in texts(c)


def test_paper_is_never_secured_by_encryption() -> None:
    """docs/law/federal.md: paper can be secured only by destruction."""
    c = risk.assess({"approach": "assess", "destruction": "none", "encrypted": "yes"}, PAPER)
    assert c.harbor is not None and c.harbor.phi_encrypted is False and not c.harbor.secured


# -- the three exclusions of 164.402(1) --------------------------------------------------------


def test_exception_1_i_good_faith_workforce_access_c10() -> None:
    """164.402(1)(i) (C10): unintentional, good faith, within scope, by the workforce, no further
    use or disclosure: not a breach."""
    c = risk.assess(exception_i(), ELECTRONIC)
    assert c.outcome is Outcome.EXCEPTION
    assert c.exception is Exception164402.GOOD_FAITH_WORKFORCE
    assert "164.402(1)(i) applies" in texts(c) and "closed it at once" in texts(c)


@pytest.mark.parametrize(
    ("key", "phrase"),
    [
        ("ei_workforce", "not a workforce member"),
        ("ei_unintentional", "not unintentional"),
        ("ei_good_faith", "not made in good faith"),
        ("ei_scope", "outside the scope"),
        ("ei_no_further", "further used or disclosed"),
    ],
)
def test_exception_1_i_fails_on_any_one_of_its_elements(key: str, phrase: str) -> None:
    """164.402(1)(i) needs every element; the reason names the one that is missing."""
    c = risk.assess(unsecured(**{**GOOD_FAITH_WORKFORCE, key: "no"}), ELECTRONIC)
    assert c.exception is None
    assert "164.402(1)(i) does not apply" in texts(c) and phrase in texts(c)


def test_exception_1_ii_inadvertent_disclosure_between_authorized_persons() -> None:
    """164.402(1)(ii): authorized sender, authorized recipient at the same CE/BA/OHCA,
    inadvertent, no further impermissible use."""
    answers = unsecured(
        eii_authorized_recipient="yes", eii_explanation="Sent to the billing office, same CE."
    )
    c = risk.assess(answers, ELECTRONIC)
    assert c.outcome is Outcome.EXCEPTION
    assert c.exception is Exception164402.INADVERTENT_AUTHORIZED


def test_exception_1_iii_recipient_could_not_have_retained_it_c11() -> None:
    """164.402(1)(iii) (C11): a good-faith belief that the recipient could not reasonably have
    retained the information, e.g. mail returned unopened."""
    answers = unsecured(
        eiii_good_faith_belief="yes", eiii_explanation="Returned unopened by the post office."
    )
    c = risk.assess(answers, ELECTRONIC)
    assert c.outcome is Outcome.EXCEPTION
    assert c.exception is Exception164402.COULD_NOT_RETAIN
    assert "Returned unopened" in texts(c)


def test_the_exclusions_are_tried_in_the_regulations_order() -> None:
    """164.402(1): (i) is reported when (i) and (iii) both hold."""
    answers = exception_i(eiii_good_faith_belief="yes")
    assert risk.exception_found(answers) is Exception164402.GOOD_FAITH_WORKFORCE


# -- the four factors of 164.402(2) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "rating", "evidence"),
    [
        ("i", "fi_rating", "fi_evidence"),
        ("ii", "fii_rating", "fii_evidence"),
        ("iii", "fiii_rating", "fiii_evidence"),
        ("iv", "fiv_rating", "fiv_evidence"),
    ],
)
def test_a_factor_is_documented_only_with_its_answers_a_rating_and_evidence(
    code: str, rating: str, evidence: str
) -> None:
    """164.402(2)(i)-(iv): each factor needs its structured answers, a rating and evidence text;
    without either, the factor is undocumented and no low probability is proposed."""
    for missing in (rating, evidence):
        c = risk.assess(low_probability(**{missing: ""}), ELECTRONIC)
        assert c.undocumented == (code,)
        assert c.outcome is Outcome.NOTIFY
        assert f"Factor(s) ({code}) not documented" in texts(c)


def test_factor_i_names_identifiers_that_raise_identity_theft_risk() -> None:
    """164.402(2)(i) and the Omnibus preamble: SSNs or financial numbers raise the risk of
    identity theft or fraud; detailed clinical information is sensitive."""
    answers = low_probability(
        fi_identifiers=["direct_identifiers", "ssn"], fi_clinical_detail="detailed"
    )
    finding = risk.findings(answers)[0]
    said = " ".join(r.text for r in finding.concerns).lower()
    assert "identity theft or fraud" in said and "detailed or sensitive clinical" in said
    assert all("164.402(2)(i)" in r.citation for r in finding.concerns)


def test_factor_ii_an_unknown_recipient_rules_out_a_low_probability() -> None:
    """164.402(2)(ii): nothing shows an unknown recipient (a thief) will protect the PHI; even with
    every factor rated low the tool proposes notice."""
    c = risk.assess(low_probability(fii_recipient="unknown"), ELECTRONIC)
    assert c.outcome is Outcome.NOTIFY
    assert "the recipient is unknown" in texts(c).lower()


def test_factor_ii_a_recipient_not_obliged_to_protect_it_is_a_concern() -> None:
    """164.402(2)(ii): a recipient not bound by HIPAA, the Privacy Act or FISMA gives a higher
    probability; one who can re-identify the data, too (e.g. the individual's employer)."""
    answers = low_probability(
        fii_recipient="known_other", fii_obligated="no", fii_can_reidentify="yes"
    )
    said = " ".join(r.text for r in risk.findings(answers)[1].concerns)
    assert "not shown to be obliged to protect" in said and "can identify the individuals" in said


def test_factor_iii_not_knowing_whether_it_was_viewed_rules_out_a_low_probability() -> None:
    """164.402(2)(iii) with 164.414(b): only the opportunity must be shown; "not known" is not."""
    c = risk.assess(low_probability(fiii_acquired_viewed="unknown"), ELECTRONIC)
    assert c.outcome is Outcome.NOTIFY
    assert "not known whether the phi was acquired or viewed" in texts(c).lower()


def test_factor_iv_viewed_with_no_credible_assurance_rules_out_a_low_probability() -> None:
    """164.402(2)(iv): assurances and their credibility given the recipient (factor (ii))."""
    answers = low_probability(
        fiii_acquired_viewed="yes", fiv_assurance="none", fiv_credibility="not_applicable"
    )
    c = risk.assess(answers, ELECTRONIC)
    assert c.outcome is Outcome.NOTIFY
    assert "no credible assurance" in texts(c).lower()
    assert (
        "no assurance was obtained"
        in " ".join(r.text for r in risk.findings(answers)[3].concerns).lower()
    )


# -- the conclusions ---------------------------------------------------------------------------


def test_all_four_factors_documented_and_low_propose_a_low_probability() -> None:
    """164.402(2): a documented assessment of the four factors showing a low probability of
    compromise; no HIPAA notice, the record kept six years (164.530(j))."""
    c = risk.assess(low_probability(), ELECTRONIC)
    assert c.outcome is Outcome.LOW_PROBABILITY
    assert c.undocumented == ()
    assert [r.citation for r in c.reasons][-1] == "45 CFR 164.402(2); 45 CFR 164.530(j)"
    assert {r.citation for r in c.reasons} >= {
        "45 CFR 164.402(2)(i)",
        "45 CFR 164.402(2)(ii)",
        "45 CFR 164.402(2)(iii)",
        "45 CFR 164.402(2)(iv)",
    }


def test_a_factor_rated_high_proposes_notice() -> None:
    """164.402(2): the presumption of breach stands unless the assessment shows a low
    probability."""
    c = risk.assess(notify_after_factors(), ELECTRONIC)
    assert c.outcome is Outcome.NOTIFY
    assert "(iii) high" in texts(c)


def test_notify_without_an_assessment_is_an_allowed_and_recorded_conclusion() -> None:
    """docs/law/federal.md: the tracker must allow "notify, no assessment"; the reason says so."""
    c = risk.assess(notify_without_assessment(), ELECTRONIC)
    assert c.outcome is Outcome.NOTIFY and c.no_assessment
    assert "without an assessment" in texts(c)
    assert risk.decision_problems(notify_without_assessment(), c) == {}


def test_every_conclusion_maps_to_the_engines_risk_assessment_fact() -> None:
    """the incident JSON format (README.md, Calculator) `risk_assessment` values, one per
    conclusion."""
    assert risk.RISK_FACT == {
        Outcome.NOTIFY: RiskAssessment.NOT_LOW_PROBABILITY,
        Outcome.LOW_PROBABILITY: RiskAssessment.LOW_PROBABILITY_DOCUMENTED,
        Outcome.EXCEPTION: RiskAssessment.NOT_REQUIRED_EXCEPTION,
        Outcome.SECURED: RiskAssessment.NOT_REQUIRED_SECURED_PHI,
    }


# -- the officer decides -----------------------------------------------------------------------


def test_low_probability_cannot_be_chosen_while_a_factor_is_undocumented() -> None:
    """164.402(2): the conclusion needs all four factors documented."""
    answers = low_probability(fiv_evidence="")
    problems = risk.decision_problems(answers, risk.assess(answers, ELECTRONIC))
    assert "factor(s) (iv)" in problems["chosen_outcome"]


def test_low_probability_cannot_be_chosen_when_the_factors_were_never_walked() -> None:
    """164.402(2): an exception path skips the factors, so they are all undocumented."""
    answers = exception_i(chosen_outcome="low_probability", override_reason="prefer it")
    problems = risk.decision_problems(answers, risk.assess(answers, ELECTRONIC))
    assert "(i), (ii), (iii), (iv)" in problems["chosen_outcome"]


def test_a_conclusion_other_than_the_proposal_needs_a_written_reason_and_both_are_kept() -> None:
    """164.414(b): the officer may conclude otherwise, with a reason; both are recorded."""
    answers = low_probability(chosen_outcome="notify")
    c = risk.assess(answers, ELECTRONIC)
    assert set(risk.decision_problems(answers, c)) == {"override_reason"}
    answers["override_reason"] = "The patient is a public figure; we notify out of caution."
    assert risk.decision_problems(answers, c) == {}
    decision = risk.decision_of(answers, c)
    assert (decision.proposed, decision.chosen, decision.overrides) == (
        Outcome.LOW_PROBABILITY,
        Outcome.NOTIFY,
        True,
    )


def test_choosing_another_exception_than_the_proposal_is_an_override() -> None:
    """164.402(1): naming (iii) where the answers show (i) needs a reason."""
    answers = exception_i(chosen_exception="164.402(1)(iii)")
    c = risk.assess(answers, ELECTRONIC)
    assert "override_reason" in risk.decision_problems(answers, c)


def test_notify_without_assessment_cannot_be_signed_as_another_conclusion() -> None:
    """docs/law/federal.md: without an assessment nothing else is demonstrated."""
    answers = {**notify_without_assessment(), "chosen_outcome": "secured", "override_reason": "x"}
    problems = risk.decision_problems(answers, risk.assess(answers, ELECTRONIC))
    assert "without an assessment" in problems["chosen_outcome"]


# -- what signing sets -------------------------------------------------------------------------


NY_600 = Situation(
    electronic=True,
    residents={"NY": 600},
    ny_private_information=True,
    data_elements=frozenset({"name", "diagnosis"}),
)


def test_signed_facts_for_a_low_probability_with_a_ny_determination_dated_the_signing() -> None:
    """the incident JSON format (README.md, Calculator) and § 899-aa(2)(a): the determination date
    is the signing date."""
    answers = low_probability(
        ny_inadvertent_authorized="yes",
        ny_not_likely_misuse="yes",
        ny_determination_text="Misdirected to a covered entity that shredded it.",
    )
    facts = risk.signed_facts(answers, NY_600, SIGNED_ON, {"ny_determination"})
    assert facts.to_json() == {
        "risk_assessment": "low_probability_documented",
        "exception": None,
        "phi_encrypted": False,
        "encryption_key_compromised": None,
        "ny_harm_determination_on": "2026-11-23",
        "nj_misuse_determination_on": None,
        "cdph_exclusion": None,
    }


def test_a_ny_determination_needs_an_inadvertent_disclosure_by_authorized_persons() -> None:
    """§ 899-aa(2)(a): both conditions; a reasonable no-harm view alone makes no determination."""
    answers = low_probability(ny_inadvertent_authorized="no", ny_not_likely_misuse="yes")
    facts = risk.signed_facts(answers, NY_600, SIGNED_ON, {"ny_determination"})
    assert facts.determination("ny_harm_determination_on") is None


def test_secured_phi_sets_encrypted_with_the_key_intact() -> None:
    """the incident JSON format (README.md, Calculator): `phi_encrypted` true (meets the guidance),
    key not compromised."""
    facts = risk.signed_facts(encrypted_laptop(), ELECTRONIC, SIGNED_ON, ())
    assert (facts.risk_assessment, facts.phi_encrypted, facts.encryption_key_compromised) == (
        RiskAssessment.NOT_REQUIRED_SECURED_PHI,
        True,
        False,
    )


def test_notifying_despite_encryption_does_not_leave_the_phi_looking_secured() -> None:
    """docs/law/federal.md: the engine treats encrypted-with-key-intact as secured whatever the
    outcome,
    so an officer who concludes "notify" leaves the key status not established."""
    answers = encrypted_laptop(chosen_outcome="notify", override_reason="The key was on a note.")
    facts = risk.signed_facts(answers, ELECTRONIC, SIGNED_ON, ())
    assert facts.risk_assessment is RiskAssessment.NOT_LOW_PROBABILITY
    assert (facts.phi_encrypted, facts.encryption_key_compromised) == (True, None)


def test_an_exception_sets_which_exception() -> None:
    """the incident JSON format (README.md, Calculator) `exception`: the 164.402(1) paragraph."""
    facts = risk.signed_facts(exception_i(), ELECTRONIC, SIGNED_ON, ())
    assert facts.exception is Exception164402.GOOD_FAITH_WORKFORCE
    assert facts.risk_assessment is RiskAssessment.NOT_REQUIRED_EXCEPTION


def test_a_hipaa_low_probability_does_not_settle_california_resident_notice() -> None:
    """docs/law/federal.md; docs/law/california.md: Civ. Code 1798.82 has no risk-of-harm
    exception; the record says so."""
    ca = Situation(electronic=True, residents={"CA": 40}, data_elements=frozenset({"name", "ssn"}))
    answers = low_probability()
    c = risk.assess(answers, ca)
    facts = risk.signed_facts(answers, ca, SIGNED_ON, ())
    notes = risk.state_reasons(facts, ca, risk.decision_of(answers, c))
    assert len(notes) == 1 and "no risk-of-harm exception" in notes[0].text
    assert notes[0].citation.startswith("Cal. Civ. Code 1798.82")


# -- review of NY (2)(a) after "notify"; secured PHI and exceptions are facts --------


def test_ny_2a_step_is_not_offered_after_a_notify_conclusion() -> None:
    """§ 899-aa(2)(b), (8)(a) (docs/law/new-york.md): after "notify" the HIPAA letters are the NY
    resident notice, so a (2)(a) determination cannot remove the agency notices; the walk asks it
    only after a conclusion that sends no HIPAA letter."""
    notify = notify_after_factors(ny_inadvertent_authorized="yes", ny_not_likely_misuse="yes")
    assert "ny_determination" not in {s.key for s in wizard.applicable(notify, NY_600)}
    assert "ny_determination" in {s.key for s in wizard.applicable(low_probability(), NY_600)}
    assert not new_york_risk.determination_may_apply(notify_without_assessment(), NY_600)


def test_signing_notify_never_sets_a_ny_2a_determination() -> None:
    """§ 899-aa(2)(a)-(b), belt and braces: even with the NY step shown and both answers yes, a
    "notify" conclusion records no determination (so NY1/NY3 stay owed, docs/law/new-york.md)."""
    answers = notify_after_factors(
        ny_inadvertent_authorized="yes", ny_not_likely_misuse="yes", ny_determination_text="x"
    )
    facts = risk.signed_facts(answers, NY_600, SIGNED_ON, {"ny_determination"})
    assert facts.determination("ny_harm_determination_on") is None
    assert facts.risk_assessment is RiskAssessment.NOT_LOW_PROBABILITY


@pytest.mark.parametrize(
    ("answers", "situation"),
    [
        (unsecured(**LOW_FACTORS), ELECTRONIC),  # not encrypted
        (encrypted_laptop(key_compromised="yes"), ELECTRONIC),  # C09: key compromised
        (encrypted_laptop(key_compromised="unknown"), ELECTRONIC),
        (encrypted_laptop(device_state="signed_in"), ELECTRONIC),  # decrypted data exposed
        (encrypted_laptop(encryption_standard="sp800_52"), ELECTRONIC),  # at rest needs 800-111
        ({"approach": "assess", "destruction": "redacted"}, PAPER),  # redaction is not destruction
    ],
)
def test_secured_phi_cannot_be_signed_against_the_safe_harbor_answers(
    answers: dict[str, object], situation: Situation
) -> None:
    """45 CFR 164.402 'unsecured PHI'; 74 FR 19006 (docs/law/federal.md): secured is a fact
    (encrypted
    to the guidance, key intact, device safe; or destroyed); no override reason can make it."""
    answers = {**answers, "chosen_outcome": "secured", "override_reason": "we think so"}
    problems = risk.decision_problems(answers, risk.assess(answers, situation))
    assert "do not show secured PHI" in problems["chosen_outcome"]


@pytest.mark.parametrize(
    ("answers", "situation"),
    [
        (encrypted_laptop(), ELECTRONIC),  # C08
        (encrypted_laptop(device_state="locked"), ELECTRONIC),
        ({"approach": "assess", "destruction": "shredded", "chosen_outcome": "secured"}, PAPER),
    ],
)
def test_secured_phi_is_signable_when_the_answers_show_it(
    answers: dict[str, object], situation: Situation
) -> None:
    """docs/law/federal.md: encryption to the guidance with the key intact, or destruction."""
    assert risk.decision_problems(answers, risk.assess(answers, situation)) == {}


def test_an_exception_cannot_be_signed_unless_its_questions_establish_it() -> None:
    """45 CFR 164.402(1)(ii) (docs/law/federal.md): the recipient was not authorized at the same
    entity
    (NO_EXCEPTION answers), so naming (1)(ii) with a reason is refused and says why."""
    answers = unsecured(
        **LOW_FACTORS,
        chosen_outcome="exception",
        chosen_exception="164.402(1)(ii)",
        override_reason="we think so",
    )
    problems = risk.decision_problems(answers, risk.assess(answers, ELECTRONIC))
    assert "do not establish 164.402(1)(ii)" in problems["chosen_exception"]
    assert "recipient was not authorized" in problems["chosen_exception"]
    answers["chosen_exception"] = "164.402(1)(iii)"  # eiii_good_faith_belief "no"
    problems = risk.decision_problems(answers, risk.assess(answers, ELECTRONIC))
    assert "do not establish 164.402(1)(iii)" in problems["chosen_exception"]


def test_a_stale_yes_to_an_exception_step_not_shown_does_not_establish_it() -> None:
    """164.402(1): (1)(i) applies, so the walk never shows (1)(ii); earlier "yes" answers left in
    the draft for (1)(ii) are not facts of this walk, and naming (1)(ii) is refused."""
    stale = {k: "yes" for k, _ in risk.EXCEPTION_TESTS[Exception164402.INADVERTENT_AUTHORIZED]}
    answers = exception_i(
        **stale, chosen_exception="164.402(1)(ii)", override_reason="the fax went to a colleague"
    )
    step = wizard.find("conclusion")
    assert step is not None
    assert (
        "do not establish 164.402(1)(ii)"
        in wizard.validate_step(step, answers, ELECTRONIC)["chosen_exception"]
    )


def test_overriding_between_notify_and_low_probability_stays_allowed() -> None:
    """164.402(2), 164.414(b): a judgement call; with a reason either way it is signable."""
    notify = low_probability(chosen_outcome="notify", override_reason="out of caution")
    assert risk.decision_problems(notify, risk.assess(notify, ELECTRONIC)) == {}
    low = notify_after_factors(chosen_outcome="low_probability", override_reason="rated too high")
    assert risk.decision_problems(low, risk.assess(low, ELECTRONIC)) == {}
