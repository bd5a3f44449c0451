"""The walk, as data: every step, question, choice and help text, with the section it comes from.

Order: how the organisation decides; secured PHI (encryption, destruction); the three exclusions of
164.402(1); the four factors of 164.402(2); the conclusion; the state determinations that still
matter after it (NY 899-aa(2)(a), NJ 56:8-163(a), 22 CCR 79901(b)(1)); the signature.
A step's `applies` decides whether the walk shows it; `core.wizard` does the walking.
"""

from __future__ import annotations

from incident_tracker.core import risk
from incident_tracker.core.assessment.answers import Answers, Situation, one
from incident_tracker.core.assessment.questions import (
    YES,
    YES_NO,
    YES_NO_UNKNOWN,
    Choice,
    Condition,
    Kind,
    Question,
    Step,
)
from incident_tracker.core.assessment.questions import (
    all_yes as _all_yes,
)
from incident_tracker.core.assessment.questions import (
    text_question as _text,
)
from incident_tracker.core.facts import Exception164402
from incident_tracker.core.jurisdictions.registry import assessment_steps

E1, E2, E3 = Exception164402


def _assessing(a: Answers, _s: Situation) -> bool:
    return one(a, "approach") == "assess"


def _electronic(_a: Answers, s: Situation) -> bool:
    return s.electronic


def _encrypted(a: Answers, s: Situation) -> bool:
    return _assessing(a, s) and s.electronic and one(a, "encrypted") == YES


def _unsecured(a: Answers, s: Situation) -> bool:
    return _assessing(a, s) and not risk.safe_harbor(a, s).secured


def _after(*earlier: Exception164402) -> Condition:
    """An exclusion's step: PHI unsecured and none of the earlier exclusions applies."""

    def applies(a: Answers, s: Situation) -> bool:
        return _unsecured(a, s) and not any(risk.exception_applies(a, e) for e in earlier)

    return applies


def _factors(a: Answers, s: Situation) -> bool:
    return _unsecured(a, s) and risk.exception_found(a) is None


def _optional_text(key: str, text: str, help: str = "") -> Question:
    return Question(key, text, Kind.TEXT, help=help, required=lambda a, s: False)


RATINGS = (
    Choice("low", "Low: this factor points to a low probability of compromise"),
    Choice("medium", "Moderate"),
    Choice("high", "High: this factor points to compromise"),
)


def _rating(key: str) -> Question:
    return Question(
        key,
        "Your rating of this factor",
        choices=RATINGS,
        help="A factor counts as documented only with its answers, a rating and the evidence; "
        "a low-probability conclusion needs all four documented (164.402(2)).",
        required=lambda a, s: False,
    )


def _evidence(key: str, help: str) -> Question:
    return _optional_text(key, "Evidence and reasoning for this factor", help)


APPROACH = Step(
    "approach",
    "How will you decide?",
    "45 CFR 164.402(2)",
    "An impermissible acquisition, access, use or disclosure of PHI is presumed to be a breach "
    "unless the organisation demonstrates, by a risk assessment of at least four factors, a low "
    "probability that the PHI has been compromised, or the PHI was secured, or an exception "
    "applies. The burden of proof is the organisation's (164.414(b)); the record is kept six "
    "years (164.530(j)). The notice clock runs from discovery either way (164.404(a)(2)).",
    (
        Question(
            "approach",
            "Assess the risk, or notify without an assessment?",
            choices=(
                Choice("assess", "Assess: secured PHI, the exceptions and the four factors"),
                Choice(
                    "notify",
                    "Notify without an assessment: treat it as a breach and send every notice",
                ),
            ),
            help="The organisation may notify without assessing (45 CFR 164.402(2): a breach is "
            "presumed); the record then says so.",
        ),
    ),
)

