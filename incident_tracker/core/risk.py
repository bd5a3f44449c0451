"""What the risk-assessment answers conclude, with a reason citing its paragraph for every step.

45 CFR 164.402: an impermissible use or disclosure of PHI is presumed a breach unless the PHI was
secured (the HHS encryption or destruction guidance), one of the three exclusions of 164.402(1)
applies, or a risk assessment of at least the four factors of 164.402(2) shows a low probability
that the PHI has been compromised. The organisation carries the burden of proof (164.414(b)), so an
answer of "not known" never counts in its favour. The tool proposes; the privacy officer decides
(`Decision`), and what the signed decision sets on the incident is `signed_facts`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from incident_tracker.core.assessment.answers import Answers, Situation, many, one
from incident_tracker.core.facts import Exception164402, RiskAssessment

YES, NO, UNKNOWN = "yes", "no", "unknown"


class Outcome(StrEnum):
    NOTIFY = "notify"
    LOW_PROBABILITY = "low_probability"
    EXCEPTION = "exception"
    SECURED = "secured"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.NOTIFY: "Notify: a breach of unsecured PHI",
    Outcome.LOW_PROBABILITY: "Low probability of compromise (documented four-factor assessment)",
    Outcome.EXCEPTION: "An exception of 164.402(1) applies: not a breach",
    Outcome.SECURED: "Secured PHI: not a breach of unsecured PHI",
}
# The the incident JSON format (README.md, Calculator) `risk_assessment` fact each conclusion
# records.
RISK_FACT: dict[Outcome, RiskAssessment] = {
    Outcome.NOTIFY: RiskAssessment.NOT_LOW_PROBABILITY,
    Outcome.LOW_PROBABILITY: RiskAssessment.LOW_PROBABILITY_DOCUMENTED,
    Outcome.EXCEPTION: RiskAssessment.NOT_REQUIRED_EXCEPTION,
    Outcome.SECURED: RiskAssessment.NOT_REQUIRED_SECURED_PHI,
}

GUIDANCE = "HHS guidance on unsecured PHI, 74 FR 19006 (2009), re-issued at 74 FR 42740"
UNSECURED = f"45 CFR 164.402 ('unsecured protected health information'); {GUIDANCE}"
BURDEN = "45 CFR 164.414(b)"
PREAMBLE = "HHS, Omnibus Rule preamble, 78 FR 5566 (2013)"


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    citation: str

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "citation": self.citation}


# -- secured PHI: encryption or destruction (docs/law/federal.md)
# ------------------------------------

AT_REST_STANDARD = "sp800_111"
IN_MOTION_STANDARDS = frozenset({"sp800_52", "sp800_77", "sp800_113"})
# [OPEN, docs/law/federal.md]: either is accepted, and recorded.
FIPS_VALIDATED = frozenset({"140-2", "140-3"})
STANDARD_NAMES = {
    "sp800_111": "NIST SP 800-111",
    "sp800_52": "NIST SP 800-52 (TLS)",
    "sp800_77": "NIST SP 800-77 (IPsec VPN)",
    "sp800_113": "NIST SP 800-113 (SSL VPN)",
}
SAFE_DEVICE_STATES = frozenset({"not_a_device", "off", "locked"})
# NIST moved every FIPS 140-2 certificate to the CMVP Historical list on 2026-09-21; FIPS 140-3 is
# the active standard. Both stay accepted (the guidance names 140-2), with this warning.
FIPS_140_2_REASON = Reason(
    "Warning: the module is FIPS 140-2 validated. Every FIPS 140-2 certificate moved to NIST's "
    "CMVP Historical list on 2026-09-21 and FIPS 140-3 is the active standard. The HHS guidance "
    "still names FIPS 140-2, so this is accepted; keep the module's certificate with this record "
    "and move to a FIPS 140-3 module.",
    f"{GUIDANCE}; NIST CMVP (FIPS 140-2 certificates historical from 2026-09-21); FIPS 140-3",
)
# The guidance's destruction standard for electronic media: NIST SP 800-88 Rev. 2 (2025-09-26)
# replaced Rev. 1; degaussing is no longer an approved destroy technique.
SANITIZATION = "NIST SP 800-88 Rev. 2"


def meets_encryption_guidance(answers: Answers) -> bool | None:
    """At rest: consistent with NIST SP 800-111. In motion: NIST SP 800-52, 800-77 or 800-113, or
    another method that is FIPS 140-2 (or 140-3) validated. None when the answers cannot tell."""
    use, standard, fips = (
        one(answers, k) for k in ("encryption_use", "encryption_standard", "fips")
    )
    if standard in ("", UNKNOWN) or use == "":
        return None
    if use == "at_rest":
        return standard == AT_REST_STANDARD
    if standard in IN_MOTION_STANDARDS:
        return True
    if standard == "other":
        return True if fips in FIPS_VALIDATED else (None if fips in ("", UNKNOWN) else False)
    return False


@dataclass(frozen=True, slots=True)
class SafeHarbor:
    secured: bool
    method: str | None  # "encryption" | "destruction" | None
    phi_encrypted: bool | None  # encrypted to the guidance (input `phi_encrypted`)
    key_compromised: bool | None  # input `encryption_key_compromised`
    reasons: tuple[Reason, ...]


def _destruction(answers: Answers) -> tuple[bool, list[Reason]]:
    cite = f"{GUIDANCE} (destruction)"
    match one(answers, "destruction"):
        case "shredded":
            return True, [
                Reason(
                    "The hard copy was shredded or destroyed so that it cannot be read or "
                    "reconstructed: destroyed to the HHS guidance.",
                    cite,
                )
            ]
        case "sanitized":
            return True, [
                Reason(
                    f"The electronic media were cleared, purged or destroyed consistent with "
                    f"{SANITIZATION} (degaussing alone is not a destroy technique): destroyed to "
                    "the HHS guidance.",
                    cite,
                )
            ]
        case "redacted":
            return False, [
                Reason(
                    "Redaction is not destruction: the guidance excludes it specifically, so "
                    "redacted PHI is not secured by destruction.",
                    cite,
                )
            ]
        case "incomplete":
            return False, [
                Reason(
                    "The PHI was discarded or only partly destroyed, not to the guidance (paper: "
                    f"cannot be read or reconstructed; electronic media: {SANITIZATION}).",
                    cite,
                )
            ]
    return False, []


def _encryption(answers: Answers) -> tuple[bool | None, bool | None, list[Reason]]:
    """(phi_encrypted, key_compromised, reasons) for PHI reported as encrypted."""
    reasons: list[Reason] = []
    meets = meets_encryption_guidance(answers)
    use = "at rest" if one(answers, "encryption_use") == "at_rest" else "in motion"
    standard = one(answers, "encryption_standard")
    fips = one(answers, "fips")
    module = {
        "140-3": "a FIPS 140-3 validated module",
        "140-2": "a FIPS 140-2 validated module",
        "none": "a module that is not FIPS-validated",
    }.get(fips, "a module whose FIPS validation is not known")
    name = STANDARD_NAMES.get(standard, "another method" if standard == "other" else "")
    if meets is True:
        reasons.append(
            Reason(
                f"Encrypted {use} with {name}, using {module}: this meets the HHS guidance "
                "(FIPS 140-2 or 140-3 is accepted, and the record says which).",
                f"45 CFR 164.304 ('encryption'); {GUIDANCE}",
            )
        )
    elif meets is False:
        reasons.append(
            Reason(
                f"Encrypted {use} with {name or 'a method'} using {module}: this does not meet the "
                "HHS guidance (at rest: NIST SP 800-111; in motion: NIST SP 800-52, 800-77 or "
                "800-113, or a FIPS 140-2/140-3 validated method).",
                GUIDANCE,
            )
        )
    else:
        reasons.append(
            Reason(
                "The encryption is not shown to meet the HHS guidance (the standard or its "
                "validation is not known); the burden of showing secured PHI is the "
                "organisation's.",
                f"{GUIDANCE}; {BURDEN}",
            )
        )
    if fips == "140-2":
        reasons.append(FIPS_140_2_REASON)
    key: bool | None = {YES: True, NO: False}.get(one(answers, "key_compromised"))
    if key is True:
        reasons.append(
            Reason(
                "The key or credential was compromised: encrypted PHI whose key was breached is "
                "unsecured.",
                UNSECURED,
            )
        )
    elif key is None:
        reasons.append(
            Reason(
                "Whether the key or credential was compromised is not known, so the key cannot be "
                "relied on as intact.",
                f"{UNSECURED}; {BURDEN}",
            )
        )
    device = one(answers, "device_state")
    if device == "signed_in":
        key = True
        reasons.append(
            Reason(
                "The device was on and signed in when it was lost: the data were readable, so the "
                "encryption did not protect them (treated as a compromised credential).",
                f"{GUIDANCE}",
            )
        )
    elif device == "locked":
        reasons.append(
            Reason(
                "The device was on with its screen locked when it was lost (recorded).",
                f"{GUIDANCE}",
            )
        )
    elif device not in SAFE_DEVICE_STATES:
        key = None if key is False else key
        reasons.append(
            Reason(
                "The device's state when it was lost is not known: a device left on and signed "
                "in exposes decrypted data, so the encryption cannot be relied on.",
                f"{GUIDANCE}; {BURDEN}",
            )
        )
    return meets, key, reasons


def safe_harbor(answers: Answers, situation: Situation) -> SafeHarbor:
    destroyed, reasons = _destruction(answers)
    phi_encrypted: bool | None
    key: bool | None = None
    encrypted = one(answers, "encrypted") if situation.electronic else NO
    if not situation.electronic:
        phi_encrypted = False
        if not destroyed:
            reasons.append(
                Reason(
                    "Paper records cannot be encrypted; only destruction to the guidance would "
                    "have secured them.",
                    UNSECURED,
                )
            )
    elif encrypted == YES:
        phi_encrypted, key, more = _encryption(answers)
        reasons.extend(more)
    elif encrypted == NO:
        phi_encrypted = False
        reasons.append(Reason("The PHI was not encrypted.", UNSECURED))
    else:
        phi_encrypted = None
        reasons.append(
            Reason(
                "Whether the PHI was encrypted is not known; it is treated as unsecured (the "
                "burden of proof is the organisation's).",
                f"{UNSECURED}; {BURDEN}",
            )
        )
    by_encryption = phi_encrypted is True and key is False
    secured = by_encryption or destroyed
    method = "encryption" if by_encryption else ("destruction" if destroyed else None)
    return SafeHarbor(secured, method, phi_encrypted, key, tuple(reasons))


# -- the three exclusions of 164.402(1) --------------------------------------------------------

# Each exclusion applies only when every one of its questions is answered yes; the phrase says
# what a "no" means.
EXCEPTION_TESTS: dict[Exception164402, tuple[tuple[str, str], ...]] = {
    Exception164402.GOOD_FAITH_WORKFORCE: (
        (
            "ei_workforce",
            "it was not a workforce member or a person acting under the organisation's authority",
        ),
        ("ei_unintentional", "it was not unintentional"),
        ("ei_good_faith", "it was not made in good faith"),
        ("ei_scope", "it was outside the scope of the person's authority"),
        ("ei_no_further", "the PHI was further used or disclosed impermissibly"),
    ),
    Exception164402.INADVERTENT_AUTHORIZED: (
        ("eii_authorized_sender", "the person who disclosed it was not authorized to access PHI"),
        (
            "eii_authorized_recipient",
            "the recipient was not authorized at the same covered entity, business associate or "
            "organized health care arrangement",
        ),
        ("eii_inadvertent", "the disclosure was not inadvertent"),
        ("eii_no_further", "the PHI was further used or disclosed impermissibly"),
    ),
    Exception164402.COULD_NOT_RETAIN: (
        (
            "eiii_good_faith_belief",
            "there is no good-faith belief that the recipient could not have retained it",
        ),
    ),
}
EXCEPTION_EXPLANATION: dict[Exception164402, str] = {
    Exception164402.GOOD_FAITH_WORKFORCE: "ei_explanation",
    Exception164402.INADVERTENT_AUTHORIZED: "eii_explanation",
    Exception164402.COULD_NOT_RETAIN: "eiii_explanation",
}
EXCEPTION_SUMMARY: dict[Exception164402, str] = {
    Exception164402.GOOD_FAITH_WORKFORCE: "an unintentional acquisition, access or use in good "
    "faith by a workforce member (or person acting under the organisation's authority), within "
    "the scope of authority, not further used or disclosed impermissibly",
    Exception164402.INADVERTENT_AUTHORIZED: "an inadvertent disclosure by a person authorized to "
    "access PHI to another person authorized at the same covered entity, business associate or "
    "organized health care arrangement, not further used or disclosed impermissibly",
    Exception164402.COULD_NOT_RETAIN: "a disclosure where the organisation believes in good faith "
    "that the unauthorized recipient could not reasonably have retained the information",
}


def exception_applies(answers: Answers, which: Exception164402) -> bool:
    return all(one(answers, key) == YES for key, _ in EXCEPTION_TESTS[which])


def exception_found(answers: Answers) -> Exception164402 | None:
    """The first exclusion, in the regulation's order, whose every question is answered yes."""
    return next((e for e in Exception164402 if exception_applies(answers, e)), None)


