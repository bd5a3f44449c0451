"""Which jurisdictions' laws count each data element, in words, for the incident form's groups.

Composed from what each jurisdiction declares (its `personal_information`), so a jurisdiction added
to the registry appears in the notes with nothing written in the web layer.
"""

from __future__ import annotations

from collections.abc import Sequence

from incident_tracker.core.jurisdictions.model import Jurisdiction, PersonalInformation
from incident_tracker.core.jurisdictions.registry import JURISDICTIONS

_ROLES = {"identifier": ", only with a listed element", "alone": ", on its own", "listed": ""}


def _words(items: Sequence[str], last: str = "and") -> str:
    if len(items) <= 2:
        return f" {last} ".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _counted_by(element: str, states: Sequence[Jurisdiction]) -> tuple[tuple[str, str], ...]:
    """(jurisdiction code, qualifier) for each law that counts `element`, in registry order."""
    found: list[tuple[str, str]] = []
    for j in states:
        for p in j.personal_information:
            if element in p.elements:
                found.append((j.code, _qualifier(p)))
    return tuple(dict.fromkeys(found))


def _qualifier(p: PersonalInformation) -> str:
    since = f" from {p.since.isoformat()}" if p.since else ""
    scope = f" ({p.scope})" if p.scope else ""
    return f"{scope}{since}{_ROLES[p.role]}"


def _signature_words(signature: tuple[tuple[str, str], ...], codes: Sequence[str]) -> str:
    if not signature:
        return f"not counted by the {_words(codes, 'or')} rules"
    # Codes sharing a qualifier read together: "NY, NJ and CA, on its own; CA (...)".
    by_qualifier: dict[str, list[str]] = {}
    for code, qualifier in signature:
        by_qualifier.setdefault(qualifier, []).append(code)
    return "; ".join(_words(c) + q for q, c in by_qualifier.items())


def group_note(items: Sequence[tuple[str, str]]) -> str:
    """The note for a group of (element, label): the laws counting every element, or per run of
    elements the same laws count."""
    states = [j for j in JURISDICTIONS if j.personal_information]
    codes = [j.code for j in states]
    runs: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for element, label in items:
        runs.setdefault(_counted_by(element, states), []).append(label)
    if len(runs) == 1:
        return _signature_words(next(iter(runs)), codes) + "."
    return " ".join(
        f"{_words(labels)}: {_signature_words(sig, codes)}." for sig, labels in runs.items()
    )