SAFE_HARBOR = Step(
    "safe_harbor",
    "Secured or unsecured PHI",
    "45 CFR 164.402 ('unsecured protected health information'); 74 FR 19006; 74 FR 42740",
    "The notice duties apply only to unsecured PHI: PHI not rendered unusable, unreadable or "
    "indecipherable to unauthorized persons by a technology or method in the HHS guidance. "
    "Only two methods qualify: encryption to the guidance with the key intact, and destruction.",
    (
        Question(
            "encrypted",
            "Was the PHI encrypted when it was exposed?",
            choices=YES_NO_UNKNOWN,
            help="Encryption (164.304): 'an algorithmic process to transform data into a form in "
            "which there is a low probability of assigning meaning without use of a confidential "
            "process or key'. A password on a file or a device without encryption is not "
            "encryption.",
            asked=_electronic,
        ),
        Question(
            "destruction",
            "Had the PHI been destroyed before it was exposed (e.g. disposed of)?",
            choices=(
                Choice("none", "No: this is not about disposed-of PHI"),
                Choice(
                    "shredded",
                    "Paper, film or other hard copy shredded or destroyed so that it cannot be "
                    "read or reconstructed",
                ),
                Choice(
                    "sanitized",
                    "Electronic media cleared, purged or destroyed consistent with NIST SP "
                    "800-88 Rev. 2",
                ),
                Choice("redacted", "Redacted (blacked out) only"),
                Choice("incomplete", "Discarded or partly destroyed, not as above"),
            ),
            help="HHS guidance: 'redaction is specifically excluded as a means of data "
            "destruction'. Electronic media count as destroyed only when cleared, purged or "
            "destroyed consistent with NIST SP 800-88 Rev. 2 (September 2025, replacing Rev. 1); "
            "degaussing is no longer an approved destroy technique.",
        ),
        _text(
            "destruction_evidence",
            "How the destruction is documented (e.g. certificate of destruction, sanitization log)",
            required=lambda a, s: one(a, "destruction") in ("shredded", "sanitized"),
        ),
    ),
    applies=_assessing,
)

ENCRYPTION = Step(
    "encryption",
    "Encryption to the HHS guidance, and the key",
    "45 CFR 164.304; 74 FR 19006; NIST SP 800-111, 800-52, 800-77, 800-113; FIPS 140-2/140-3",
    "Encrypted PHI is secured only if the encryption meets the guidance and the key or process "
    "was not breached (keys should be kept apart from the data). Encrypted with the key intact: "
    "not a breach of unsecured PHI. Key compromised: unsecured, full analysis.",
    (
        Question(
            "encryption_use",
            "Was the PHI at rest or in motion?",
            choices=(
                Choice("at_rest", "At rest: stored on a device, disk, backup, server or media"),
                Choice("in_motion", "In motion: being transmitted over a network"),
            ),
        ),
        Question(
            "encryption_standard",
            "Which standard does the encryption follow?",
            choices=(
                Choice("sp800_111", "At rest: consistent with NIST SP 800-111"),
                Choice("sp800_52", "In motion: NIST SP 800-52 (TLS)"),
                Choice("sp800_77", "In motion: NIST SP 800-77 (IPsec VPN)"),
                Choice("sp800_113", "In motion: NIST SP 800-113 (SSL VPN)"),
                Choice("other", "Another method"),
                Choice("unknown", "Not known"),
            ),
            help="At rest: NIST SP 800-111. In motion: NIST SP 800-52, 800-77 or 800-113, or "
            "others that are FIPS 140-2 validated.",
        ),
        Question(
            "fips",
            "Is the cryptographic module FIPS-validated?",
            choices=(
                Choice("140-3", "FIPS 140-3 validated"),
                Choice("140-2", "FIPS 140-2 validated"),
                Choice("none", "Not validated"),
                Choice("unknown", "Not known"),
            ),
            help="The guidance names FIPS 140-2; NIST has since moved to FIPS 140-3, and every "
            "FIPS 140-2 certificate went to the CMVP Historical list on 2026-09-21. Either is "
            "accepted and the record says which; a FIPS 140-2 module is recorded with a warning.",
        ),
        Question(
            "key_compromised",
            "Was the key, password or other credential that decrypts it also exposed or taken?",
            choices=YES_NO_UNKNOWN,
            help="E.g. the password was on a note with the laptop, the key sat on the same "
            "server, or the attacker had the account. Not known counts against the safe harbor "
            "(164.414(b)).",
        ),
        Question(
            "device_state",
            "If a device was lost or stolen, what state was it in?",
            choices=(
                Choice("not_a_device", "Not a lost or stolen device"),
                Choice("off", "Powered off or hibernated (the disk was locked)"),
                Choice("locked", "On, with the screen locked"),
                Choice("signed_in", "On and signed in: the data were readable"),
                Choice("unknown", "Not known"),
            ),
            help="A machine stolen while running and signed in may expose decrypted data.",
        ),
        _text(
            "encryption_evidence",
            "How the encryption and the key's safety are documented (e.g. MDM or BitLocker "
            "report, key escrow record)",
        ),
    ),
    applies=_encrypted,
)