def exception_reason(answers: Answers, which: Exception164402) -> Reason | None:
    """Why the exclusion applies or not; None while its questions are unanswered."""
    tests = EXCEPTION_TESTS[which]
    if not any(one(answers, key) for key, _ in tests):
        return None
    cite = f"45 CFR {which.value}"
    if exception_applies(answers, which):
        return Reason(f"{which.value} applies: {EXCEPTION_SUMMARY[which]}.", cite)
    failed = [phrase for key, phrase in tests if one(answers, key) != YES]
    return Reason(f"{which.value} does not apply: {'; '.join(failed)}.", cite)


# -- the four factors of 164.402(2) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    title: str
    citation: str
    structured: tuple[str, ...]
    rating: str
    evidence: str


FACTORS: tuple[Factor, ...] = (
    Factor(
        "i",
        "Nature and extent of the PHI: identifiers and likelihood of re-identification",
        "45 CFR 164.402(2)(i)",
        ("fi_identifiers", "fi_clinical_detail", "fi_reidentification"),
        "fi_rating",
        "fi_evidence",
    ),
    Factor(
        "ii",
        "The unauthorized person who used the PHI or to whom it was disclosed",
        "45 CFR 164.402(2)(ii)",
        ("fii_recipient", "fii_obligated", "fii_can_reidentify"),
        "fii_rating",
        "fii_evidence",
    ),
    Factor(
        "iii",
        "Whether the PHI was actually acquired or viewed",
        "45 CFR 164.402(2)(iii)",
        ("fiii_acquired_viewed", "fiii_evidence_kind"),
        "fiii_rating",
        "fiii_evidence",
    ),
    Factor(
        "iv",
        "The extent to which the risk to the PHI has been mitigated",
        "45 CFR 164.402(2)(iv)",
        ("fiv_steps", "fiv_assurance", "fiv_credibility", "fiv_complete"),
        "fiv_rating",
        "fiv_evidence",
    ),
)
RATINGS = {"low": "low", "medium": "moderate", "high": "high"}
IDENTITY_THEFT_CATEGORIES = frozenset({"ssn", "financial", "government_id", "credentials"})


