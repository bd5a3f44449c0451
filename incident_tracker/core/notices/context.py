"""The prepared view of one notice: dates formatted, lists joined, flags computed.

Templates only print these values, test prepared flags and loop over prepared lists
(architecture.md §1.7 and anti-pattern 6). What a jurisdiction's law adds to a letter is prepared by
its folder (core/notices/content.py) from the deadline engine's result, so a letter follows the
same reading of the law as the obligations list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import IncidentFacts, Medium
from incident_tracker.core.jurisdictions.registry import JURISDICTIONS as REGISTERED
from incident_tracker.core.notices.content import contents
from incident_tracker.core.notices.details import (
    NoticeDetails,
    Organisation,
    Recipient,
    clean_text,
)
from incident_tracker.core.notices.elements import labels, missing_marker
from incident_tracker.core.notices.kinds import KINDS, LETTER_KINDS, NoticeKind
from incident_tracker.core.notices.labels import (
    CREDIT_BUREAU_ELEMENTS,
    CREDIT_BUREAUS,
    Contact,
    default_steps,
    element_labels,
)
from incident_tracker.core.notices.state_letters import (
    NATURE,
    Offer,
    offer_met,
    own_letter_states,
    prohibitions,
    required_offers,
)
from incident_tracker.core.obligations import Result
from incident_tracker.core.states import JURISDICTIONS

SUBSTITUTE_POSTING_DAYS = 90  # 45 CFR 164.404(d)(2)(ii)
STATE_NAMES = {j.code: j.name for j in REGISTERED if j.state}


@dataclass(frozen=True, slots=True)
class Field:
    """One question and answer of a filing worksheet (HHS portal, CDPH report)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class NoticeContext:
    kind: NoticeKind
    facts: IncidentFacts
    org: Organisation
    details: NoticeDetails
    result: Result
    # Prepared values for the templates.
    title: str
    org_address_lines: tuple[str, ...]
    org_contact_lines: tuple[str, ...]
    notice_date: str | None
    discovered_on: str
    breach_date: str | None
    dates_sentence: str
    what_happened: str
    what_we_are_doing: str
    what_you_can_do: str | None
    data_types: tuple[str, ...]
    data_types_text: str
    steps: tuple[str, ...]
    credit_bureaus: tuple[Contact, ...]
    identity_offer: tuple[str, ...]
    law_enforcement_sentence: str
    recipient_name: str
    recipient_address_lines: tuple[str, ...]
    total_affected: int
    state: str | None
    state_name: str | None
    state_affected: str
    posting_start: str | None
    posting_end: str | None
    individual_notice_date: str | None
    breach_location: str | None
    contact_name: str | None
    sections: tuple[Section, ...] = ()
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    # The other States (state_letters.py): those whose own letter is owed, the offers their laws
    # require of this letter, the markers of those not yet made, and whether the letter leaves
    # out the nature of the breach (a Massachusetts letter of its own, M.G.L. c. 93H § 3).
    own_letter_states: tuple[str, ...] = ()
    state_offers: tuple[Offer, ...] = ()
    state_inserts: tuple[str, ...] = ()
    omits_nature: bool = False
    # Set by a jurisdiction's folder: the letter follows Civ. Code § 1798.82(d)(1)'s title and
    # headings (render.py checks them).
    ca_format: bool = False

    def template_vars(self) -> dict[str, Any]:
        """Everything but the raw inputs: templates see prepared values only."""
        hidden = {"facts", "org", "details", "result", "extra", "title", "state_offers"}
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k not in hidden}
        out["org_name"] = self.org.name
        out["document_title"] = self.title
        out["org_toll_free_phone"] = self.org.toll_free_phone
        out["missing"] = {key: missing_marker(key) for key in labels()}
        out["headline"] = f"{self.org.name} Notifies {self.state_name} Residents of a Data Breach"
        out.setdefault("addressee", ())
        out.update(self.extra)
        return out

    def with_recipient(self, recipient: Recipient) -> NoticeContext:
        """The same letter addressed to one person (a mail merge)."""
        return replace(
            self,
            recipient_name=clean_text(recipient.name),
            recipient_address_lines=tuple(clean_text(x) for x in recipient.address_lines),
        )


def format_date(value: date | None) -> str | None:
    return None if value is None else f"{value:%B} {value.day}, {value.year}"