EXCEPTION_I = Step(
    "exception_i",
    "Exception 164.402(1)(i): good-faith workforce access",
    "45 CFR 164.402(1)(i)",
    "Not a breach: an unintentional acquisition, access or use of PHI by a workforce member or "
    "person acting under the authority of the covered entity or business associate, made in good "
    "faith and within the scope of authority, and not further used or disclosed in a manner the "
    "Privacy Rule does not permit (e.g. C10: a nurse opens the wrong chart and closes it).",
    (
        Question(
            "ei_workforce",
            "Was it a workforce member, or a person acting under the authority of the "
            "organisation (or its business associate)?",
            choices=YES_NO,
        ),
        Question(
            "ei_unintentional", "Was the acquisition, access or use unintentional?", choices=YES_NO
        ),
        Question("ei_good_faith", "Was it made in good faith?", choices=YES_NO),
        Question(
            "ei_scope",
            "Was it within the scope of the person's authority (their job)?",
            choices=YES_NO,
        ),
        Question(
            "ei_no_further",
            "Was the PHI NOT further used or disclosed in a manner the Privacy Rule does not "
            "permit?",
            choices=YES_NO,
        ),
        _text(
            "ei_explanation",
            "What happened and how you know (e.g. interview, access-log review)",
            required=_all_yes(*(k for k, _ in risk.EXCEPTION_TESTS[E1])),
            help="Required when every answer is yes: the exception must be documented "
            "(164.414(b), 164.530(j)).",
        ),
    ),
    applies=_after(),
)

EXCEPTION_II = Step(
    "exception_ii",
    "Exception 164.402(1)(ii): inadvertent disclosure between authorized persons",
    "45 CFR 164.402(1)(ii)",
    "Not a breach: an inadvertent disclosure by a person authorized to access PHI at a covered "
    "entity or business associate to another person authorized to access PHI at the same covered "
    "entity, business associate or organized health care arrangement, with no further "
    "impermissible use or disclosure.",
    (
        Question(
            "eii_authorized_sender",
            "Was the person who disclosed it authorized to access PHI at the covered entity or "
            "business associate?",
            choices=YES_NO,
        ),
        Question(
            "eii_authorized_recipient",
            "Was the recipient authorized to access PHI at the same covered entity, business "
            "associate, or organized health care arrangement?",
            choices=YES_NO,
        ),
        Question("eii_inadvertent", "Was the disclosure inadvertent?", choices=YES_NO),
        Question(
            "eii_no_further",
            "Was the PHI NOT further used or disclosed impermissibly?",
            choices=YES_NO,
        ),
        _text(
            "eii_explanation",
            "What happened and how you know",
            required=_all_yes(*(k for k, _ in risk.EXCEPTION_TESTS[E2])),
            help="Required when every answer is yes.",
        ),
    ),
    applies=_after(E1),
)

