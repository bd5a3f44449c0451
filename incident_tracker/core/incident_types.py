"""Incident types from coding and billing work: what each prefills and the questions that decide it.

A type only prefills and guides; the officer confirms every fact. Citations point at the statutes
(docs/law/).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IncidentType:
    key: str
    label: str
    breach_type: str  # core.portal.BREACH_TYPES
    location: str  # core.portal.LOCATIONS
    medium: str
    acquired: bool | None
    data_elements: tuple[str, ...]
    questions: tuple[str, ...]


INCIDENT_TYPES: tuple[IncidentType, ...] = (
    IncidentType(
        "claim_wrong_payer",
        "Claim or EDI file sent to the wrong payer",
        "unauthorized_access_disclosure",
        "network_server",
        "electronic",
        True,
        (
            "name",
            "date_of_birth",
            "address",
            "member_id",
            "claims",
            "diagnosis_codes",
            "procedure_codes",
            "services_billed",
        ),
        (
            "Is the receiving payer a HIPAA covered entity bound to protect the data? That lowers "
            "the probability of compromise (164.402(2)(ii)).",
            "Did the payer attest in writing that it deleted the file without further use? "
            "(164.402(2)(iv))",
            "How many members, in which States? Claims and member ids are NY health insurance "
            "information from 2025-03-21 and CA personal information.",
        ),
    ),
    IncidentType(
        "lost_device",
        "Lost or stolen laptop or media",
        "theft",
        "laptop",
        "electronic",
        True,
        ("name", "date_of_birth", "medical_record_number", "diagnosis"),
        (
            "Was the device encrypted to NIST SP 800-111 with the key or password kept apart and "
            "not taken? Then the PHI is not 'unsecured' (164.402; HHS guidance).",
            "Was it powered off when lost? A running, logged-in machine may expose decrypted data.",
            "Was a police report made, and did law enforcement ask for a delay (164.412)?",
        ),
    ),
    IncidentType(
        "ai_tool_no_baa",
        "PHI pasted into a consumer AI tool with no business associate agreement",
        "unauthorized_access_disclosure",
        "other",
        "electronic",
        True,
        ("name", "date_of_birth", "diagnosis", "treatment", "medications"),
        (
            "The tool's provider has no BAA, so it is not bound to protect the PHI "
            "(164.402(2)(ii)); does its terms of use keep or train on inputs?",
            "Can the conversation be deleted, and is there evidence it was (164.402(2)(iv))?",
            "Which patients' details were pasted, and how identifiable were they (164.402(2)(i))?",
        ),
    ),
    IncidentType(
        "workforce_snooping",
        "A workforce member opening records outside assigned work",
        "unauthorized_access_disclosure",
        "electronic_medical_record",
        "electronic",
        False,
        ("name", "medical_record_number", "diagnosis", "lab_results"),
        (
            "When did anyone other than the workforce member know, or should have known (access "
            "audit, alert)? Their own knowledge does not start the clock (164.404(a)(2)).",
            "Viewing outside assigned work is not the good-faith exception of 164.402(1)(i).",
            "Were records only viewed, or copied or exported? View-only is not 'acquisition' under "
            "Cal. Civ. Code 1798.82, but a CDPH-licensed facility still reports access "
            "(H&S 1280.15).",
            "What sanctions were applied (164.530(e))?",
        ),
    ),
    IncidentType(
        "emailed_personal_account",
        "Records e-mailed to a personal account",
        "unauthorized_access_disclosure",
        "email",
        "electronic",
        True,
        ("name", "date_of_birth", "member_id", "claims", "diagnosis_codes"),
        (
            "Whose account received it, and was it forwarded or downloaded further?",
            "Did the workforce member attest to deletion from the account and any devices "
            "(164.402(2)(iv))?",
        ),
    ),
    IncidentType(
        "paper_left_out",
        "Paper worksheets left out or improperly discarded",
        "improper_disposal",
        "paper_films",
        "paper",
        None,
        ("name", "date_of_birth", "medical_record_number", "diagnosis_codes", "procedure_codes"),
        (
            "Paper PHI is covered by HIPAA and by H&S 1280.15, but not by the 'computerized data' "
            "statutes of NY, NJ and Cal. Civ. Code 1798.82.",
            "Was it shredded so it cannot be reconstructed? Redaction is not destruction "
            "(HHS guidance, NIST SP 800-88 Rev. 2).",
            "Who could have seen or taken it, and for how long?",
        ),
    ),
    IncidentType(
        "vendor_ransomware",
        "A vendor's ransomware",
        "hacking_it_incident",
        "network_server",
        "electronic",
        True,
        ("name", "address", "date_of_birth", "ssn", "member_id", "claims", "diagnosis_codes"),
        (
            "Ransomware encryption of ePHI is an 'acquisition' presumed to be a breach (OCR fact "
            "sheet, 2016); was data also exfiltrated?",
            "Is the vendor the covered entity's agent (right to control its conduct)? Then the "
            "vendor's discovery date starts the covered entity's clocks (45 CFR 164.404(a)(2)).",
            "When did the vendor tell the covered entity, and what does the BAA's notice window "
            "require?",
        ),
    ),
)

BY_KEY: dict[str, IncidentType] = {t.key: t for t in INCIDENT_TYPES}
