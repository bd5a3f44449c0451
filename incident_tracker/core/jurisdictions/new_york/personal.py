"""The data elements § 899-aa counts (899-aa(1)(a)-(b)), as the incident form's notes read them;
scope.py applies the same sets to an incident."""

from incident_tracker.core.jurisdictions.model import PersonalInformation
from incident_tracker.core.vocabulary import (
    IDENTIFIERS,
    NY_MEDICAL_EFFECTIVE,
    NY_PRIVATE_ALWAYS,
    NY_PRIVATE_FROM_2025,
    ONLINE_CREDENTIALS,
)

PERSONAL_INFORMATION = (
    # 899-aa(1)(a): any information that can identify the person (name, number, personal mark).
    PersonalInformation(IDENTIFIERS, role="identifier"),
    PersonalInformation(NY_PRIVATE_ALWAYS),
    # S2376-B / A4737-B: medical and health insurance information [OPEN, docs/law/new-york.md].
    PersonalInformation(NY_PRIVATE_FROM_2025, since=NY_MEDICAL_EFFECTIVE),
    PersonalInformation(frozenset({ONLINE_CREDENTIALS}), role="alone"),
)
