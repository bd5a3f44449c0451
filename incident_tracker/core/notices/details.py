"""What a notice needs beyond the incident facts: the organisation and the notice details.

The CLI contract names the keys: `organization` (name, address, toll_free_phone,
email, website) and `notice` (what_happened, what_we_are_doing, what_you_can_do,
identity_protection, notice_date). A few further optional `notice` keys carry answers that only the
filing kinds ask for (the OCR portal questions, docs/law/federal.md; the CDPH report, 22 CCR
79902(a)(1)); when absent, the check reports them missing rather than inventing them.
Every value is user text: it is data passed into a template, never template source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from incident_tracker.core.facts import FactsError
from incident_tracker.core.parsing import Reader

# C0 controls (except tab and newline) and DEL: never legitimate in a letter, and the renderer's
# own block markers are control characters, so user text can never forge document structure.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Normalise line ends, drop control characters, trim outer blank space."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    address: str | None = None
    toll_free_phone: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class IdentityProtection:
    """An identity-theft prevention offer (Civ. Code § 1798.82(d)(2): no cost, 12+ months)."""

    provider: str | None = None
    months: int | None = None
    enrollment_url: str | None = None
    enrollment_code: str | None = None
    enroll_by: date | None = None


@dataclass(frozen=True, slots=True)
class NoticeDetails:
    what_happened: str | None = None
    what_we_are_doing: str | None = None
    what_you_can_do: str | None = None
    identity_protection: IdentityProtection | None = None
    notice_date: date | None = None
    # Optional answers for the filing kinds (hhs, cdph_report, ny_determination).
    contact_name: str | None = None
    covered_entity_type: str | None = None
    breach_end_date: date | None = None
    discovery_end_date: date | None = None
    breach_type: str | None = None
    breach_location: str | None = None
    safeguards: tuple[str, ...] = ()
    breach_time: str | None = None
    detected_time: str | None = None
    persons_involved: str | None = None
    determination_basis: str | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    """One addressee of a merged letter; never printed in a sample copy (1798.82(f))."""

    name: str
    address_lines: tuple[str, ...] = ()


class _TextReader(Reader):
    def text(self, key: str) -> str | None:
        value = super().text(key)
        return None if value is None else (clean_text(value) or None)


def parse_organisation(data: object) -> Organisation:
    """The notifying organisation; its name is required (every notice says who is writing)."""
    if data is None:
        raise FactsError(
            [
                "organization: required to draft a notice (name, address, toll_free_phone, "
                "email, website)"
            ]
        )
    if not isinstance(data, Mapping):
        raise FactsError(["organization: expected an object"])
    r = _TextReader(data, prefix="organization.")
    name = r.text("name")
    if name is None and not r.problems:
        r.problems.append("organization.name: is required")
    org = Organisation(
        name=name or "",
        address=r.text("address"),
        toll_free_phone=r.text("toll_free_phone"),
        email=r.text("email"),
        website=r.text("website"),
    )
    if r.problems:
        raise FactsError(r.problems)
    return org


def parse_notice(data: object) -> NoticeDetails:
    """The notice details; every key is optional, and an absent one is reported by the check."""
    if data is None:
        return NoticeDetails()
    if not isinstance(data, Mapping):
        raise FactsError(["notice: expected an object"])
    r = _TextReader(data, prefix="notice.")
    details = NoticeDetails(
        what_happened=r.text("what_happened"),
        what_we_are_doing=r.text("what_we_are_doing"),
        what_you_can_do=r.text("what_you_can_do"),
        identity_protection=_identity_protection(r),
        notice_date=r.date("notice_date"),
        contact_name=r.text("contact_name"),
        covered_entity_type=r.text("covered_entity_type"),
        breach_end_date=r.date("breach_end_date"),
        discovery_end_date=r.date("discovery_end_date"),
        breach_type=r.text("breach_type"),
        breach_location=r.text("breach_location"),
        safeguards=tuple(clean_text(s) for s in r.string_list("safeguards") if clean_text(s)),
        breach_time=r.text("breach_time"),
        detected_time=r.text("detected_time"),
        persons_involved=r.text("persons_involved"),
        determination_basis=r.text("determination_basis"),
    )
    if r.problems:
        raise FactsError(r.problems)
    return details


def _identity_protection(r: Reader) -> IdentityProtection | None:
    if r.data.get("identity_protection") is None:
        return None
    raw = r.mapping("identity_protection")
    ir = _TextReader(raw, prefix="notice.identity_protection.", problems=r.problems)
    return IdentityProtection(
        provider=ir.text("provider"),
        months=ir.count("months"),
        enrollment_url=ir.text("enrollment_url"),
        enrollment_code=ir.text("enrollment_code"),
        enroll_by=ir.date("enroll_by"),
    )
