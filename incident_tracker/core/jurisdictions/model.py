"""What one jurisdiction's folder exports: a `Jurisdiction`, all the tracker knows of its law.

The registry (registry.py) lists the jurisdictions and derives from them every list that used to be
written out by hand: the rules in evaluation order, the dated parameters, the States whose own law
is evaluated, the notices a recorded "done" feeds back to the engine, the notice each rule's duty
ends in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from incident_tracker.core.calendar import BusinessCalendar
from incident_tracker.core.parameters import Parameter
from incident_tracker.core.rules.base import Rule

if TYPE_CHECKING:
    from incident_tracker.core.assessment.questions import Step
    from incident_tracker.core.notices.content import NoticeContent
    from incident_tracker.core.risk import StateRisk


@dataclass(frozen=True, slots=True)
class NoticeKindSpec:
    """A notice kind a jurisdiction's law calls for: the `NoticeKind` member its `key` becomes
    (core/notices/kinds.py), stored as `key` in the database."""

    key: str  # the stored value and the template's stem: "ny_agencies"
    title: str  # what the document is, for file metadata and the DOCX title
    citation: str
    letter: bool  # a letter to people (plain language, CA format) rather than a filing

    @property
    def member(self) -> str:
        return self.key.upper()

    @property
    def template(self) -> str:
        return f"{self.key}.txt.j2"


@dataclass(frozen=True, slots=True)
class PersonalInformation:
    """Data elements its breach law counts, from `since` (None: since the law's start).

    `role`: "listed" elements count linked with an identifier, "identifier" elements are those
    identifiers, "alone" elements count on their own; `scope` narrows whom the law binds.
    """

    elements: frozenset[str]
    since: date | None = None
    role: str = "listed"
    scope: str = ""


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    code: str  # the `jurisdiction` of its rules and obligations: "Federal", "NY"
    name: str  # "New York"
    law_page: str  # its page under docs/law/
    rules: tuple[Rule, ...]  # in evaluation order
    parameters: tuple[Parameter, ...]  # every dated value the rules compute with, cited
    # The calendars its business-day counts and roll-forwards use (its holidays, versioned).
    calendars: tuple[BusinessCalendar, ...] = ()
    # Whether it is a State whose residents' count triggers its law (False for federal law).
    state: bool = True
    # Notice kinds (core/notices/kinds.py names) and which of its rules each discharges; a kind
    # another jurisdiction drafts (the individual letter) may discharge its duty too.
    notices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The notice kinds its own law calls for (its folder's notices.py), in registry order.
    notice_kinds: tuple[NoticeKindSpec, ...] = ()
    # What its notices add: the elements, letter content and filing worksheets (core/notices'
    # `NoticeContent`), loaded when a notice is drafted: they read the drafting context.
    notice_content: Callable[[], NoticeContent] | None = None
    # The data elements its breach law counts, with the date each group took effect (the incident
    # form's notes per group of elements).
    personal_information: tuple[PersonalInformation, ...] = ()
    # A rule's duty recorded as done feeds the engine as the date that notice was sent
    # (`notices_sent.<key>` of the incident format; docs/law/conventions.md).
    done_feeds: tuple[tuple[str, str], ...] = ()
    # Duties its law deems met by the HIPAA letter itself (no letter of its own is drafted or
    # recorded): (rule id, the citation fragment of the version that says so).
    met_by_hipaa_letter: tuple[tuple[str, str], ...] = ()
    # Each rule's name in words, for pages, e-mails and documents ("Still owed: ..."), never an id
    # alone (core/rule_names.py).
    names: tuple[tuple[str, str], ...] = ()
    # Its questions in the assessment walk (the determinations its law provides for), loaded when
    # the walk is built: they read the assessment's answers, which read the rules.
    assessment: Callable[[], tuple[Step, ...]] | None = None
    # What it adds to the assessment's conclusion (its determinations, what a HIPAA conclusion
    # leaves owed under its law), loaded when used: it reads core/risk.
    risk: Callable[[], StateRisk] | None = None

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.id for r in self.rules))
