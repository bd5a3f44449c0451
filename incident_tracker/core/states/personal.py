"""Which of the project's data elements are a jurisdiction's "personal information".

Built once per jurisdiction from its `personal_information` entry: the flags (medical, health
insurance, online credentials, biometrics) and the words of its element list (passport, military
ID, taxpayer number, genetic data, an account number without its code, date of birth). A value the
data leave open (null) is read as covered, the conservative reading, and named as open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from incident_tracker.core.vocabulary import HEALTH_INSURANCE, MEDICAL, ONLINE_CREDENTIALS

# Every jurisdiction's list has these (with the person's name).
BASE = frozenset({"ssn", "drivers_license", "account_number_with_access_code"})
_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("passport", re.compile(r"passport", re.I)),
    ("military_id", re.compile(r"military", re.I)),
    ("tax_id", re.compile(r"\bI?TIN\b|taxpayer", re.I)),
    ("genetic_data", re.compile(r"genetic|DNA", re.I)),
    ("date_of_birth", re.compile(r"date of birth", re.I)),
    (
        "account_number",
        re.compile(
            r"without (a )?code|with or without|alone or with|usable without|\(\+ ?code", re.I
        ),
    ),
)
# Nevada's "medical identification number" is the one medical datum its partial flag covers.
_MEDICAL_ID = frozenset({"medical_record_number"})
# "Medical claims history" (Montana) is the one insurance datum a partial flag covers.
_CLAIMS = frozenset({"claims"})
_GOVERNMENT_ONLY = ("state_agencies_only", "public_entities_only")


@dataclass(frozen=True, slots=True)
class Definition:
    elements: frozenset[str]  # covered with the person's name
    government_elements: frozenset[str]  # covered only for a government entity
    credentials: bool  # user name or e-mail with password, on its own
    open_points: tuple[str, ...]

    def covered(self, data: frozenset[str], government: bool) -> frozenset[str]:
        found: set[str] = set()
        if "name" in data:
            found |= data & self.elements
            if government:
                found |= data & self.government_elements
        if self.credentials and ONLINE_CREDENTIALS in data:
            found.add(ONLINE_CREDENTIALS)
        return frozenset(found)

    def covers(self, data: frozenset[str], government: bool) -> bool:
        """`covered(...)` is not empty, without building it."""
        if self.credentials and ONLINE_CREDENTIALS in data:
            return True
        return "name" in data and (
            not data.isdisjoint(self.elements)
            or (government and not data.isdisjoint(self.government_elements))
        )


def definition(entry: dict[str, Any]) -> Definition:
    pi = entry["personal_information"]
    text = pi.get("elements") or ""
    elements = set(BASE)
    government: set[str] = set()
    opened: list[str] = []
    for name, group, partial in (
        ("medical", MEDICAL, _MEDICAL_ID),
        ("health_insurance", HEALTH_INSURANCE, _CLAIMS),
    ):
        value = pi.get(name)
        if value is True:
            elements |= group
        elif value == "partial":
            elements |= partial
        elif value in _GOVERNMENT_ONLY:
            government |= group
        elif value is None:
            elements |= group
            opened.append(f"personal information: whether {name} data are covered is not known")
    if pi.get("biometrics") in (True, None):
        elements.add("biometric")
    for name, pattern in _WORDS:
        if pattern.search(text):
            elements.add(name)
    credentials = pi.get("online_credentials") in (True, "partial", None)
    if pi.get("online_credentials") is None:
        opened.append("personal information: whether online credentials are covered is not known")
    return Definition(frozenset(elements), frozenset(government), credentials, tuple(opened))
