"""DOCX through python-docx: text runs, so user text is carried exactly as typed (stack.md §6).

US Letter, one-inch margins, "Page N of M" in the footer, every style at 10 point or more, and the
title and headings bold and larger than the body (Civ. Code § 1798.82(d)(1),
docs/law/california.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from incident_tracker.core.notices.render import Block
from incident_tracker.documents.html import group_blocks

BODY_PT = 11
TITLE_PT = 18
HEADING_PT = 13
FOOTER_PT = 10
FONT = "Arial"


def render_docx(
    documents: Sequence[Sequence[Block]], title: str, watermark: str | None = None
) -> bytes:
    """One .docx holding the documents; each after the first starts a new section whose page
    numbers restart, so merged letters number their own pages. A `watermark` ("DRAFT — not
    approved") is the header of every page (later sections inherit the first one's header)."""
    from docx import Document
    from docx.enum.section import WD_SECTION

    doc = Document()
    _styles(doc)
    _page(doc.sections[0])
    _footer(doc.sections[0])
    if watermark:
        _header(doc.sections[0], watermark)
    for i, blocks in enumerate(documents):
        if i:
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _restart_numbering(section)
        _write(doc, blocks)
    doc.core_properties.title = title
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _styles(doc: Any) -> None:
    from docx.shared import Pt, RGBColor

    sizes = {
        "Normal": BODY_PT,
        "List Bullet": BODY_PT,
        "Title": TITLE_PT,
        "Heading 2": HEADING_PT,
        "Footer": FOOTER_PT,
    }
    for name, size in sizes.items():
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        if name in ("Title", "Heading 2"):
            style.font.bold = True
            style.font.italic = False


def _page(section: Any) -> None:
    from docx.shared import Inches

    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, SECTIONPAGES) that Word fills in when it lays out the page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _footer(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "SECTIONPAGES")


def _header(section: Any, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RGBColor(0xBB, 0, 0)


def _restart_numbering(section: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = section._sectPr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        section._sectPr.append(numbering)
    numbering.set(qn("w:start"), "1")


def _lines(paragraph: Any, lines: Sequence[str]) -> None:
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i < len(lines) - 1:
            run.add_break()


def _write(doc: Any, blocks: Sequence[Block]) -> None:
    from docx.enum.text import WD_BREAK

    for item in group_blocks(blocks):
        if item.kind == "title":
            doc.add_paragraph(" ".join(item.lines), style="Title")
        elif item.kind == "heading":
            doc.add_paragraph(" ".join(item.lines), style="Heading 2")
        elif item.kind == "list":
            for entry in item.items:
                doc.add_paragraph(entry, style="List Bullet")
        elif item.kind == "field":
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{item.label}: ").bold = True
            _lines(paragraph, item.lines)
        elif item.kind == "page_break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            _lines(doc.add_paragraph(), item.lines)
