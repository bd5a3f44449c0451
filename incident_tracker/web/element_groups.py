"""The the incident JSON format (README.md, Calculator) data elements, grouped as the statutes
group them, for the incident form."""

from __future__ import annotations

ELEMENT_GROUPS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Identifiers",
        "Count only together with a listed element (NY, NJ, CA).",
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
        "SSN and licence: NY, NJ and CA; the others: CA.",
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
        "With its access code: NY, NJ and CA.",
        (
            ("account_number_with_access_code", "Account or card number with its access code"),
            ("account_number", "Account number without a code"),
        ),
    ),
    (
        "Credentials and biometrics",
        "Online credentials: NY, NJ, CA. Biometrics: NY, CA.",
        (
            ("online_credentials", "User name or e-mail with password or security answers"),
            ("biometric", "Biometric data"),
            ("genetic_data", "Genetic data"),
        ),
    ),
    (
        "Health insurance",
        "NY from 2025-03-21; CA.",
        (
            ("insurance_member_id", "Insurance member ID"),
            ("member_id", "Member ID"),
            ("health_insurance_id", "Health insurance policy number"),
            ("claims", "Claims or appeals history"),
        ),
    ),
    (
        "Medical",
        "NY from 2025-03-21; CA; CDPH-licensed facilities (H&S 1280.15).",
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
