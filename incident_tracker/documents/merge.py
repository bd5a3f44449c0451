"""Merged letters built in chunks: each chunk is rendered on its own and joined at the end.

One WeasyPrint document of 50,000 letters would hold every page's layout in memory, and one
python-docx tree of them several gigabytes, so a chunk becomes a PDF file and a DOCX body
fragment; `join_pdfs` (poppler's pdfunite, installed by `make install`) and `join_docx` (a
streamed word/document.xml) assemble the one PDF and the one DOCX. Every letter starts a section
of its own whose page numbers restart, as in `documents.word.render_docx`.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from incident_tracker.core.notices.render import Block

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SPLIT = "incident-tracker-letters"


class MergeError(RuntimeError):
    """The merged file could not be assembled (e.g. pdfunite is missing)."""


def docx_fragment(documents: Sequence[Sequence[Block]], watermark: str | None = None) -> bytes:
    """The body XML of these letters, one after another, with a section break between them."""
    from docx import Document

    from incident_tracker.documents.word import _write

    doc = Document()
    body = doc.element.body
    letters = []
    for blocks in documents:
        start = len(body) - 1  # before the body's closing sectPr
        _write(doc, blocks)
        letters.append(b"".join(etree.tostring(e) for e in list(body)[start:-1]))
    return _separator(watermark).join(letters)


@lru_cache(maxsize=2)
def _separator(watermark: str | None = None) -> bytes:
    return _section_break(render_skeleton("Notice of Data Breach", watermark))


def render_skeleton(title: str, watermark: str | None = None) -> bytes:
    """An empty document with the letters' styles, page, footer and any watermark header
    (documents.word)."""
    from incident_tracker.documents.word import render_docx

    return render_docx([[]], title, watermark)


def _parts(skeleton: bytes) -> tuple[bytes, bytes, bytes]:
    """document.xml as (text before the letters, the closing section properties, the end)."""
    with zipfile.ZipFile(BytesIO(skeleton)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    body = root.find(f"{{{W}}}body")
    assert body is not None
    section = body[-1]
    _restart(section)
    for child in list(body):
        body.remove(child)
    body.append(etree.Comment(_SPLIT))
    head, tail = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    ).split(f"<!--{_SPLIT}-->".encode())
    return head, etree.tostring(section), tail


def _restart(section: Any) -> None:
    """Page numbers start at 1 in this section (each letter numbers its own pages)."""
    numbering = section.find(f"{{{W}}}pgNumType")
    if numbering is None:
        numbering = etree.SubElement(section, f"{{{W}}}pgNumType")
    numbering.set(f"{{{W}}}start", "1")


def _section_break(skeleton: bytes) -> bytes:
    """A paragraph ending one letter's section; every section names the same footer."""
    section = _parts(skeleton)[1]
    return f'<w:p xmlns:w="{W}"><w:pPr>'.encode() + section + b"</w:pPr></w:p>"


def join_docx(
    fragments: Sequence[Path], target: Path, title: str, watermark: str | None = None
) -> None:
    """The fragments, in order, as one DOCX, streamed to `target`."""
    skeleton = render_skeleton(title, watermark)
    head, section, tail = _parts(skeleton)
    separator = _section_break(skeleton)
    with (
        zipfile.ZipFile(BytesIO(skeleton)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, source.read(item.filename))
                continue
            with out.open("word/document.xml", "w", force_zip64=True) as xml:
                xml.write(head)
                for i, fragment in enumerate(fragments):
                    if i:
                        xml.write(separator)
                    xml.write(fragment.read_bytes())
                xml.write(section + tail)


def join_pdfs(parts: Sequence[Path], target: Path) -> None:
    """The chunk PDFs, in order, as one PDF (one part is copied as it is)."""
    if len(parts) == 1:
        shutil.copyfile(parts[0], target)
        return
    tool = shutil.which("pdfunite")
    if tool is None:
        raise MergeError("pdfunite (poppler-utils) is not installed: run `make install`")
    done = subprocess.run(
        [tool, *(str(p) for p in parts), str(target)], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise MergeError(f"pdfunite failed with status {done.returncode}")