@dataclass(frozen=True, slots=True)
class FactorFinding:
    factor: Factor
    rating: str  # low | medium | high, '' when not rated
    documented: bool  # every structured answer, a rating and evidence text
    concerns: tuple[Reason, ...]  # answers that point towards compromise
    decisive: tuple[Reason, ...]  # answers that rule out proposing a low probability


def factor_documented(answers: Answers, factor: Factor) -> bool:
    structured = all(many(answers, key) for key in factor.structured)
    return (
        structured
        and one(answers, factor.rating) in RATINGS
        and bool(one(answers, factor.evidence))
    )


def _concerns(answers: Answers, code: str) -> tuple[list[str], list[str]]:
    """(concerns, decisive concerns) of one factor, from its structured answers (HHS preamble)."""
    concerns: list[str] = []
    decisive: list[str] = []
    if code == "i":
        kinds = set(many(answers, "fi_identifiers"))
        if kinds & IDENTITY_THEFT_CATEGORIES:
            concerns.append(
                "identifiers that raise the risk of identity theft or fraud (SSN, financial "
                "account or card numbers, government ID numbers or credentials)"
            )
        if "sensitive_clinical" in kinds or one(answers, "fi_clinical_detail") == "detailed":
            concerns.append("detailed or sensitive clinical information")
        if one(answers, "fi_reidentification") == "identified":
            concerns.append("the individuals are directly identified")
        elif one(answers, "fi_reidentification") == "likely":
            concerns.append("the individuals can likely be re-identified from context")
    elif code == "ii":
        if one(answers, "fii_recipient") == "unknown":
            decisive.append(
                "the recipient is unknown, so nothing shows it will protect the PHI or not use it"
            )
        if one(answers, "fii_obligated") in (NO, UNKNOWN):
            concerns.append(
                "the recipient is not shown to be obliged to protect the PHI (a HIPAA covered "
                "entity or business associate, or a federal agency bound by the Privacy Act or "
                "FISMA)"
            )
        if one(answers, "fii_can_reidentify") == YES:
            concerns.append("the recipient can identify the individuals")
        elif one(answers, "fii_can_reidentify") == UNKNOWN:
            concerns.append("it is not known whether the recipient can identify the individuals")
    elif code == "iii":
        seen = one(answers, "fiii_acquired_viewed")
        if seen == YES:
            concerns.append("the PHI was actually acquired or viewed")
        elif seen == UNKNOWN:
            decisive.append(
                "it is not known whether the PHI was acquired or viewed, and the burden of proof "
                "is the organisation's (164.414(b))"
            )
    elif code == "iv":
        if one(answers, "fiv_assurance") == "none":
            concerns.append("no assurance was obtained from the recipient")
        if one(answers, "fiv_credibility") == "low":
            concerns.append(
                "the assurances are not credible given who the recipient is (factor (ii))"
            )
        if one(answers, "fiv_complete") == "none":
            # The wording follows the steps ticked: "nothing was done" only when nothing was.
            steps = [step for step in many(answers, "fiv_steps") if step != "none"]
            concerns.append(
                "the steps taken did not mitigate the risk"
                if steps
                else "nothing was done to mitigate the risk"
            )
        viewed = one(answers, "fiii_acquired_viewed") == YES
        no_credible = one(answers, "fiv_assurance") == "none" or (
            one(answers, "fiv_credibility") == "low"
        )
        if viewed and no_credible:
            decisive.append(
                "the PHI was acquired or viewed and no credible assurance limits its further use"
            )
    return concerns, decisive