EXCEPTION_III = Step(
    "exception_iii",
    "Exception 164.402(1)(iii): the recipient could not have retained it",
    "45 CFR 164.402(1)(iii)",
    "Not a breach: a disclosure where the organisation has a good-faith belief that the "
    "unauthorized recipient would not reasonably have been able to retain the information (e.g. "
    "C11: mail returned unopened; a document handed to the wrong patient and taken back at once).",
    (
        Question(
            "eiii_good_faith_belief",
            "Do you believe in good faith that the unauthorized recipient would not reasonably "
            "have been able to retain the information?",
            choices=YES_NO,
        ),
        _text(
            "eiii_explanation",
            "The facts that support that belief",
            required=_all_yes("eiii_good_faith_belief"),
            help="Required when the answer is yes.",
        ),
    ),
    applies=_after(E1, E2),
)

IDENTIFIER_KINDS = (
    Choice(
        "direct_identifiers", "Names, addresses, contact details, dates of birth, record numbers"
    ),
    Choice("ssn", "Social Security numbers"),
    Choice("financial", "Financial account or card numbers"),
    Choice("government_id", "Driver's licence, passport, tax or military ID numbers"),
    Choice("credentials", "User names or e-mail addresses with passwords"),
    Choice("biometric_genetic", "Biometric or genetic data"),
    Choice("insurance", "Health insurance member IDs or claims"),
    Choice("clinical", "Diagnoses, treatment, medications, test results, services"),
    Choice(
        "sensitive_clinical",
        "Especially sensitive clinical information (mental health, substance use, HIV, "
        "reproductive health)",
    ),
    Choice("limited", "Only dates of service or appointment details"),
)
# The incident's the incident JSON format (README.md, Calculator) data elements, as the kinds
# factor (i) asks about (a first answer).
ELEMENT_KINDS: dict[str, str] = {
    **dict.fromkeys(
        ("name", "address", "email", "phone", "date_of_birth", "medical_record_number"),
        "direct_identifiers",
    ),
    "ssn": "ssn",
    "account_number_with_access_code": "financial",
    "account_number": "financial",
    **dict.fromkeys(("drivers_license", "passport", "tax_id", "military_id"), "government_id"),
    "online_credentials": "credentials",
    "biometric": "biometric_genetic",
    "genetic_data": "biometric_genetic",
    **dict.fromkeys(
        ("insurance_member_id", "member_id", "health_insurance_id", "claims"), "insurance"
    ),
    **dict.fromkeys(
        (
            "diagnosis",
            "diagnosis_codes",
            "procedure_codes",
            "medications",
            "lab_results",
            "treatment",
            "services_billed",
        ),
        "clinical",
    ),
    "sud_treatment_records": "sensitive_clinical",
    "appointment_date": "limited",
}

FACTOR_I = Step(
    "factor_i",
    "Factor (i): the nature and extent of the PHI",
    "45 CFR 164.402(2)(i)",
    "'The nature and extent of the protected health information involved, including the types "
    "of identifiers and the likelihood of re-identification.' HHS: how sensitive the data are "
    "(financial data raise the risk of identity theft or fraud; clinical detail such as "
    "diagnosis, treatment, medications or test results), and, with few direct identifiers, "
    "whether the data could be re-identified from context or linked data.",
    (
        Question(
            "fi_identifiers",
            "Which kinds of information were involved?",
            Kind.MULTI,
            IDENTIFIER_KINDS,
            help="Started from the data elements recorded on the incident.",
        ),
        Question(
            "fi_clinical_detail",
            "How much clinical detail?",
            choices=(
                Choice("none", "None"),
                Choice("limited", "Limited (e.g. an appointment date or a provider's name)"),
                Choice(
                    "detailed",
                    "Detailed (diagnosis, treatment plan, medications, test results, history)",
                ),
            ),
        ),
        Question(
            "fi_reidentification",
            "Can the individuals be identified?",
            choices=(
                Choice("identified", "Yes: direct identifiers such as names are present"),
                Choice(
                    "likely",
                    "Likely: few direct identifiers, but re-identifiable from context or linked "
                    "data",
                ),
                Choice("unlikely", "Not reasonably: no direct identifiers and no linkable context"),
            ),
        ),
        _rating("fi_rating"),
        _evidence("fi_evidence", "E.g. which fields of which records, how many rows, samples."),
    ),
    applies=_factors,
)

