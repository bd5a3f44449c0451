"""The data elements N.J.S.A. 56:8-161 counts as "personal information", as the incident form's
notes read them; rules.py applies the same sets to an incident."""

from incident_tracker.core.jurisdictions.model import PersonalInformation
from incident_tracker.core.vocabulary import NJ_PERSONAL, ONLINE_CREDENTIALS

PERSONAL_INFORMATION = (
    # First name or initial and last name, linked with a listed element.
    PersonalInformation(frozenset({"name"}), role="identifier"),
    PersonalInformation(NJ_PERSONAL),
    PersonalInformation(frozenset({ONLINE_CREDENTIALS}), role="alone"),
)
