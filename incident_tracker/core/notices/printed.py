"""The values a notice prints from the facts, the organisation profile and the notice details.

Kept with each drafted version (label -> printed text), so a later change of any of them can be
named in words: an unsent notice is then stale (redraft and approve again), a sent one "differs
from current facts" (the officer decides whether a correction is owed). Labels are for people.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from incident_tracker.core.notices.context import NoticeContext

# Context value -> what a reader calls it. Recipient fields are left out: they differ per letter.
_PRINTED: dict[str, str] = {
    "discovered_on": "Date of discovery",
    "breach_date": "Date of the breach",
    "data_types_text": "Information involved",
    "total_affected": "Number of people affected",
    "state_affected": "Residents of the State affected",
    "org_address_lines": "Organisation's address",
    "org_contact_lines": "Contact details",
    "law_enforcement_sentence": "Law-enforcement delay",
    "notice_date": "Date of the notice",
    "individual_notice_date": "Date of the individual notice",
    "posting_start": "Start of the posting",
    "breach_location": "Location of the breached information",
    "what_happened": "What happened",
    "what_we_are_doing": "What the organisation is doing",
    "steps": "Steps people can take",
    "identity_offer": "Identity protection offer",
    "contact_name": "Contact person",
    "notes": "Notes on the filing",
}


def _parts(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, bool):
        return (str(value),)
    if isinstance(value, int):
        return (f"{value:,}",)
    if isinstance(value, tuple):
        return tuple(p for v in value for p in _parts(v))
    return (str(value),)


def printed_values(ctx: NoticeContext, text: str | None = None) -> dict[str, str]:
    """The values this notice prints from the facts, profile or details, in words. With `text`
    (the drafted text), only those the text really shows: a date the notice never prints cannot
    make it stale."""
    raw: dict[str, tuple[str, ...]] = {
        label: _parts(getattr(ctx, attr)) for attr, label in _PRINTED.items()
    }
    raw["Organisation's name"] = _parts(ctx.org.name)
    for section in ctx.sections:
        for item in section.fields:
            raw[f"{section.title}: {item.label}"] = _parts(item.value)
    return {
        label: "; ".join(parts)
        for label, parts in raw.items()
        if text is None or (parts and all(p in text for p in parts))
    }


def fingerprint(values: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(dict(values), sort_keys=True).encode()).hexdigest()


def differences(before: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """One line per value the notice printed that would print differently now:
    "Date of discovery: November 30, 2026 → November 25, 2026"."""
    return [
        f"{label}: {before[label]} → {now.get(label) or '(none)'}"
        for label in sorted(before)
        if before[label] != (now.get(label) or "")
    ]