FACTOR_II = Step(
    "factor_ii",
    "Factor (ii): the unauthorized person",
    "45 CFR 164.402(2)(ii)",
    "'The unauthorized person who used the protected health information or to whom the "
    "disclosure was made.' HHS: a recipient who must itself protect the data (another HIPAA "
    "covered entity or business associate, or a federal agency bound by the Privacy Act or "
    "FISMA) gives a lower probability; one who can re-identify the data (e.g. the individual's "
    "employer) a higher one.",
    (
        Question(
            "fii_recipient",
            "Who received, used or viewed it?",
            choices=(
                Choice("covered_entity", "Another HIPAA covered entity"),
                Choice("business_associate", "A business associate"),
                Choice("federal_agency", "A federal agency bound by the Privacy Act or FISMA"),
                Choice("own_workforce", "A member of our own workforce"),
                Choice(
                    "known_other",
                    "A known person or organisation not bound by HIPAA (e.g. an employer, a "
                    "relative, a vendor without an agreement)",
                ),
                Choice("unknown", "Unknown (e.g. a thief, an attacker, lost in transit)"),
            ),
        ),
        Question(
            "fii_obligated",
            "Is the recipient obliged to protect the information (HIPAA, the Privacy Act or "
            "FISMA, or a confidentiality agreement)?",
            choices=YES_NO_UNKNOWN,
        ),
        Question(
            "fii_can_reidentify",
            "Could the recipient identify the individuals, or link the information to them?",
            choices=YES_NO_UNKNOWN,
        ),
        _rating("fii_rating"),
        _evidence("fii_evidence", "E.g. who the recipient is, their agreement with you."),
    ),
    applies=_factors,
)

FACTOR_III = Step(
    "factor_iii",
    "Factor (iii): actually acquired or viewed",
    "45 CFR 164.402(2)(iii)",
    "'Whether the protected health information was actually acquired or viewed.' HHS: a letter "
    "opened and read by the wrong person was viewed; a stolen laptop recovered with forensic "
    "analysis showing the PHI was never accessed was not, and there was only the opportunity.",
    (
        Question(
            "fiii_acquired_viewed",
            "Was the PHI actually acquired or viewed?",
            choices=(
                Choice("yes", "Yes: acquired or viewed"),
                Choice("no", "No: only the opportunity, and the evidence shows it"),
                Choice("unknown", "Not known"),
            ),
        ),
        Question(
            "fiii_evidence_kind",
            "What evidence is there?",
            choices=(
                Choice("forensic", "Forensic analysis"),
                Choice("logs", "Access or audit logs"),
                Choice("attestation", "The recipient's statement or attestation"),
                Choice("returned_unopened", "Returned unopened or intact"),
                Choice("none", "None"),
            ),
        ),
        _rating("fiii_rating"),
        _evidence("fiii_evidence", "E.g. the forensic report's finding, the log entries."),
    ),
    applies=_factors,
)

