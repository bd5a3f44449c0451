"""DOCX notices re-read with python-docx: text as typed, US Letter, page numbers, every style at
10 point or more, the CA title and headings as bold, larger styles (stack.md §6; 1798.82(d)(1)).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from docx import Document
from docx.shared import Inches, Pt

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import (
    NoticeKind,
    Recipient,
    draft_letters,
    parse_notice,
    parse_organisation,
)
from incident_tracker.documents import render_docx
from tests.core.notices.support import ENV, FULL_NOTICE, ORGANISATION, case, make

HOSTILE = "{{ 7*7 }} <script>alert('x')</script> &amp; <w:t>"
CA_HEADINGS = [
    "What Happened",
    "What Information Was Involved",
    "What We Are Doing",
    "What You Can Do",
    "For More Information",
]


@pytest.fixture(scope="module")
def letter() -> Any:
    notice = make(
        case("C13")["incident"], NoticeKind.INDIVIDUAL, {**FULL_NOTICE, "what_happened": HOSTILE}
    )
    return Document(BytesIO(render_docx([notice.blocks], notice.title)))


def _text(doc: Any) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def test_docx_carries_user_text_exactly_as_typed(letter: Any) -> None:
    text = _text(letter)
    assert "Smith & Sons Health" in text
    assert HOSTILE in text


def test_docx_has_the_ca_title_and_headings_in_conspicuous_styles(letter: Any) -> None:
    titles = [p.text for p in letter.paragraphs if p.style.name == "Title"]
    headings = [p.text for p in letter.paragraphs if p.style.name == "Heading 2"]
    assert titles == ["Notice of Data Breach"]
    assert headings == CA_HEADINGS
    body = letter.styles["Normal"].font.size
    assert letter.styles["Title"].font.bold and letter.styles["Title"].font.size > body
    assert letter.styles["Heading 2"].font.bold and letter.styles["Heading 2"].font.size > body


def test_docx_uses_nothing_under_10_point(letter: Any) -> None:
    used = {p.style.name for p in letter.paragraphs}
    used |= {p.style.name for p in letter.sections[0].footer.paragraphs}
    for name in used:
        assert letter.styles[name].font.size >= Pt(10), name
    for paragraph in letter.paragraphs:
        for run in paragraph.runs:
            assert run.font.size is None or run.font.size >= Pt(10)


def test_docx_is_us_letter_with_page_numbers(letter: Any) -> None:
    section = letter.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="SECTIONPAGES"' in footer_xml
    assert letter.core_properties.title == "Notice of Data Breach"


def test_merged_docx_letters_restart_numbering_per_letter() -> None:
    facts, org, details = (
        parse_incident(case("C01")["incident"]),
        parse_organisation(ORGANISATION),
        parse_notice(FULL_NOTICE),
    )
    people = [Recipient(f"Person {i}", (f"{i} Main St",)) for i in range(3)]
    letters = draft_letters(ENV, facts, org, details, people)
    doc = Document(BytesIO(render_docx([x.blocks for x in letters], "Notice of Data Breach")))
    assert len(doc.sections) == 3
    assert all('w:start="1"' in s._sectPr.xml for s in doc.sections[1:])
    assert [p.text for p in doc.paragraphs if p.text.startswith("Dear ")] == [
        "Dear Person 0:",
        "Dear Person 1:",
        "Dear Person 2:",
    ]


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_kind_becomes_a_docx(kind: NoticeKind) -> None:
    notice = make(
        case("C13")["incident"], kind, {**FULL_NOTICE, "what_happened": HOSTILE}, state="NY"
    )
    doc = Document(BytesIO(render_docx([notice.blocks], notice.title)))
    assert HOSTILE in _text(doc)
    fields = [p for p in doc.paragraphs if p.runs and p.runs[0].bold]
    assert all(p.runs[0].text.endswith(": ") for p in fields)
