"""What New York's law adds to the notices (docs/law/new-york.md): the letter's agency contacts
and content (GBL 899-aa(7)), and the elements of its own notices (filings.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incident_tracker.core.jurisdictions.new_york import filings
from incident_tracker.core.notices.content import (
    Element,
    KindContent,
    LetterContent,
    NoticeContent,
    Spec,
)
from incident_tracker.core.notices.elements import has
from incident_tracker.core.notices.labels import FTC, Contact

if TYPE_CHECKING:
    from incident_tracker.core.facts import IncidentFacts
    from incident_tracker.core.notices.context import NoticeContext
    from incident_tracker.core.notices.kinds import NoticeKind
    from incident_tracker.core.obligations import Result

# N.Y. Gen. Bus. Law § 899-aa(7): state and federal agencies on breach response and identity theft.
# [OPEN] Public contact details as published by each body; re-check before each release.
AGENCY_CONTACTS: tuple[Contact, ...] = (
    Contact("New York Attorney General", "1-800-771-7755", None, "ag.ny.gov"),
    Contact(
        "New York Department of State, Division of Consumer Protection",
        "1-800-697-1220",
        None,
        "dos.ny.gov/consumer-protection",
    ),
    FTC,
)

_LETTER: tuple[Spec, ...] = (
    ("contact", "N.Y. Gen. Bus. Law § 899-aa(7)"),
    ("phi_types", "N.Y. Gen. Bus. Law § 899-aa(7)"),
)
_AGENCIES = "N.Y. Gen. Bus. Law § 899-aa(8)(a)"
_HIPAA = "N.Y. Gen. Bus. Law § 899-aa(9) (the notification made to HHS)"
_DETERMINATION = "N.Y. Gen. Bus. Law § 899-aa(2)(a)"
_FACTS: tuple[Spec, ...] = (
    ("what_happened", "description of the breach"),
    ("phi_types", "types of information involved"),
    ("contact", "contact for follow-up"),
)


def _prepare(
    facts: IncidentFacts, result: Result, kind: NoticeKind, separate: bool
) -> dict[str, Any]:
    """The agencies a letter lists when New York residents are affected; § 899-aa(7) content
    where NY1 or the agencies' notice is owed (not in another State's letter of its own)."""
    owed = {o.rule_id for o in result.obligations}
    return {
        "ny_agencies": AGENCY_CONTACTS if facts.residents("NY") > 0 else (),
        "ny_content": bool({"NY1", "NY3-AG"} & owed) and not separate,
    }


def _agencies(c: NoticeContext) -> list[Spec]:
    return [
        ("individual_notice_date", f"{_AGENCIES} (timing)"),
        ("ny_affected", f"{_AGENCIES} (approximate number)"),
        ("template_letter", f"{_AGENCIES} (copy of the template notice)"),
        ("contact", _AGENCIES),
    ]


def _ag_hipaa(c: NoticeContext) -> list[Spec]:
    return [
        *((k, f"{_HIPAA}; {what}") for k, what in _FACTS),
        ("affected", _HIPAA),
        ("what_we_are_doing", _HIPAA),
    ]


def _determination(c: NoticeContext) -> list[Spec]:
    keys = ("determination_date", "determination_basis", "what_happened", "ny_affected", "contact")
    return [(k, _DETERMINATION) for k in keys]


CONTENT = NoticeContent(
    code="NY",
    elements=(
        Element(
            "ny_affected",
            "the approximate number of affected New York residents",
            lambda c: c.facts.residents("NY") > 0,
        ),
        Element(
            "determination_date",
            "the date of the written determination",
            lambda c: c.facts.ny_harm_determination_on is not None,
        ),
        Element(
            "determination_basis",
            "the basis for determining that the exposure will not likely result in misuse or harm",
            has("determination_basis"),
        ),
    ),
    kinds=(
        KindContent(
            "ny_agencies",
            _agencies,
            filings.agencies,
            filings.AGENCIES,
            filings.agencies_notes,
            carries_letter=True,
        ),
        KindContent("ny_ag_hipaa", _ag_hipaa, filings.ag_hipaa, filings.ATTORNEY_GENERAL),
        KindContent(
            "ny_determination", _determination, filings.determination, filings.ATTORNEY_GENERAL
        ),
    ),
    letter=LetterContent("NY1", lambda c: list(_LETTER), lambda kind, c: c.extra["ny_content"]),
    prepare=_prepare,
)
