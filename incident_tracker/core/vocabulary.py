"""Closed vocabularies of the incident JSON format (README.md, Calculator): States, PHI data
elements and how each statute groups them.

Kept as plain data so a lawyer can read each grouping next to the statute it comes from.
"""

from __future__ import annotations

from datetime import date

# 45 CFR 160.103 "State": the 50 States, DC, Puerto Rico, the U.S. Virgin Islands, Guam,
# American Samoa and the Northern Mariana Islands.
_FIFTY_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
    "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
)
STATES: frozenset[str] = frozenset(_FIFTY_STATES.split(" ")) | {"DC", "PR", "VI", "GU", "AS", "MP"}

# The States whose own breach laws the engine evaluates are listed by the jurisdictions registry
# (core/jurisdictions/registry.py: EVALUATED_STATES and the other jurisdictions of core/states).

IDENTIFIERS = frozenset({"name", "address", "email", "phone", "date_of_birth"})
HEALTH_INSURANCE = frozenset({"insurance_member_id", "member_id", "health_insurance_id", "claims"})
MEDICAL = frozenset(
    {
        "diagnosis",
        "diagnosis_codes",
        "procedure_codes",
        "medications",
        "lab_results",
        "treatment",
        "services_billed",
        "appointment_date",
        "sud_treatment_records",
    }
)

# Every name the incident JSON format (README.md, Calculator) admits; anything else is rejected
# with a message.
DATA_ELEMENTS: frozenset[str] = (
    IDENTIFIERS
    | HEALTH_INSURANCE
    | MEDICAL
    | frozenset(
        {
            "medical_record_number",
            "ssn",
            "drivers_license",
            "passport",
            "tax_id",
            "military_id",
            "account_number_with_access_code",
            "account_number",
            "online_credentials",
            "biometric",
            "genetic_data",
        }
    )
)

# N.Y. Gen. Bus. Law § 899-aa(1)(b): "private information" elements (docs/law/new-york.md).
NY_PRIVATE_ALWAYS = frozenset(
    {"ssn", "drivers_license", "account_number_with_access_code", "biometric"}
)
# S2376-B / A4737-B: medical and health insurance information, from 2025-03-21 [OPEN,
# docs/law/new-york.md].
NY_PRIVATE_FROM_2025 = MEDICAL | HEALTH_INSURANCE
NY_MEDICAL_EFFECTIVE = date(2025, 3, 21)
NY_MEDICAL_EFFECTIVE_ALT = date(2025, 3, 25)

# N.J.S.A. 56:8-161 "personal information" (docs/law/new-jersey.md): no medical or insurance data.
NJ_PERSONAL = frozenset({"ssn", "drivers_license", "account_number_with_access_code"})

# Cal. Civ. Code § 1798.82(h) "personal information" (docs/law/california.md).
CA_PERSONAL = (
    frozenset(
        {
            "ssn",
            "drivers_license",
            "passport",
            "tax_id",
            "military_id",
            "account_number_with_access_code",
            "biometric",
            "genetic_data",
        }
    )
    | MEDICAL
    | HEALTH_INSURANCE
)

# Civ. Code § 56.05 "medical information", for H&S § 1280.15 (docs/law/california.md).
CA_MEDICAL_INFORMATION = MEDICAL

# Standalone element: user name or e-mail with password or security Q&A (NY, NJ, CA alike).
ONLINE_CREDENTIALS = "online_credentials"
