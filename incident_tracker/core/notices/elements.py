"""Required contents of each notice kind, with citations, and the check for what is missing.

The check is Python, not template logic (architecture.md §1.7), and it must be able to fail: an
element that neither the facts nor the notice details supply is reported missing, never filled
with boilerplate. Defaults that really follow from the facts (steps chosen by the
data types, credit-bureau contacts, agency contacts) count as supplied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from incident_tracker.core.jurisdictions.registry import notice_rule_ids
from incident_tracker.core.notices.content import Check, Spec, contents, kind_content, letters
from incident_tracker.core.notices.kinds import LETTER_KINDS, NoticeKind
from incident_tracker.core.notices.state_letters import (
    OFFERS,
    Offer,
    offer_met,
    offer_required,
    resident_duties,
)

if TYPE_CHECKING:
    from incident_tracker.core.notices.context import NoticeContext


@dataclass(frozen=True, slots=True)
class Requirement:
    element: str
    citation: str

    def to_json(self) -> dict[str, str]:
        return {"element": self.element, "citation": self.citation}


@dataclass(frozen=True, slots=True)
class ElementStatus:
    key: str
    requirement: Requirement
    present: bool


# What each missing element is called in a draft's visible "[MISSING: ...]" marker; the
# jurisdictions add their own (core/notices/content.py).
_LABELS: dict[str, str] = {
    "what_happened": "a brief description of what happened",
    "breach_date": "the date of the breach",
    "phi_types": "the types of information involved",
    "steps": "steps individuals should take to protect themselves",
    "what_we_are_doing": "what the organisation is doing to investigate the breach, mitigate "
    "harm and protect against further breaches",
    "contact": "contact procedures: a toll-free number, email address, web site or postal address",
    "no_exposed_values": "no exposed data values in the notice (types only)",
    "notice_date": "the date of the notice",
    "toll_free_phone": "a toll-free telephone number active for at least 90 days",
    "posting_start": "the start date of the 90-day posting",
    "address": "the organisation's postal address",
    "covered_entity_type": "the covered entity type (health plan, health care clearinghouse or "
    "health care provider)",
    "contact_name": "a contact person's name",
    "breach_end_date": "the breach end date",
    "breach_type": "the type of breach",
    "breach_location": "the location of the breached information",
    "safeguards": "the safeguards in place before the breach",
    "individual_notice_date": "the date individual notice was or will be provided",
    "affected": "the approximate number of individuals affected",
    "template_letter": "a complete copy of the template notice sent to residents",
    # The other States' regulator notices (core/notices/state_filings.py).
    "state_affected": "the number of affected residents of the State",
    "state_notified": "the number of the State's residents notified",
    "discovery_date": "the date the breach was discovered",
    "determined_date": "the date the organisation determined that a breach occurred",
    "distribution": "how the notice to individuals is distributed",
    "identity_services": "the services offered to affected individuals (e.g. credit monitoring), "
    "or that none are offered",
    "entity_type": "the type of entity",
    "responsible_person": "the person responsible for the breach, if known",
    "law_enforcement": "whether law enforcement is engaged",
    "resident_names": "the names of the affected residents (an enclosed list sent by secure means)",
    "exposure_window": "the time frame of the exposure",
    "wisp": "whether the organisation has a written information security program",
    "wisp_updates": "the updates made to the written information security program",
    "credit_monitoring_certification": "a certification that credit monitoring is offered as "
    "M.G.L. c. 93H § 3A requires",
    "monetary_impact": "the estimated monetary impact, if it can be determined",
}

_C404 = "45 CFR 164.404(c)(1)"
_PORTAL = "45 CFR 164.408; OCR breach portal (docs/law/federal.md [OPEN])"
# An SSN-like or card-like number in user text: the notice must name data types, never values.
_VALUE_PATTERN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\b\d{9}\b|\b(?:\d[ -]?){13,19}\b")


def has(attr: str) -> Check:
    """The notice details give `attr`."""
    return lambda c: getattr(c.details, attr) is not None and getattr(c.details, attr) != ()


def _contact(c: NoticeContext) -> bool:
    o = c.org
    return any((o.toll_free_phone, o.email, o.website, o.address))


def _no_values(c: NoticeContext) -> bool:
    d = c.details
    texts = (
        d.what_happened,
        d.what_we_are_doing,
        d.what_you_can_do,
        d.persons_involved,
        d.determination_basis,
    )
    return not any(t and _VALUE_PATTERN.search(t) for t in texts)


_CHECKS: dict[str, Check] = {
    "what_happened": has("what_happened"),
    "breach_date": lambda c: c.facts.breach_occurred_on is not None,
    "phi_types": lambda c: bool(c.facts.data_elements),
    "steps": lambda c: bool(c.steps),
    "what_we_are_doing": has("what_we_are_doing"),
    "contact": _contact,
    "no_exposed_values": _no_values,
    "notice_date": has("notice_date"),
    "toll_free_phone": lambda c: c.org.toll_free_phone is not None,
    "posting_start": lambda c: c.posting_start is not None,
    "address": lambda c: c.org.address is not None,
    "covered_entity_type": has("covered_entity_type"),
    "contact_name": has("contact_name"),
    "breach_end_date": has("breach_end_date"),
    "breach_type": has("breach_type"),
    "breach_location": lambda c: c.breach_location is not None,
    "safeguards": has("safeguards"),
    "individual_notice_date": lambda c: c.individual_notice_date is not None,
    "affected": lambda c: c.facts.total_affected > 0,
    "template_letter": lambda c: True,  # completeness is checked on the letter itself
    "state_affected": lambda c: c.facts.residents(c.state or "") > 0,
    "state_notified": lambda c: c.facts.residents(c.state or "") > 0,
    "discovery_date": lambda c: bool(c.discovered_on),
    "determined_date": lambda c: c.facts.determined_on is not None,
    "distribution": lambda c: (
        True
    ),  # the letters go by first-class mail (substitute if unreachable)
    "identity_services": lambda c: bool(c.identity_offer),
    "entity_type": lambda c: True,  # from the incident's entity type
    "responsible_person": lambda c: True,  # "if known": "Not known" answers it
    "law_enforcement": lambda c: bool(c.facts.holds),
    "resident_names": lambda c: c.facts.residents(c.state or "") > 0,
    "exposure_window": lambda c: c.facts.breach_occurred_on is not None,
    # No record holds these: the preparer types them in place of the marker (services check).
    "wisp": lambda c: False,
    "wisp_updates": lambda c: False,
    "credit_monitoring_certification": lambda c: False,
    "monetary_impact": lambda c: False,
}


# The other States' letter offers (state_letters.OFFERS): "offer_MA" ...
def _offer_check(offer: Offer) -> Check:
    return lambda c: offer_met(offer, c.details)


for _offer in OFFERS.values():
    _LABELS[_offer.key] = _offer.label
    _CHECKS[_offer.key] = _offer_check(_offer)


@cache
def labels() -> dict[str, str]:
    """Every element's marker words: the shared ones and each jurisdiction's."""
    return {**_LABELS, **{e.key: e.label for c in contents() for e in c.elements}}


@cache
def _checks() -> dict[str, Check]:
    return {**_CHECKS, **{e.key: e.check for c in contents() for e in c.elements}}


_LETTER: tuple[Spec, ...] = (
    ("what_happened", f"{_C404}(A)"),
    ("phi_types", f"{_C404}(B)"),
    ("steps", f"{_C404}(C)"),
    ("what_we_are_doing", f"{_C404}(D)"),
    ("contact", f"{_C404}(E)"),
    ("no_exposed_values", "45 CFR 164.404(c)(2); HHS guidance (docs/law/federal.md)"),
)


def _specs(kind: NoticeKind, c: NoticeContext) -> list[Spec]:
    """The elements the kind requires for these facts, each with the section that requires it."""
    specs: list[Spec] = []
    own = kind_content(kind)
    if kind in LETTER_KINDS:  # 164.404(c), plus each jurisdiction's letter content
        specs += [s for s in _LETTER if not (c.omits_nature and s[0] == "what_happened")]
        if own is not None:
            specs += own.specs(c)
        if kind is NoticeKind.SUBSTITUTE:
            specs += [
                ("toll_free_phone", "45 CFR 164.404(d)(2)(ii)(B)"),
                ("posting_start", "45 CFR 164.404(d)(2)(ii)(A)"),
            ]
        for letter in letters():
            if letter.applies(kind, c):
                specs += letter.specs(c)
        specs += [(o.key, o.citation) for o in c.state_offers]
    elif kind is NoticeKind.STATE_REGULATOR:
        specs += _state_regulator_specs(c)
    elif kind is NoticeKind.MEDIA:
        specs += [(k, f"45 CFR 164.406(c); {cite}") for k, cite in _LETTER]
    elif kind is NoticeKind.HHS:
        specs += [
            (k, _PORTAL)
            for k in (
                "address",
                "covered_entity_type",
                "contact_name",
                "contact",
                "breach_date",
                "breach_end_date",
                "affected",
                "breach_type",
                "breach_location",
                "phi_types",
                "what_happened",
                "safeguards",
                "individual_notice_date",
                "what_we_are_doing",
            )
        ]
    elif kind is NoticeKind.BA_TO_CE:
        specs += [("affected", "45 CFR 164.410(c)(1)")]
        specs += [(k, f"45 CFR 164.410(c)(2); {cite}") for k, cite in _LETTER[:5]]
    elif own is not None:
        specs += own.specs(c)
    return specs


def _state_regulator_specs(c: NoticeContext) -> list[Spec]:
    """The content states.json lists for the State's regulator notice, cited to its statute."""
    from incident_tracker.core.notices.state_filings import duty_elements, duty_of

    d = duty_of(c)
    if d is None:
        return []
    cite = f"{c.extra.get('jurisdiction_citation', '')} ({d.recipient})"
    return [(key, cite) for key in duty_elements(d)]


