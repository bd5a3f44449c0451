"""The OCR breach portal's lists (docs/law/federal.md), so incidents record facts the way HHS asks.

[OPEN, docs/law/federal.md] compiled from the older form and secondary sources;
check against OCR's current
"Breach Portal Required Information" before going live.
"""

from __future__ import annotations

BREACH_TYPES: tuple[tuple[str, str], ...] = (
    ("hacking_it_incident", "Hacking/IT incident"),
    ("improper_disposal", "Improper disposal"),
    ("loss", "Loss"),
    ("theft", "Theft"),
    ("unauthorized_access_disclosure", "Unauthorized access/disclosure"),
    ("other", "Other"),
    ("unknown", "Unknown"),
)

LOCATIONS: tuple[tuple[str, str], ...] = (
    ("desktop_computer", "Desktop computer"),
    ("electronic_medical_record", "Electronic medical record"),
    ("email", "E-mail"),
    ("laptop", "Laptop"),
    ("network_server", "Network server"),
    ("other_portable_device", "Other portable electronic device"),
    ("paper_films", "Paper/films"),
    ("other", "Other"),
)

SAFEGUARDS: tuple[tuple[str, str], ...] = (
    ("none", "None"),
    ("privacy_rule", "Privacy Rule safeguards (training, policies and procedures, etc.)"),
    ("security_administrative", "Security Rule administrative safeguards"),
    ("security_physical", "Security Rule physical safeguards"),
    ("security_technical", "Security Rule technical safeguards"),
)

CORRECTIVE_ACTIONS: tuple[tuple[str, str], ...] = (
    ("encryption_adopted", "Adopted encryption technologies"),
    ("policies_revised", "Revised policies and procedures"),
    ("sanctions", "Sanctioned workforce members involved"),
    ("training", "Trained or retrained workforce members"),
    ("technical_safeguards", "Implemented new technical safeguards"),
    ("risk_management_plan", "Updated the risk management plan"),
    ("physical_security", "Improved physical security"),
    ("business_associate_agreement", "Reviewed or obtained a business associate agreement"),
    ("other", "Other"),
)

# docs/law/federal.md item 4: the portal's four PHI types, from the §10 vocabulary's column.
PHI_TYPES: dict[str, str] = {
    "name": "demographic",
    "address": "demographic",
    "email": "demographic",
    "phone": "demographic",
    "date_of_birth": "demographic",
    "medical_record_number": "demographic",
    "ssn": "demographic",
    "drivers_license": "demographic",
    "passport": "demographic",
    "tax_id": "demographic",
    "military_id": "demographic",
    "insurance_member_id": "demographic",
    "member_id": "demographic",
    "health_insurance_id": "demographic",
    "account_number_with_access_code": "financial",
    "account_number": "financial",
    "claims": "financial",
    "online_credentials": "other",
    "biometric": "other",
    "genetic_data": "clinical",
    "diagnosis": "clinical",
    "diagnosis_codes": "clinical",
    "procedure_codes": "clinical",
    "medications": "clinical",
    "lab_results": "clinical",
    "treatment": "clinical",
    "services_billed": "clinical",
    "appointment_date": "clinical",
    "sud_treatment_records": "clinical",
}


def label(options: tuple[tuple[str, str], ...], value: str | None) -> str:
    return dict(options).get(value or "", value or "")