def findings(answers: Answers) -> tuple[FactorFinding, ...]:
    out = []
    for factor in FACTORS:
        concerns, decisive = _concerns(answers, factor.code)
        cite = f"{factor.citation}; {PREAMBLE}"
        out.append(
            FactorFinding(
                factor,
                one(answers, factor.rating) if one(answers, factor.rating) in RATINGS else "",
                factor_documented(answers, factor),
                tuple(Reason(c[0].upper() + c[1:] + ".", cite) for c in concerns),
                tuple(Reason(d[0].upper() + d[1:] + ".", cite) for d in decisive),
            )
        )
    return tuple(out)


def _factor_summary(finding: FactorFinding, answers: Answers) -> Reason:
    f = finding.factor
    rating = f"rated {RATINGS[finding.rating]}" if finding.rating else "not rated"
    state = "" if finding.documented else " (not documented: answers, rating and evidence needed)"
    evidence = one(answers, f.evidence)
    text = f"Factor ({f.code}), {f.title[0].lower()}{f.title[1:]}: {rating}{state}."
    if evidence:
        text += f" Evidence: {evidence}"
    return Reason(text, f.citation)


def _from_factors(found: tuple[FactorFinding, ...]) -> tuple[Outcome, Reason]:
    cite = "45 CFR 164.402(2)"
    missing = [f"({x.factor.code})" for x in found if not x.documented]
    if missing:
        return Outcome.NOTIFY, Reason(
            f"Factor(s) {', '.join(missing)} not documented: without all four factors the "
            "impermissible use or disclosure stays presumed a breach.",
            cite,
        )
    higher = [f"({x.factor.code}) {RATINGS[x.rating]}" for x in found if x.rating != "low"]
    if higher:
        return Outcome.NOTIFY, Reason(
            f"Not every factor is rated low ({', '.join(higher)}): the assessment does not "
            "demonstrate a low probability that the PHI has been compromised.",
            cite,
        )
    decisive = [d.text for x in found for d in x.decisive]
    if decisive:
        return Outcome.NOTIFY, Reason(
            "Every factor is rated low, but the answers do not support it: " + " ".join(decisive),
            f"{cite}; {BURDEN}",
        )
    return Outcome.LOW_PROBABILITY, Reason(
        "All four factors are documented and rated low, and no answer points to compromise: "
        "a low probability that the PHI has been compromised. No HIPAA notice is owed; the "
        "assessment is kept six years.",
        f"{cite}; 45 CFR 164.530(j)",
    )


