"""From the stored incident to a notice text and its required-content check.

The same core as the CLI (core.notices.draft) drafts from the facts as the engine sees them, the
organisation profile and the incident's notice details; the text is stored as markup
(core.notices.markup) so every later edit is plain text, and the approved files are built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader

from incident_tracker.config import PROJECT_ROOT
from incident_tracker.core.facts import FactsError, IncidentFacts, parse_incident
from incident_tracker.core.notices import NoticeKind, Organisation, draft, make_environment
from incident_tracker.core.notices.content import structure_problems
from incident_tracker.core.notices.context import NoticeContext
from incident_tracker.core.notices.drafting import NoticeError, carries_letter, prepare
from incident_tracker.core.notices.elements import audience_status, element_status
from incident_tracker.core.notices.kinds import kind_for_rule
from incident_tracker.core.notices.markup import from_markup, missing_markers, to_markup
from incident_tracker.core.notices.state_letters import (
    prohibition_gaps,
    prohibition_rows,
    resident_duties,
)
from incident_tracker.db.models import Incident, ObligationRecord
from incident_tracker.services import notice_details, obligations, organisation
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed

LETTERS = PROJECT_ROOT / "templates" / "notices" / "letters"
NO_NAME = "[MISSING: the organisation's legal name (Administration > Organisation)]"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return make_environment(FileSystemLoader(str(LETTERS)))


def facts_for(call: Call, incident: Incident) -> IncidentFacts:
    try:
        return parse_incident(obligations.facts_object(call, incident))
    except FactsError as exc:  # the incident form validates first; this guards other paths
        raise ValidationFailed({"facts": "; ".join(exc.problems)}) from exc


def organisation_for(call: Call) -> Organisation:
    """The organisation profile as the notices see it: its postal address where one is given."""
    org = organisation.get(call)
    return Organisation(
        name=org.legal_name.strip() or NO_NAME,
        address=(org.postal_address or org.address).strip() or None,
        toll_free_phone=org.toll_free_number.strip() or None,
        email=org.contact_email.strip() or None,
        website=org.website.strip() or None,
    )


def target(record: ObligationRecord) -> str:
    """What picks the notice among those of its kind: the obligation's State (a media notice), the
    jurisdiction of another State's resident duty (a letter of its own: MA1 -> MA), or for another
    State's regulator notice the duty itself, since a State may have several (WA2 the Attorney
    General, WA3 the Insurance Commissioner)."""
    if kind_for_rule(record.rule_id) is NoticeKind.STATE_REGULATOR:
        return record.rule_id
    return resident_duties().get(record.rule_id, record.state)


def generate(call: Call, incident: Incident, kind: NoticeKind, state: str) -> str:
    """The drafted text of one notice, as editable markup."""
    try:
        result = draft(
            environment(),
            facts_for(call, incident),
            organisation_for(call),
            notice_details.details_for(call, incident),
            kind,
            state=state or None,
        )
    except NoticeError as exc:
        raise ValidationFailed({"notice": str(exc)}) from exc
    return to_markup(result.blocks)


@dataclass(frozen=True)
class CheckRow:
    element: str
    citation: str
    present: bool


@dataclass(frozen=True)
class ContentCheck:
    """Required contents with citations (from the facts and details), the placeholders still in
    the text and, for letters in the California format, the title and headings of the text.
    `notes`: a State regulator filing's notes for the person drafting, which its template keeps
    out of the filing (core/notices/state_filings.py), so the page shows them beside it."""

    rows: tuple[CheckRow, ...]
    placeholders: tuple[str, ...]
    structure: tuple[CheckRow, ...]
    notes: tuple[str, ...] = ()

    @property
    def missing(self) -> list[str]:
        """Everything that stops a plain approval: one line per gap."""
        gaps = [r for r in (*self.rows, *self.structure) if not r.present]
        named = {r.element for r in gaps}
        return [f"{r.element} ({r.citation})" for r in gaps] + [
            f"placeholder left in the text: [MISSING: {p}]"
            for p in self.placeholders
            if p not in named
        ]


def _rows(ctx: NoticeContext, prefix: str = "") -> list[CheckRow]:
    return [
        CheckRow(prefix + s.requirement.element, s.requirement.citation, s.present)
        for s in element_status(ctx.kind, ctx)
    ]


def check(call: Call, incident: Incident, kind: NoticeKind, state: str, text: str) -> ContentCheck:
    """The required-content check shown beside a draft (element_status, with citations)."""
    facts = facts_for(call, incident)
    org = organisation_for(call)
    details = notice_details.details_for(call, incident)
    try:
        ctx = prepare(facts, org, details, kind, state or None)
    except NoticeError as exc:
        raise ValidationFailed({"notice": str(exc)}) from exc
    rows = _rows(ctx)
    placeholders = tuple(dict.fromkeys(missing_markers(text)))
    if kind is NoticeKind.STATE_REGULATOR:
        # An answer no record gives is typed into the filing in place of its marker.
        rows = [replace(r, present=r.present or r.element not in placeholders) for r in rows]
    if kind is NoticeKind.INDIVIDUAL and (ctx.state or "") in ctx.own_letter_states:
        # A State's letter of its own: what its law forbids it to state (M.G.L. c. 93H § 3).
        rows += [
            CheckRow(element, cite, ok)
            for element, cite, ok in prohibition_rows(ctx.state or "", facts, details, text)
        ]
    if carries_letter(ctx):  # the letter travels with it (the NY agencies' notice, 899-aa(8)(a))
        letter = prepare(facts, org, details, NoticeKind.INDIVIDUAL, result=ctx.result)
        rows += _rows(letter, "template letter: ")
    structure = (
        tuple(CheckRow(p.element, p.citation, False) for p in structure_problems(from_markup(text)))
        if ctx.ca_format
        else ()
    )
    notes = ctx.notes if kind is NoticeKind.STATE_REGULATOR else ()
    return ContentCheck(tuple(rows), placeholders, structure, notes)


def audience_gaps(call: Call, incident: Incident, rule_id: str, text: str) -> list[str]:
    """What the individual letter `text` lacks for the duty `rule_id` (its State's required
    elements, from the facts and details and still marked MISSING in the text); empty when the
    letter meets that law. CA1 also needs the title and headings of Civ. Code § 1798.82(d)(1)."""
    try:
        ctx = prepare(
            facts_for(call, incident),
            organisation_for(call),
            notice_details.details_for(call, incident),
            NoticeKind.INDIVIDUAL,
        )
    except NoticeError as exc:
        raise ValidationFailed({"notice": str(exc)}) from exc
    code = resident_duties().get(rule_id)
    forbidden = (
        prohibition_gaps(code, ctx.facts, ctx.details, text)
        if code is not None and code in ctx.own_letter_states
        else []
    )
    markers = set(missing_markers(text))
    gaps = [
        f"{s.requirement.element} ({s.requirement.citation})"
        for s in audience_status(rule_id, ctx)
        if not s.present or s.requirement.element in markers
    ]
    # A duty whose law requires a structure of the letter (CA1: Civ. Code § 1798.82(d)(1)).
    gaps += [f"{p.element} ({p.citation})" for p in structure_problems(from_markup(text), rule_id)]
    return gaps + forbidden
