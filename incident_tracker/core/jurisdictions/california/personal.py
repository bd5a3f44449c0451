"""The data elements California's laws count, as the incident form's notes read them: Civ. Code
§ 1798.82(h) "personal information" and, for licensed clinics and health facilities, H&S
§ 1280.15's medical information (Civ. Code § 56.05); rules.py and cdph.py apply the same sets."""

from incident_tracker.core.jurisdictions.model import PersonalInformation
from incident_tracker.core.vocabulary import (
    CA_MEDICAL_INFORMATION,
    CA_PERSONAL,
    ONLINE_CREDENTIALS,
)

PERSONAL_INFORMATION = (
    # First name or initial and last name, linked with a listed element (1798.82(h)(1)).
    PersonalInformation(frozenset({"name"}), role="identifier"),
    PersonalInformation(CA_PERSONAL),
    PersonalInformation(frozenset({ONLINE_CREDENTIALS}), role="alone"),
    PersonalInformation(
        CA_MEDICAL_INFORMATION, role="alone", scope="CDPH-licensed facilities, H&S 1280.15"
    ),
)
