"""The incident JSON format's data elements (README.md, Calculator), grouped as the statutes
group them, for the incident form. Each group's note says which jurisdictions' laws count its
elements, composed from the jurisdictions' own declarations (core/jurisdictions/element_notes.py).
"""

from __future__ import annotations

from incident_tracker.core.jurisdictions.element_notes import group_note

Items = tuple[tuple[str, str], ...]

_GROUPS: tuple[tuple[str, Items], ...] = (
    (
        "Identifiers",
        (
            ("name", "Name"),
            ("address", "Address"),
            ("email", "E-mail address"),
            ("phone", "Telephone number"),
            ("date_of_birth", "Date of birth"),
            ("medical_record_number", "Medical record number"),
        ),
    ),
    (
        "Government identifiers",
        (
            ("ssn", "Social Security number"),
            ("drivers_license", "Driver's licence or State ID"),
            ("passport", "Passport number"),
            ("tax_id", "Taxpayer ID"),
            ("military_id", "Military ID"),
        ),
    ),
    (
        "Financial",
        (
            ("account_number_with_access_code", "Account or card number with its access code"),
            ("account_number", "Account number without a code"),
        ),
    ),
    (
        "Credentials and biometrics",
        (
            ("online_credentials", "User name or e-mail with password or security answers"),
            ("biometric", "Biometric data"),
            ("genetic_data", "Genetic data"),
        ),
    ),
    (
        "Health insurance",
        (
            ("insurance_member_id", "Insurance member ID"),
            ("member_id", "Member ID"),
            ("health_insurance_id", "Health insurance policy number"),
            ("claims", "Claims or appeals history"),
        ),
    ),
    (
        "Medical",
        (
            ("diagnosis", "Diagnosis"),
            ("diagnosis_codes", "Diagnosis codes"),
            ("procedure_codes", "Procedure codes"),
            ("medications", "Medications"),
            ("lab_results", "Lab results"),
            ("treatment", "Treatment information"),
            ("services_billed", "Services billed"),
            ("appointment_date", "Appointment dates"),
            ("sud_treatment_records", "Substance use disorder treatment records (42 CFR Part 2)"),
        ),
    ),
)

# (title, note, (element, label) ...) per group, in the form's order.
ELEMENT_GROUPS: tuple[tuple[str, str, Items], ...] = tuple(
    (title, group_note(items), items) for title, items in _GROUPS
)
