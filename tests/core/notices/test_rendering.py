"""The letters' Jinja environment and block markup: user text is data, typed as it is.

Rule (architecture.md §1.7): text output carries user text as typed, with no HTML
escaping; `{{ }}` and `<script>` typed into any field stay inert; user text cannot forge document
structure; a misspelt template slot fails loudly (StrictUndefined).
"""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, UndefinedError

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import (
    NoticeKind,
    Recipient,
    draft,
    draft_letters,
    make_environment,
    merge,
    parse_notice,
    parse_organisation,
    prepare,
)
from incident_tracker.core.notices.render import parse_blocks, render, to_text
from tests.core.notices.support import ENV, FULL_NOTICE, ORGANISATION, make
from tests.factories import incident

HOSTILE = "{{ 7*7 }} {% raw %}x{% endraw %} <script>alert('x')</script> & Sons \"q\""
FIELDS = (
    "what_happened",
    "what_we_are_doing",
    "what_you_can_do",
    "contact_name",
    "breach_type",
    "determination_basis",
    "breach_time",
)


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_text_keeps_user_text_exactly_as_typed(kind: NoticeKind) -> None:
    notice = make(
        incident(affected_by_state={"NY": 600, "CA": 600}),
        kind,
        {**FULL_NOTICE, **dict.fromkeys(FIELDS, HOSTILE)},
        organisation={**ORGANISATION, "name": "Smith & Sons <Health>"},
        state="NY",
    )
    assert "Smith & Sons <Health>" in notice.text
    assert "&amp;" not in notice.text and "&lt;" not in notice.text
    assert HOSTILE in notice.text  # {{ 7*7 }} was never evaluated, nothing was escaped


def test_control_characters_cannot_forge_a_heading_or_title() -> None:
    forged = "Harmless\n\x1eTFake Title\n\x1eHFake Heading\x00"
    notice = make(incident(), NoticeKind.INDIVIDUAL, {**FULL_NOTICE, "what_happened": forged})
    assert [b.text for b in notice.blocks if b.kind == "title"] == ["Notice of Data Breach"]
    assert "Fake Heading" not in [b.text for b in notice.blocks if b.kind == "heading"]
    assert "TFake Title" in notice.text  # kept as plain text, marker removed


def test_multi_paragraph_user_text_stays_in_paragraphs() -> None:
    notice = make(
        incident(),
        NoticeKind.INDIVIDUAL,
        {**FULL_NOTICE, "what_happened": "First.\r\n\r\nSecond line\nthird line"},
    )
    paragraphs = [b.text for b in notice.blocks if b.kind == "paragraph"]
    assert "First." in paragraphs and "Second line\nthird line" in paragraphs


def test_a_misspelt_template_slot_fails_loudly() -> None:
    env = make_environment(DictLoader({"individual.txt.j2": "{{ what_hapened }}"}))
    ctx = prepare(
        parse_incident(incident()),
        parse_organisation(ORGANISATION),
        parse_notice(FULL_NOTICE),
        NoticeKind.INDIVIDUAL,
    )
    with pytest.raises(UndefinedError):
        render(env, ctx)


def test_the_ca_structure_check_can_fail() -> None:
    """Civ. Code § 1798.82(d)(1): a CA letter without the title and headings is reported."""
    env = make_environment(DictLoader({"individual.txt.j2": "{{ title('Notice') }}\nHello\n"}))
    ctx = prepare(
        parse_incident(incident(affected_by_state={"CA": 3})),
        parse_organisation(ORGANISATION),
        parse_notice(FULL_NOTICE),
        NoticeKind.INDIVIDUAL,
    )
    missing = render(env, ctx).missing
    assert [m.citation for m in missing] == ["Cal. Civ. Code § 1798.82(d)(1)"] * 2


def test_plain_text_layout_underlines_title_and_headings() -> None:
    blocks = parse_blocks(
        "\x1eTNotice\n\x1eHWhat Happened\nBody\nline two\n\n\x1eBone\n\x1eBtwo\n"
        "\x1eFLabel\x1fvalue\n"
    )
    assert to_text(blocks) == (
        "Notice\n======\n\nWhat Happened\n-------------\n\nBody\nline two\n\n  - one\n  - two\n\n"
        "Label: value\n"
    )


def test_merged_letters_are_addressed_one_per_page() -> None:
    facts, org, details = (
        parse_incident(incident()),
        parse_organisation(ORGANISATION),
        parse_notice(FULL_NOTICE),
    )
    people = [Recipient("Ana Diaz", ("1 Oak St", "Troy, NY 12180")), Recipient("Bo Li", ())]
    letters = draft_letters(ENV, facts, org, details, people)
    assert "Dear Ana Diaz:" in letters[0].text and "1 Oak St" in letters[0].text
    assert "Dear Bo Li:" in letters[1].text
    blocks = merge(letters)
    assert [b.kind for b in blocks].count("page_break") == 1
    single = draft(ENV, facts, org, details, NoticeKind.INDIVIDUAL, recipient=people[1])
    assert single.text == letters[1].text
