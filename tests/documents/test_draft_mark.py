"""Letters merged from an unapproved text carry "DRAFT — not approved" on every page, in the PDF
(a page header, read back per page with pdftotext) and in the DOCX (the header every section
uses); letters from an approved version carry no mark."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from incident_tracker.core.notices.render import Block
from incident_tracker.documents import render_pdf
from incident_tracker.documents.merge import docx_fragment, join_docx
from incident_tracker.services.letters import DRAFT_MARK
from tests.documents.support import pdf_text

# Three letters, the second two pages long (a page break), so four pages in all.
LETTER = (Block("title", "Notice of Data Breach"), Block("paragraph", "Dear Pat:"))
LONG = (*LETTER, Block("page_break", ""), Block("paragraph", "Second page."))


def test_every_pdf_page_of_a_draft_carries_the_mark(tmp_path: Path) -> None:
    pdf = render_pdf([LETTER, LONG, LETTER], "Notice of Data Breach", DRAFT_MARK)
    pages = pdf_text(pdf, tmp_path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == 4
    assert all(DRAFT_MARK in p for p in pages)
    approved = render_pdf([LETTER, LONG, LETTER], "Notice of Data Breach")
    assert DRAFT_MARK not in pdf_text(approved, tmp_path)


def test_the_merged_docx_of_a_draft_has_the_mark_as_its_header(tmp_path: Path) -> None:
    fragment = tmp_path / "0.xml"
    fragment.write_bytes(docx_fragment([LETTER, LETTER], DRAFT_MARK))
    target = tmp_path / "letters.docx"
    join_docx([fragment], target, "Notice of Data Breach", DRAFT_MARK)
    with zipfile.ZipFile(BytesIO(target.read_bytes())) as package:
        headers = [n for n in package.namelist() if n.startswith("word/header")]
        assert headers and any(DRAFT_MARK in package.read(n).decode() for n in headers)
        body = package.read("word/document.xml").decode()
    # Every section (one per letter) names a header: none falls back to a blank page top.
    assert body.count("<w:sectPr") == body.count("w:headerReference") >= 2
    clean = tmp_path / "approved.docx"
    fragment.write_bytes(docx_fragment([LETTER, LETTER]))
    join_docx([fragment], clean, "Notice of Data Breach")
    with zipfile.ZipFile(clean) as package:
        assert not any(
            DRAFT_MARK in package.read(n).decode()
            for n in package.namelist()
            if n.startswith("word/")
        )