def join_words(items: list[str] | tuple[str, ...]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def build_context(
    facts: IncidentFacts,
    org: Organisation,
    details: NoticeDetails,
    kind: NoticeKind,
    state: str | None = None,
    result: Result | None = None,
) -> NoticeContext:
    """Prepare every value a notice of this kind prints. `state` selects a media notice's State."""
    result = compute(facts) if result is None else result
    org, details = _clean_org(org), _clean_details(details)
    elements = facts.data_elements
    own = own_letter_states(result)
    # A letter of one other State's own (drafted from its resident duty) carries that State's
    # content only; the one letter for everyone carries every State's whose own letter is owed,
    # but for a State that forbids stating the nature of the breach: its residents need a letter
    # of their own (the letter cannot settle that duty, services/discharges.py says why).
    separate = kind is NoticeKind.INDIVIDUAL and (state or "") in JURISDICTIONS
    letter_states = (
        tuple(s for s in own if s == state)
        if separate
        else tuple(s for s in own if NATURE not in prohibitions(s))
    )
    offers = required_offers(facts, letter_states) if kind is NoticeKind.INDIVIDUAL else ()
    # What each jurisdiction's law adds (its folder's `prepare`): NoticeContext fields, and
    # template values of its own.
    prepared: dict[str, Any] = {}
    for content in contents():
        if content.prepare is not None:
            prepared.update(content.prepare(facts, result, kind, separate))
    ca_format = bool(prepared.pop("ca_format", False))
    labels = element_labels(elements)
    steps = default_steps(elements) if elements else []
    if details.what_you_can_do:
        steps = [details.what_you_can_do, *steps]
    individual_sent = facts.notices_sent.individuals or details.notice_date
    posting = facts.substitute_notice_started_on or details.notice_date
    location = details.breach_location or ("Paper/films" if facts.medium is Medium.PAPER else None)
    return NoticeContext(
        kind=kind,
        facts=facts,
        org=org,
        details=details,
        result=result,
        title="Notice of Data Breach" if kind in LETTER_KINDS else KINDS[kind].title,
        org_address_lines=tuple(org.address.split("\n")) if org.address else (),
        org_contact_lines=_contact_lines(org),
        notice_date=format_date(details.notice_date),
        discovered_on=format_date(facts.discovered_on) or "",
        breach_date=format_date(facts.breach_occurred_on),
        dates_sentence=_dates_sentence(facts),
        what_happened=details.what_happened or missing_marker("what_happened"),
        what_we_are_doing=details.what_we_are_doing or missing_marker("what_we_are_doing"),
        what_you_can_do=details.what_you_can_do,
        data_types=tuple(labels),
        data_types_text=join_words(labels) or missing_marker("phi_types"),
        steps=tuple(steps),
        credit_bureaus=CREDIT_BUREAUS if elements & CREDIT_BUREAU_ELEMENTS else (),
        identity_offer=_identity_offer_lines(details),
        law_enforcement_sentence=_law_enforcement_sentence(facts),
        recipient_name="[Recipient name]",
        recipient_address_lines=("[Mailing address]",),
        total_affected=facts.total_affected,
        state=state,
        state_name=STATE_NAMES.get(state or "", state),
        state_affected=f"{facts.residents(state):,}" if state else "0",
        posting_start=format_date(posting),
        posting_end=format_date(posting + timedelta(days=SUBSTITUTE_POSTING_DAYS))
        if posting
        else None,
        individual_notice_date=format_date(individual_sent),
        breach_location=location,
        contact_name=details.contact_name,
        own_letter_states=own,
        state_offers=offers,
        state_inserts=tuple(missing_marker(o.key) for o in offers if not offer_met(o, details)),
        omits_nature=separate and state in own and NATURE in prohibitions(state or ""),
        extra=prepared,
        ca_format=ca_format,
    )


def _opt_clean(value: str | None) -> str | None:
    return (clean_text(value) or None) if value else None


def _clean_org(org: Organisation) -> Organisation:
    return Organisation(
        clean_text(org.name),
        _opt_clean(org.address),
        _opt_clean(org.toll_free_phone),
        _opt_clean(org.email),
        _opt_clean(org.website),
    )


def _clean_details(details: NoticeDetails) -> NoticeDetails:
    """User text reaches templates only through here and parsing: no control characters."""
    changes: dict[str, Any] = {
        name: clean_text(value) or None
        for name in details.__dataclass_fields__
        if isinstance(value := getattr(details, name), str)
    }
    changes["safeguards"] = tuple(clean_text(s) for s in details.safeguards)
    ip = details.identity_protection
    if ip is not None:
        changes["identity_protection"] = replace(
            ip,
            provider=_opt_clean(ip.provider),
            enrollment_url=_opt_clean(ip.enrollment_url),
            enrollment_code=_opt_clean(ip.enrollment_code),
        )
    return replace(details, **changes)


def _contact_lines(org: Organisation) -> tuple[str, ...]:
    lines = []
    if org.toll_free_phone:
        lines.append(f"Call toll-free: {org.toll_free_phone}")
    if org.email:
        lines.append(f"Email: {org.email}")
    if org.website:
        lines.append(f"Web site: {org.website}")
    if org.address:
        lines.append("Write to: " + org.address.replace("\n", ", "))
    return tuple(lines)


def _dates_sentence(facts: IncidentFacts) -> str:
    found = format_date(facts.discovered_on)
    if facts.breach_occurred_on is None:
        return f"We discovered the breach on {found}. The date of the breach is not yet known."
    occurred = format_date(facts.breach_occurred_on)
    return f"The breach occurred on {occurred}, and we discovered it on {found}."


def _law_enforcement_sentence(facts: IncidentFacts) -> str:
    """Civ. Code § 1798.82(d)(2): say whether a law-enforcement investigation delayed notice."""
    if not facts.holds:
        return "This notice was not delayed by a law enforcement investigation."
    return (
        "This notice was delayed at the request of law enforcement, because notice earlier "
        "would have impeded a criminal investigation."
    )


def _identity_offer_lines(details: NoticeDetails) -> tuple[str, ...]:
    ip = details.identity_protection
    if ip is None or not ip.provider:
        return ()
    months = f"{ip.months} months of " if ip.months else ""
    lines = [
        f"We are offering you {months}identity theft protection services through "
        f"{ip.provider} at no cost to you."
    ]
    if ip.enrollment_url:
        lines.append(f"To enroll, go to {ip.enrollment_url}.")
    if ip.enrollment_code:
        lines.append(f"Your enrollment code is {ip.enrollment_code}.")
    if ip.enroll_by:
        lines.append(f"Please enroll by {format_date(ip.enroll_by)}.")
    return tuple(lines)