def element_status(kind: NoticeKind, c: NoticeContext) -> list[ElementStatus]:
    """Every required element once, its citations joined where several laws require it."""
    merged: dict[str, list[str]] = {}
    for key, cite in _specs(kind, c):
        cites = merged.setdefault(key, [])
        if cite not in cites:
            cites.append(cite)
    return [
        ElementStatus(key, Requirement(labels()[key], "; ".join(cites)), _checks()[key](c))
        for key, cites in merged.items()
    ]


# The duties one individual letter can settle, each State's with the content its own law requires
# of a letter to its residents (its folder's LetterContent; N.J.S.A. 56:8-163 prescribes none, so
# NJ2 requires none); the other States' letters require what states.json states (state_letters.py).
LETTER_DUTIES = (*notice_rule_ids(NoticeKind.INDIVIDUAL), *resident_duties())


def _audience_specs(rule_id: str, c: NoticeContext) -> list[Spec]:
    if rule_id == "F1":
        return list(_LETTER)
    for letter in letters():
        if letter.duty == rule_id:
            return letter.specs(c)
    code = resident_duties().get(rule_id)
    if code is not None and code in c.own_letter_states:
        offer = offer_required(code, c.facts)
        return [(offer.key, offer.citation)] if offer else []
    return []


def audience_status(rule_id: str, c: NoticeContext) -> list[ElementStatus]:
    """The elements the law behind one duty (F1, NY1, NJ2, CA1) requires of the individual letter,
    so a letter can settle some States' duties and leave another open, saying why."""
    return [
        ElementStatus(key, Requirement(labels()[key], cite), _checks()[key](c))
        for key, cite in _audience_specs(rule_id, c)
    ]


def missing_elements(kind: NoticeKind, c: NoticeContext) -> list[Requirement]:
    return [s.requirement for s in element_status(kind, c) if not s.present]


def missing_marker(key: str) -> str:
    """The visible placeholder a draft shows where a required element is absent."""
    return f"[MISSING: {labels()[key]}]"