# -- the conclusion ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RiskConclusion:
    outcome: Outcome
    reasons: tuple[Reason, ...]
    exception: Exception164402 | None = None
    no_assessment: bool = False
    harbor: SafeHarbor | None = None
    factors: tuple[FactorFinding, ...] = ()

    @property
    def factors_assessed(self) -> bool:
        return bool(self.factors)

    @property
    def undocumented(self) -> tuple[str, ...]:
        """The factors a low-probability conclusion would still need (all four if not walked)."""
        if not self.factors:
            return tuple(f.code for f in FACTORS)
        return tuple(x.factor.code for x in self.factors if not x.documented)


def notify_without_assessment(answers: Answers) -> bool:
    return one(answers, "approach") == "notify"


def assess(answers: Answers, situation: Situation) -> RiskConclusion:
    """The proposed conclusion and every reason for it, in the order of the walk."""
    if notify_without_assessment(answers):
        return RiskConclusion(
            Outcome.NOTIFY,
            (
                Reason(
                    "The organisation chose to notify without an assessment: the breach is "
                    "presumed and the HIPAA notices are owed.",
                    "45 CFR 164.402(2)",
                ),
            ),
            no_assessment=True,
        )
    harbor = safe_harbor(answers, situation)
    reasons = list(harbor.reasons)
    if harbor.secured:
        reasons.append(
            Reason(
                f"Secured PHI ({harbor.method}): not a breach of unsecured PHI, so no notice is "
                "owed under HIPAA; the determination is documented and kept six years.",
                f"{UNSECURED}; 45 CFR 164.530(j)",
            )
        )
        return RiskConclusion(Outcome.SECURED, tuple(reasons), harbor=harbor)
    for which in Exception164402:
        reason = exception_reason(answers, which)
        if reason is not None:
            reasons.append(reason)
        if exception_applies(answers, which):
            explanation = one(answers, EXCEPTION_EXPLANATION[which])
            if explanation:
                reasons.append(Reason(f"Basis: {explanation}", f"45 CFR {which.value}"))
            reasons.append(
                Reason(
                    "An exclusion applies, so this is not a breach: no notice is owed; the "
                    "determination is documented and kept six years.",
                    f"45 CFR 164.402(1); {BURDEN}; 45 CFR 164.530(j)",
                )
            )
            return RiskConclusion(Outcome.EXCEPTION, tuple(reasons), which, harbor=harbor)
    found = findings(answers)
    for finding in found:
        reasons.append(_factor_summary(finding, answers))
        reasons.extend(finding.concerns)
    outcome, last = _from_factors(found)
    reasons.append(last)
    return RiskConclusion(outcome, tuple(reasons), harbor=harbor, factors=found)


