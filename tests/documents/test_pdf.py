"""PDF notices: content read back with pdftotext, US Letter, page numbers, nothing under 10 point,
CA title and headings conspicuous, user text inert, and no network request (stack.md §6, T-DOC).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import (
    NoticeKind,
    Recipient,
    draft_letters,
    merge,
    parse_notice,
    parse_organisation,
)
from incident_tracker.documents import html_to_pdf, render_html, render_pdf
from tests.core.notices.support import ENV, FULL_NOTICE, ORGANISATION, case, make
from tests.documents.support import Listener, pdf_info, pdf_text, word_heights

HOSTILE = "{{ 7*7 }} <script>alert('x')</script> <b>bold</b>"
CA_HEADINGS = (
    "What Happened",
    "What Information Was Involved",
    "What We Are Doing",
    "What You Can Do",
    "For More Information",
)


def _flat(text: str) -> str:
    """pdftotext breaks lines where the PDF wraps them."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def ca_letter_pdf() -> bytes:
    notice = make(
        case("C13")["incident"], NoticeKind.INDIVIDUAL, {**FULL_NOTICE, "what_happened": HOSTILE}
    )
    return render_pdf([notice.blocks], notice.title)


def test_pdf_text_carries_the_letter_and_user_text_literally(
    ca_letter_pdf: bytes, tmp_path: Path
) -> None:
    text = _flat(pdf_text(ca_letter_pdf, tmp_path))
    assert "Smith & Sons Health" in text
    assert "{{ 7*7 }} <script>alert('x')</script> <b>bold</b>" in text
    assert "&amp;" not in text and "&lt;" not in text
    assert "Notice of Data Breach" in text
    for heading in CA_HEADINGS:
        assert heading in text
    assert "Social Security number" in text and "Equifax" in text


def test_pdf_is_us_letter_with_page_numbers(ca_letter_pdf: bytes, tmp_path: Path) -> None:
    info = pdf_info(ca_letter_pdf, tmp_path)
    assert "612 x 792 pts (letter)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = pdf_text(ca_letter_pdf, tmp_path)
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text


def test_nothing_is_smaller_than_10_point_and_headings_stand_out(
    ca_letter_pdf: bytes, tmp_path: Path
) -> None:
    """Civ. Code § 1798.82(d)(1): no text under 10-point type; title and headings conspicuous."""
    reference = word_heights(html_to_pdf("<p style='font-size: 10pt'>Page</p>"), tmp_path)[0][1]
    heights = word_heights(ca_letter_pdf, tmp_path)
    assert min(h for _, h in heights) >= reference - 0.01
    body = max(h for w, h in heights if w == "Dear")
    assert min(h for w, h in heights if w in ("Notice", "Breach")) > body * 1.4
    assert min(h for w, h in heights if w in ("Happened", "Involved", "Information")) > body


def test_html_escapes_user_text() -> None:
    notice = make(
        case("C01")["incident"], NoticeKind.INDIVIDUAL, {**FULL_NOTICE, "what_happened": HOSTILE}
    )
    html = render_html([notice.blocks], notice.title)
    assert "Smith &amp; Sons Health" in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "{{ 7*7 }}" in html


def test_missing_elements_are_highlighted_in_the_document() -> None:
    notice = make(case("C01")["incident"], NoticeKind.INDIVIDUAL, None)
    html = render_html([notice.blocks], notice.title)
    assert '<p class="missing">[MISSING: a brief description of what happened]</p>' in html


def test_a_pdf_render_makes_no_network_request(tmp_path: Path) -> None:
    """Neither user text nor the HTML itself can make WeasyPrint fetch a URL (stack.md §6)."""
    with Listener() as listener:
        url = listener.url
        typed = f'<img src="{url}"> <link rel="stylesheet" href="{url}">'
        notice = make(
            case("C01")["incident"], NoticeKind.INDIVIDUAL, {**FULL_NOTICE, "what_happened": typed}
        )
        pdf = render_pdf([notice.blocks], notice.title)
        html_to_pdf(
            f'<html><head><link rel="stylesheet" href="{url}"><style>@import url("{url}");'
            f' body {{ background: url("{url}") }} @font-face {{ font-family: X; src: url("{url}")'
            f' }}</style></head><body><img src="{url}"><iframe src="{url}"></iframe>'
            f'<object data="{url}"></object></body></html>'
        )
    assert listener.connections == 0
    assert typed in _flat(pdf_text(pdf, tmp_path))


def test_the_network_check_can_fail() -> None:
    """Guard: WeasyPrint's default fetcher does connect, so a zero above means something."""
    from weasyprint import HTML

    with Listener() as listener:
        HTML(string=f'<img src="{listener.url}">').write_pdf()
    assert listener.connections >= 1


def test_merged_letters_restart_page_numbers(tmp_path: Path) -> None:
    facts, org, details = (
        parse_incident(case("C13")["incident"]),
        parse_organisation(ORGANISATION),
        parse_notice(FULL_NOTICE),
    )
    letters = draft_letters(
        ENV,
        facts,
        org,
        details,
        [Recipient("Ana Diaz", ("1 Oak St",)), Recipient("Bo Li", ("2 Elm St",))],
    )
    pdf = render_pdf([letter.blocks for letter in letters], "Notice of Data Breach")
    text = pdf_text(pdf, tmp_path)
    assert text.count("Page 1\n") + text.count("Page 1\f") == 2
    assert text.index("Dear Ana Diaz:") < text.index("Dear Bo Li:")
    single = render_pdf([merge(letters)], "Notice of Data Breach")
    assert "Page 1 of" in pdf_text(single, tmp_path)


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_kind_becomes_a_pdf(kind: NoticeKind, tmp_path: Path) -> None:
    notice = make(case("C13")["incident"], kind, FULL_NOTICE, state="NY")
    text = _flat(pdf_text(render_pdf([notice.blocks], notice.title), tmp_path))
    assert next(b.text for b in notice.blocks if b.kind == "title") in text
