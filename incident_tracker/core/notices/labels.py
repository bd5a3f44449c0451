"""Plain-language names for data types, the self-help steps they call for, and public contacts.

A letter names the TYPES of data involved (164.404(c)(1)(B)), never the data itself (HHS: do not
put the exposed SSN or other data in the notice; docs/law/federal.md). Steps follow from the types
exposed (164.404(c)(1)(C)); credit-bureau contacts appear when an SSN or a driver's licence or
state ID number was exposed (Civ. Code § 1798.82(d)(2), docs/law/california.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from incident_tracker.core.vocabulary import HEALTH_INSURANCE, MEDICAL

# In the order a reader expects: identifiers, government numbers, money, health.
ELEMENT_LABELS: dict[str, str] = {
    "name": "name",
    "address": "address",
    "email": "email address",
    "phone": "telephone number",
    "date_of_birth": "date of birth",
    "ssn": "Social Security number",
    "drivers_license": "driver's license or state ID number",
    "passport": "passport number",
    "tax_id": "taxpayer identification number",
    "military_id": "military ID number",
    "account_number_with_access_code": "financial account or card number with its access code",
    "account_number": "financial account number",
    "online_credentials": "online account user name or email address with password or security "
    "question",
    "biometric": "biometric data",
    "genetic_data": "genetic data",
    "medical_record_number": "medical record number",
    "insurance_member_id": "health insurance member ID",
    "member_id": "health plan member ID",
    "health_insurance_id": "health insurance ID number",
    "claims": "health insurance claims information",
    "diagnosis": "diagnosis",
    "diagnosis_codes": "diagnosis codes",
    "procedure_codes": "procedure codes",
    "medications": "medication information",
    "lab_results": "laboratory results",
    "treatment": "treatment information",
    "services_billed": "services billed",
    "appointment_date": "appointment dates",
    "sud_treatment_records": "substance use disorder treatment records",
}

# The OCR portal's "type of PHI involved" per element (the incident JSON format (README.md,
# Calculator) table).
PORTAL_PHI_TYPE: dict[str, str] = {
    **dict.fromkeys(
        (
            "name",
            "address",
            "email",
            "phone",
            "date_of_birth",
            "medical_record_number",
            "ssn",
            "drivers_license",
            "passport",
            "tax_id",
            "military_id",
            "insurance_member_id",
            "member_id",
            "health_insurance_id",
        ),
        "Demographic",
    ),
    **dict.fromkeys(("account_number_with_access_code", "account_number", "claims"), "Financial"),
    **dict.fromkeys((*sorted(MEDICAL), "genetic_data"), "Clinical"),
    **dict.fromkeys(("online_credentials", "biometric"), "Other"),
}
PORTAL_PHI_ORDER = ("Demographic", "Financial", "Clinical", "Other")

# Credit-bureau contacts: Civ. Code § 1798.82(d)(2) when an SSN or licence/ID number is exposed.
CREDIT_BUREAU_ELEMENTS = frozenset({"ssn", "drivers_license"})


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str
    address: str | None
    website: str

    @property
    def line(self) -> str:
        parts = [self.phone, self.address, self.website]
        return f"{self.name}: " + ", ".join(p for p in parts if p)


# [OPEN] Public contact details as published by each body; re-check before each release.
CREDIT_BUREAUS: tuple[Contact, ...] = (
    Contact(
        "Equifax", "1-888-298-0045", "P.O. Box 105069, Atlanta, GA 30348-5069", "www.equifax.com"
    ),
    Contact("Experian", "1-888-397-3742", "P.O. Box 9554, Allen, TX 75013", "www.experian.com"),
    Contact(
        "TransUnion", "1-800-916-8800", "P.O. Box 2000, Chester, PA 19016", "www.transunion.com"
    ),
)
FTC = Contact(
    "Federal Trade Commission",
    "1-877-438-4338",
    "600 Pennsylvania Avenue NW, Washington, DC 20580",
    "www.identitytheft.gov",
)
_IDENTITY_NUMBERS = frozenset({"ssn", "drivers_license", "passport", "tax_id", "military_id"})
_ACCOUNTS = frozenset({"account_number", "account_number_with_access_code"})


def element_labels(elements: frozenset[str]) -> list[str]:
    """The plain names of the data types, in a stable reading order."""
    return [label for key, label in ELEMENT_LABELS.items() if key in elements]


def portal_phi_types(elements: frozenset[str]) -> list[str]:
    found = {PORTAL_PHI_TYPE[e] for e in elements if e in PORTAL_PHI_TYPE}
    return [t for t in PORTAL_PHI_ORDER if t in found]


def default_steps(elements: frozenset[str]) -> list[str]:
    """Steps individuals can take, chosen by the data types exposed (164.404(c)(1)(C))."""
    steps = [
        "Review the statements you receive from your health plan and your health care "
        "providers. If you see a service you did not receive, call the plan or provider.",
    ]
    if elements & HEALTH_INSURANCE:
        steps.append(
            "Tell your health plan that your health insurance information was involved, and ask "
            "whether it can issue you a new member ID."
        )
    if elements & MEDICAL or "medical_record_number" in elements:
        steps.append(
            "You may ask your health care providers for a copy of your records and check them "
            "for anything that is not yours."
        )
    if elements & _IDENTITY_NUMBERS or elements & _ACCOUNTS:
        steps.append(
            "Get your free credit reports at www.annualcreditreport.com or 1-877-322-8228 and "
            "check them for accounts or inquiries you do not recognize."
        )
    if elements & CREDIT_BUREAU_ELEMENTS:
        steps.append(
            "You can place a free fraud alert or security freeze on your credit file by "
            "contacting the three credit bureaus listed in this letter."
        )
    if elements & {"ssn", "tax_id"}:
        steps.append(
            "You can ask the IRS for an Identity Protection PIN at www.irs.gov/ippin to stop "
            "someone else from filing a tax return in your name."
        )
    if elements & _IDENTITY_NUMBERS:
        steps.append(
            "If you believe someone is using your identity, report it to the Federal Trade "
            "Commission at www.identitytheft.gov or 1-877-438-4338."
        )
    if "drivers_license" in elements:
        steps.append(
            "If you see signs that your driver's license or state ID number is being misused, "
            "contact your state's motor vehicle agency."
        )
    if elements & _ACCOUNTS:
        steps.append(
            "Watch your bank and card statements closely. Call your bank or card issuer about "
            "any charge you do not recognize and ask whether you should get a new account number."
        )
    if "online_credentials" in elements:
        steps.append(
            "Change the password and security questions of the affected online account, and of "
            "any other account where you used the same ones."
        )
    return steps
