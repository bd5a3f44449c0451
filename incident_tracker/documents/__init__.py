"""Documents from notice drafts: HTML (escaped), PDF (WeasyPrint, no network) and DOCX.

WeasyPrint and python-docx are imported inside the functions that use them, so nothing else in
the app (or the CLI at start-up) loads them (tests/test_layering.py).
"""

from incident_tracker.documents.html import group_blocks, render_html
from incident_tracker.documents.pdf import html_to_pdf, render_pdf
from incident_tracker.documents.word import render_docx

__all__ = ["group_blocks", "html_to_pdf", "render_docx", "render_html", "render_pdf"]
