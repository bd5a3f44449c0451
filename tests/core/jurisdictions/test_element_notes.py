"""The incident form's notes per group of data elements: which laws count each element, composed
from what the jurisdictions declare, so a new jurisdiction appears with no edit of the web layer."""

from __future__ import annotations

from datetime import date

import pytest

from incident_tracker.core.jurisdictions import element_notes, registry
from incident_tracker.core.jurisdictions.model import Jurisdiction, PersonalInformation
from incident_tracker.web.element_groups import ELEMENT_GROUPS


def _notes() -> dict[str, str]:
    return {title: note for title, note, _ in ELEMENT_GROUPS}


def test_health_insurance_counts_in_new_york_from_the_amendment() -> None:
    """S2376-B added medical and health insurance information to 899-aa(1)(b) from 2025-03-21;
    Civ. Code 1798.82(h) counts both; N.J.S.A. 56:8-161 counts neither."""
    assert _notes()["Health insurance"] == "NY from 2025-03-21; CA."


def test_medical_data_also_count_for_cdph_licensed_facilities() -> None:
    note = _notes()["Medical"]
    assert note.startswith("NY from 2025-03-21; CA; CA (CDPH-licensed facilities, H&S 1280.15)")
    assert "NJ" not in note


def test_elements_counted_by_different_laws_are_named_apart() -> None:
    """SSN and licence number: all three statutes; passport, taxpayer and military ID numbers:
    1798.82(h) alone. Online credentials count without a name (899-aa(1)(b), 56:8-161,
    1798.82(h)); genetic data, 1798.82(h) only (docs/law/*.md, "What triggers it")."""
    notes = _notes()
    assert notes["Government identifiers"] == (
        "Social Security number and Driver's licence or State ID: NY, NJ and CA. "
        "Passport number, Taxpayer ID and Military ID: CA."
    )
    assert notes["Credentials and biometrics"] == (
        "User name or e-mail with password or security answers: NY, NJ and CA, on its own. "
        "Biometric data: NY and CA. Genetic data: CA."
    )
    assert (
        "Account number without a code: not counted by the NY, NJ or CA rules."
        in (notes["Financial"])
    )
    assert notes["Identifiers"].startswith("Name: NY, NJ and CA, only with a listed element.")


def test_a_new_jurisdiction_appears_in_the_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = Jurisdiction(
        code="XX",
        name="Example",
        law_page="docs/law/example.md",
        rules=(),
        parameters=(),
        personal_information=(
            PersonalInformation(frozenset({"passport"}), since=date(2027, 1, 1)),
        ),
    )
    monkeypatch.setattr(element_notes, "JURISDICTIONS", (*registry.JURISDICTIONS, extra))
    items = (("ssn", "SSN"), ("passport", "Passport number"))
    assert element_notes.group_note(items) == (
        "SSN: NY, NJ and CA. Passport number: CA; XX from 2027-01-01."
    )