# -- the officer's decision and what signing it sets ------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    proposed: Outcome
    chosen: Outcome
    exception: Exception164402 | None
    override_reason: str
    proposed_exception: Exception164402 | None = None

    @property
    def overrides(self) -> bool:
        """The officer concludes otherwise than the tool (another outcome or exception)."""
        return self.chosen is not self.proposed or (
            self.chosen is Outcome.EXCEPTION and self.exception is not self.proposed_exception
        )


def decision_of(answers: Answers, conclusion: RiskConclusion) -> Decision:
    """The officer's choice at the conclusion step (the proposal until they choose)."""
    try:
        chosen = Outcome(one(answers, "chosen_outcome"))
    except ValueError:
        chosen = conclusion.outcome
    exception: Exception164402 | None = None
    if chosen is Outcome.EXCEPTION:
        try:
            exception = Exception164402(one(answers, "chosen_exception"))
        except ValueError:
            exception = conclusion.exception
    return Decision(
        conclusion.outcome,
        chosen,
        exception,
        one(answers, "override_reason"),
        conclusion.exception,
    )


def decision_problems(answers: Answers, conclusion: RiskConclusion) -> dict[str, str]:
    """What stops the chosen conclusion from being signed, by question."""
    problems: dict[str, str] = {}
    decision = decision_of(answers, conclusion)
    if conclusion.no_assessment and decision.chosen is not Outcome.NOTIFY:
        problems["chosen_outcome"] = (
            "you chose to notify without an assessment; to conclude otherwise, go back to the "
            "first step and choose to assess"
        )
    if decision.chosen is Outcome.LOW_PROBABILITY and conclusion.undocumented:
        missing = ", ".join(f"({c})" for c in conclusion.undocumented)
        problems["chosen_outcome"] = (
            "a low-probability conclusion cannot be signed while a factor is undocumented: "
            f"factor(s) {missing} need their answers, a rating and evidence (164.402(2))"
            + (
                ""
                if conclusion.factors_assessed
                else "; the walk did not reach the four factors because the answers show secured "
                "PHI or an exception"
            )
        )
    if decision.chosen is Outcome.EXCEPTION and decision.exception is None:
        problems["chosen_exception"] = "name the exception of 164.402(1) that applies"
    problems.update(_factual_problems(answers, conclusion, decision))
    if decision.overrides and not decision.override_reason:
        problems["override_reason"] = (
            "you conclude differently from the proposal: write why (the burden of proof is the "
            "organisation's, 164.414(b))"
        )
    return problems


