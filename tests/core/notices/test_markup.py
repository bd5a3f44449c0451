"""The stored notice text (core.notices.markup) gives back exactly the blocks it was made from,
so the approved DOCX and PDF show exactly the reviewed wording (45 CFR 164.530(j))."""

from __future__ import annotations

import pytest

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import NoticeKind, media_states
from incident_tracker.core.notices.markup import (
    from_markup,
    missing_markers,
    paragraphs,
    to_markup,
)
from incident_tracker.core.notices.render import Block
from tests.core.notices.support import CASES, FULL_NOTICE, make


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_worked_case_round_trips_through_the_markup(kind: NoticeKind) -> None:
    """Every notice kind of every worked case (tests/data/worked_cases.json), with and without
    details."""
    checked = 0
    for case in CASES:
        state = None
        if kind is NoticeKind.MEDIA:
            states = media_states(parse_incident(case["incident"]))
            state = states[0] if states else "NY"
        for details in (None, FULL_NOTICE):
            try:
                draft = make(case["incident"], kind, details, state=state)
            except ValueError:
                continue  # a kind the case cannot draft (e.g. a sample with no CA residents)
            assert from_markup(to_markup(draft.blocks)) == draft.blocks
            checked += 1
    assert checked > 0


def test_the_markup_reads_like_a_letter() -> None:
    blocks = (
        Block("title", "Notice of Data Breach"),
        Block("heading", "What Happened"),
        Block("paragraph", "A laptop was stolen."),
        Block("bullet", "Review your statements."),
        Block("bullet", "Call us:\n1-800-555-0100"),
        Block("field", "Smith & Sons", "Name"),
        Block("field", "100 Main St\nAlbany", "Address"),
        Block("page_break"),
    )
    assert to_markup(blocks) == (
        "# Notice of Data Breach\n\n## What Happened\n\nA laptop was stolen.\n\n"
        "- Review your statements.\n- Call us:\n  1-800-555-0100\n\n"
        "Name:: Smith & Sons\nAddress:: 100 Main St\n  Albany\n\n* * *\n"
    )
    assert from_markup(to_markup(blocks)) == blocks


@pytest.mark.parametrize(
    "text",
    ["# not a title", "- not a bullet", "Note:: not a field", "* * *", "\\ a backslash"],
)
def test_a_paragraph_that_looks_like_markup_is_escaped(text: str) -> None:
    blocks = (Block("paragraph", text),)
    assert to_markup(blocks) == "\\" + text + "\n"
    assert from_markup(to_markup(blocks)) == blocks


def test_hand_edits_are_read_leniently() -> None:
    """Windows line ends, extra blank lines and trailing spaces change nothing."""
    assert from_markup("# Title  \r\n\r\n\r\nBody line one\r\nline two\r\n") == (
        Block("title", "Title"),
        Block("paragraph", "Body line one\nline two"),
    )


def test_paragraphs_and_missing_markers() -> None:
    text = "# T\n\nA [MISSING: the date]\n\n- x\n- y\n"
    assert paragraphs(text) == ["# T", "A [MISSING: the date]", "- x\n- y"]
    assert missing_markers(text) == ["the date"]