FACTOR_IV = Step(
    "factor_iv",
    "Factor (iv): mitigation",
    "45 CFR 164.402(2)(iv)",
    "'The extent to which the risk to the protected health information has been mitigated.' "
    "HHS: satisfactory assurances (a confidentiality agreement, an attestation that the PHI was "
    "deleted or destroyed), how credible they are given who the recipient is (factor (ii)), and "
    "how complete and effective the mitigation was.",
    (
        Question(
            "fiv_steps",
            "What was done?",
            Kind.MULTI,
            (
                Choice("retrieved", "The PHI was retrieved or returned"),
                Choice("deleted_attested", "The recipient deleted or destroyed it and attested so"),
                Choice(
                    "confidentiality_agreement", "The recipient signed a confidentiality agreement"
                ),
                Choice("remote_wipe", "The device was remotely wiped or locked"),
                Choice("credentials_reset", "Passwords or keys were changed"),
                Choice("other", "Something else (describe below)"),
                Choice("none", "Nothing"),
            ),
        ),
        Question(
            "fiv_assurance",
            "What assurance did the recipient give?",
            choices=(
                Choice("written", "Written (a signed attestation or agreement)"),
                Choice("oral", "Oral only"),
                Choice("none", "None"),
            ),
        ),
        Question(
            "fiv_credibility",
            "How credible is that assurance, given who the recipient is?",
            choices=(
                Choice(
                    "high",
                    "Credible: the recipient is bound to protect PHI or has no motive to misuse it",
                ),
                Choice("medium", "Some doubt"),
                Choice("low", "Not credible"),
                Choice("not_applicable", "No assurance to judge"),
            ),
        ),
        Question(
            "fiv_complete",
            "How complete was the mitigation?",
            choices=(
                Choice("complete", "Complete: every copy is accounted for"),
                Choice("partial", "Partial"),
                Choice("none", "None"),
            ),
        ),
        _rating("fiv_rating"),
        _evidence("fiv_evidence", "E.g. the attestation's date and signer, what was wiped."),
    ),
    applies=_factors,
)

CONCLUSION = Step(
    "conclusion",
    "Conclusion",
    "45 CFR 164.402; 164.414(b); 164.530(j)",
    "The tool proposes a conclusion from your answers, with its reasons. You decide: if you "
    "conclude differently, write why. A low-probability conclusion needs all four factors "
    "documented.",
    (
        Question(
            "chosen_outcome",
            "Your conclusion",
            choices=tuple(Choice(o.value, label) for o, label in risk.OUTCOME_LABELS.items()),
        ),
        Question(
            "chosen_exception",
            "If an exception applies, which one?",
            choices=tuple(Choice(e.value, e.value) for e in Exception164402),
            required=lambda a, s: one(a, "chosen_outcome") == risk.Outcome.EXCEPTION,
        ),
        _optional_text(
            "override_reason",
            "If you conclude differently from the proposal, why?",
            "Required when your conclusion differs from the proposal; both are recorded.",
        ),
    ),
)

ATTESTATION = (
    "I attest that this risk assessment was made in good faith, that the answers and evidence "
    "recorded in it are accurate and complete to the best of my knowledge, and that its "
    "conclusion is reasonable in light of them. I understand that the organisation bears the "
    "burden of demonstrating that all notifications were made as required or that the use or "
    "disclosure did not constitute a breach (45 CFR 164.414(b)), and that this record is kept "
    "for six years (45 CFR 164.530(j))."
)

SIGN = Step(
    "sign",
    "Review and sign",
    "45 CFR 164.402(2); 164.414(b); 164.530(j)",
    "Signing records an immutable assessment (a new version if one was signed before), sets the "
    "incident's facts below and recomputes its obligations. The signing date is today, in the "
    "organisation's time zone; any state determination above is dated today.",
    (
        Question("signer_name", "Your full name, as your signature", Kind.TEXT, max_length=200),
        Question(
            "attest",
            "Attestation",
            Kind.MULTI,
            (Choice("yes", "I attest to the statement above"),),
            help=ATTESTATION,
        ),
    ),
)

STEPS: tuple[Step, ...] = (
    APPROACH,
    SAFE_HARBOR,
    ENCRYPTION,
    EXCEPTION_I,
    EXCEPTION_II,
    EXCEPTION_III,
    FACTOR_I,
    FACTOR_II,
    FACTOR_III,
    FACTOR_IV,
    CONCLUSION,
    *assessment_steps(),
    SIGN,
)
