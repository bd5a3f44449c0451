"""What California's law adds to the notices (docs/law/california.md): the letter's format and
content (Civ. Code § 1798.82(d)), the 12-month offer (1798.82(d)(2)(G)), the patient notice's
contact (H&S § 1280.15(b)(2)) and the CDPH report's elements (filings.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from incident_tracker.core.jurisdictions.california import filings
from incident_tracker.core.notices.content import (
    Element,
    KindContent,
    LetterContent,
    NoticeContent,
    Spec,
)
from incident_tracker.core.notices.elements import has
from incident_tracker.core.vocabulary import CA_PERSONAL

if TYPE_CHECKING:
    from incident_tracker.core.facts import IncidentFacts
    from incident_tracker.core.notices.context import NoticeContext
    from incident_tracker.core.notices.elements import Requirement
    from incident_tracker.core.notices.kinds import NoticeKind
    from incident_tracker.core.notices.render import Block
    from incident_tracker.core.obligations import Result

SAMPLE = "ca_ag_sample"
# The 12-month offer: SSN or a government ID number (§ 1798.82(h)(1)(A)-(B);
# docs/law/california.md).
IDENTITY_OFFER_ELEMENTS = frozenset({"ssn", "drivers_license", "passport", "tax_id", "military_id"})

TITLE = "Notice of Data Breach"
# Civ. Code § 1798.82(d)(1): the title and these headings, in this order.
HEADINGS = (
    "What Happened",
    "What Information Was Involved",
    "What We Are Doing",
    "What You Can Do",
    "For More Information",
)
_D2 = "Cal. Civ. Code § 1798.82(d)(2)"
_LETTER: tuple[Spec, ...] = (
    ("contact", f"{_D2} (name and contact information)"),
    ("phi_types", f"{_D2} (types of personal information)"),
    ("notice_date", f"{_D2} (date of the notice)"),
    ("what_happened", f"{_D2} (general description of the incident)"),
)
_OFFER: Spec = ("identity_protection", f"{_D2} (12-month offer; docs/law/california.md)")
_CDPH = "22 CCR 79902(a)(1)"
_CDPH_ELEMENTS = (
    "address",
    "breach_date",
    "breach_time",
    "detected_time",
    "phi_types",
    "what_happened",
    "individual_notice_date",
    "what_we_are_doing",
    "contact_name",
)


def _prepare(
    facts: IncidentFacts, result: Result, kind: NoticeKind, separate: bool
) -> dict[str, Any]:
    """Letters to people carry the § 1798.82(d)(1) title and headings when California residents
    are affected ("prudent" for HIPAA covered entities too), and its content where CA1 or CA2 is
    owed for personal information; not in another State's letter of its own."""
    from incident_tracker.core.notices.kinds import LETTER_KINDS

    owed = {o.rule_id for o in result.obligations}
    residents = facts.residents("CA") > 0 and not separate
    content = residents and bool({"CA1", "CA2"} & owed) and bool(facts.data_elements & CA_PERSONAL)
    return {
        "ca_format": kind == SAMPLE or (residents and kind in LETTER_KINDS),
        "ca_content": content,
        "identity_offer_required": content and bool(facts.data_elements & IDENTITY_OFFER_ELEMENTS),
        "is_sample": kind == SAMPLE,
    }


def _identity_offer(c: NoticeContext) -> bool:
    ip = c.details.identity_protection
    return bool(
        ip
        and ip.provider
        and ip.months is not None
        and ip.months >= 12
        and (ip.enrollment_url or ip.enrollment_code)
    )


def _structure(blocks: Sequence[Block]) -> list[Requirement]:
    """Civ. Code § 1798.82(d)(1): titled "Notice of Data Breach", the five headings in order."""
    from incident_tracker.core.notices.elements import Requirement

    cite = "Cal. Civ. Code § 1798.82(d)(1)"
    titles = [b.text for b in blocks if b.kind == "title"]
    headings = [b.text for b in blocks if b.kind == "heading" and b.text in HEADINGS]
    problems = []
    if not titles or titles[0] != TITLE:
        problems.append(Requirement(f'the title "{TITLE}"', cite))
    if tuple(headings[: len(HEADINGS)]) != HEADINGS:
        problems.append(Requirement("the five headings, in order: " + ", ".join(HEADINGS), cite))
    return problems


def _letter(c: NoticeContext) -> list[Spec]:
    return [*_LETTER, *([_OFFER] if c.extra["identity_offer_required"] else [])]


CONTENT = NoticeContent(
    code="CA",
    elements=(
        Element(
            "identity_protection",
            "an offer of identity theft prevention and mitigation services at no cost for at "
            "least 12 months, with what is needed to enroll (provider, months, enrollment link or "
            "code)",
            _identity_offer,
        ),
        Element("breach_time", "the time of the breach", has("breach_time")),
        Element("detected_time", "the time the breach was detected", has("detected_time")),
    ),
    kinds=(
        KindContent(
            SAMPLE,
            lambda c: [],
            unaddressed="the sample copy for the Attorney General carries no personal "
            "information (Civ. Code § 1798.82(f)); it cannot be addressed to a person",
        ),
        KindContent(
            "cdph_report",
            lambda c: [(k, _CDPH) for k in _CDPH_ELEMENTS],
            filings.cdph,
            filings.CDPH,
        ),
        KindContent(
            "ca_patient", lambda c: [("contact", "Cal. Health & Safety Code § 1280.15(b)(2)")]
        ),
    ),
    letter=LetterContent(
        "CA1", _letter, lambda kind, c: c.extra["ca_content"] or kind == SAMPLE, _structure
    ),
    prepare=_prepare,
)