def _factual_problems(
    answers: Answers, conclusion: RiskConclusion, decision: Decision
) -> dict[str, str]:
    """Secured PHI and the three exclusions are facts, not judgement (docs/law/federal.md): the
    officer may conclude "notify" against the proposal, or a low probability with the factors
    documented, but "secured" or an exception only when the answers establish it."""
    if conclusion.no_assessment:
        return {}  # refused above: notify without an assessment is notify
    harbor = conclusion.harbor
    if decision.chosen is Outcome.SECURED and not (harbor is not None and harbor.secured):
        return {
            "chosen_outcome": "the answers do not show secured PHI: that needs encryption "
            "meeting the HHS guidance with the key not compromised and the device off, locked or "
            "not a device, or destruction to the guidance (paper shredded; media per NIST SP "
            "800-88 Rev. 2) (45 CFR 164.402 'unsecured PHI'; 74 FR 19006). An override reason "
            "cannot make PHI secured; correct the safe-harbor answers or choose another conclusion"
        }
    which = decision.exception
    if decision.chosen is not Outcome.EXCEPTION or which is None:
        return {}
    if exception_applies(answers, which):
        return {}
    failed = [p for key, p in EXCEPTION_TESTS[which] if one(answers, key) != YES]
    return {
        "chosen_exception": f"the answers do not establish {which.value}: {'; '.join(failed)}. "
        "An exception is a matter of fact, not of judgement; an override reason cannot supply "
        "it (45 CFR 164.402(1); 164.414(b))"
    }


def facts_secured(conclusion: RiskConclusion, decision: Decision) -> bool:
    """Encrypted to the guidance with the key intact, and concluded so: every State's definition
    then excludes the incident too (docs/law/new-york.md), so no state determination is needed."""
    harbor = conclusion.harbor
    return (
        decision.chosen is Outcome.SECURED
        and harbor is not None
        and harbor.phi_encrypted is True
        and harbor.key_compromised is False
    )


def good_faith_workforce(decision: Decision) -> bool:
    """164.402(1)(i) facts also meet the States' good-faith exclusions (docs/law/new-york.md)."""
    return decision.exception is Exception164402.GOOD_FAITH_WORKFORCE


def state_law_may_apply(answers: Answers, situation: Situation) -> bool:
    """Whether a state determination can still matter after this HIPAA conclusion."""
    if notify_without_assessment(answers):
        return False
    conclusion = assess(answers, situation)
    decision = decision_of(answers, conclusion)
    return not facts_secured(conclusion, decision) and not good_faith_workforce(decision)


