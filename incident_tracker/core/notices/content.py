"""What a jurisdiction adds to the notices: its elements, the content its law requires of the
individual letter, and for each of its own kinds the required elements, worksheet and addressees.

Each folder exports one `NoticeContent` (its notice_content.py), loaded when a notice is first
drafted: it reads the drafting context, which reads the registry. elements.py, context.py and
filings.py ask these, so a new jurisdiction's notices need no edit there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from incident_tracker.core.jurisdictions.registry import JURISDICTIONS

if TYPE_CHECKING:
    from incident_tracker.core.facts import IncidentFacts
    from incident_tracker.core.notices.context import NoticeContext, Section
    from incident_tracker.core.notices.elements import Requirement
    from incident_tracker.core.notices.kinds import NoticeKind
    from incident_tracker.core.notices.render import Block
    from incident_tracker.core.obligations import Result

Spec = tuple[str, str]  # (element key, citation)
Check = Callable[["NoticeContext"], bool]


@dataclass(frozen=True, slots=True)
class Element:
    """An element its notices may require: the words of its "[MISSING: ...]" marker and the
    check that it is supplied."""

    key: str
    label: str
    check: Check


@dataclass(frozen=True, slots=True)
class KindContent:
    """One of its own notice kinds: the elements required (with the section requiring each), the
    worksheet sections, the addressees and the notes for the person drafting."""

    kind: str
    specs: Callable[[NoticeContext], list[Spec]]
    sections: Callable[[NoticeContext], tuple[Section, ...]] | None = None
    addressee: tuple[str, ...] = ()
    notes: Callable[[NoticeContext], list[str]] | None = None
    # The template letter to residents travels with it (GBL 899-aa(8)(a)).
    carries_letter: bool = False
    # Why it cannot be addressed to a person (a sample copy), if it cannot.
    unaddressed: str = ""


@dataclass(frozen=True, slots=True)
class LetterContent:
    """What its law requires of the individual letter that settles its resident duty `duty`."""

    duty: str
    specs: Callable[[NoticeContext], list[Spec]]
    # Whether a letter of `kind` carries this content, for these facts.
    applies: Callable[[NoticeKind, NoticeContext], bool]
    # What its law requires of the letter's structure (title, headings) that the blocks lack.
    structure: Callable[[Sequence[Block]], list[Requirement]] | None = None


# Prepares the values its letters print (template variables, NoticeContext fields): facts, the
# engine's result, the kind, and whether the letter is another State's own (then it adds none).
Prepare = Callable[["IncidentFacts", "Result", "NoticeKind", bool], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class NoticeContent:
    code: str
    elements: tuple[Element, ...] = ()
    kinds: tuple[KindContent, ...] = ()
    letter: LetterContent | None = None
    prepare: Prepare | None = None
    by_kind: dict[str, KindContent] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_kind.update({k.kind: k for k in self.kinds})


@cache
def contents() -> tuple[NoticeContent, ...]:
    """Every jurisdiction's notice content, in registry order."""
    return tuple(j.notice_content() for j in JURISDICTIONS if j.notice_content)


def kind_content(kind: str) -> KindContent | None:
    """The content of a jurisdiction's own kind; None for the shared ones."""
    for content in contents():
        if kind in content.by_kind:
            return content.by_kind[kind]
    return None


def owner(kind: str) -> str | None:
    """The code of the jurisdiction whose own kind this is; None for the shared ones."""
    for content in contents():
        if kind in content.by_kind:
            return content.code
    return None


def letters() -> tuple[LetterContent, ...]:
    """The jurisdictions' letter content, in registry order."""
    return tuple(c.letter for c in contents() if c.letter)


def structure_problems(blocks: Sequence[Block], duty: str | None = None) -> list[Requirement]:
    """What the letters' laws require of a letter's structure that `blocks` lack; only the law
    behind `duty` (CA1) when given."""
    return [
        p
        for letter in letters()
        if letter.structure is not None and duty in (None, letter.duty)
        for p in letter.structure(blocks)
    ]