@dataclass(frozen=True, slots=True)
class Determination:
    """A State determination the assessment records: the step of the walk that asks it, the
    incident fact (and signed-facts key) it sets, and what signing sets when the step was shown."""

    step: str  # "ny_determination"
    fact: str  # "ny_harm_determination_on" (the incident JSON format)
    made: Callable[[Answers, Decision, date], date | str | None]
    # Why the record says so, once made (the signed assessment's reasons).
    reason: Callable[[date | str, Situation], Reason]
    # A date the signing sets: re-signing keeps the first (`services.assessments`), so the
    # deadline it starts is not restarted.
    dated: bool = True


@dataclass(frozen=True, slots=True)
class StateRisk:
    """What a jurisdiction adds to the assessment's conclusion (its folder's risk.py)."""

    determinations: tuple[Determination, ...] = ()
    # What the HIPAA conclusion does not settle under its law, said before the determinations.
    caveat: Callable[[SignedFacts, Situation, Decision], Reason | None] | None = None


def state_risks() -> tuple[StateRisk, ...]:
    """Every jurisdiction's part, in registry order (read when used: the folders' risk.py read
    this module)."""
    from incident_tracker.core.jurisdictions.registry import state_risks as registered

    return registered()


def determinations() -> tuple[Determination, ...]:
    return tuple(d for s in state_risks() for d in s.determinations)


@dataclass(frozen=True, slots=True)
class SignedFacts:
    """The the incident JSON format (README.md, Calculator) facts a signed assessment sets on the
    incident."""

    risk_assessment: RiskAssessment
    exception: Exception164402 | None
    phi_encrypted: bool | None
    encryption_key_compromised: bool | None
    # (fact, value) of each State determination (`Determination.fact`), in registry order.
    determinations: tuple[tuple[str, date | str | None], ...] = ()

    def determination(self, fact: str) -> date | str | None:
        return dict(self.determinations).get(fact)

    def to_json(self) -> dict[str, object]:
        return {
            "risk_assessment": self.risk_assessment.value,
            "exception": self.exception.value if self.exception else None,
            "phi_encrypted": self.phi_encrypted,
            "encryption_key_compromised": self.encryption_key_compromised,
            **{k: v.isoformat() if isinstance(v, date) else v for k, v in self.determinations},
        }


def signed_facts(
    answers: Answers, situation: Situation, signed_on: date, shown: Collection[str]
) -> SignedFacts:
    """The facts of the signed decision. A determination's date is the signing date (NY2 runs
    from it; a re-signature keeps an unchanged earlier one, `services.assessments`). `shown` are
    the steps the walk showed: a State determination is set only where its step was asked."""
    conclusion = assess(answers, situation)
    decision = decision_of(answers, conclusion)
    harbor = conclusion.harbor
    phi_encrypted = harbor.phi_encrypted if harbor else None
    key = harbor.key_compromised if harbor else None
    if decision.chosen is not Outcome.SECURED and phi_encrypted is True and key is False:
        # Concluding otherwise than "secured" means not relying on the encryption: the engine
        # (and every State) must not treat the PHI as secured, so the key is "not established".
        key = None
    return SignedFacts(
        risk_assessment=RISK_FACT[decision.chosen],
        exception=decision.exception if decision.chosen is Outcome.EXCEPTION else None,
        phi_encrypted=phi_encrypted,
        encryption_key_compromised=key,
        determinations=tuple(
            (d.fact, d.made(answers, decision, signed_on) if d.step in shown else None)
            for d in determinations()
        ),
    )


def state_reasons(
    facts: SignedFacts, situation: Situation, decision: Decision
) -> tuple[Reason, ...]:
    """What the HIPAA conclusion does not settle: each State's own test (docs/law/federal.md),
    then the determinations signed."""
    parts = state_risks()
    caveats = (s.caveat(facts, situation, decision) for s in parts if s.caveat)
    made = (
        d.reason(value, situation)
        for d in determinations()
        if (value := facts.determination(d.fact)) is not None
    )
    return tuple(r for r in (*caveats, *made) if r is not None)
