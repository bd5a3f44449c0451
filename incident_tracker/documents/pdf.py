"""PDF through WeasyPrint, with a fetcher that allows only `data:` URLs.

WeasyPrint's default fetcher follows any URL in the HTML, so an `<img src="http://…">` would leak
data or probe the network (stack.md §6). Everything the document needs is inline.
"""

from __future__ import annotations

from collections.abc import Sequence

from incident_tracker.core.notices.render import Block
from incident_tracker.documents.html import render_html


def html_to_pdf(html: str) -> bytes:
    """Any HTML to PDF with no request leaving the process: only `data:` URLs are fetched."""
    from weasyprint import HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    return pdf


def render_pdf(
    documents: Sequence[Sequence[Block]], title: str, watermark: str | None = None
) -> bytes:
    """US Letter with page numbers; several documents each restart their page count. A
    `watermark` ("DRAFT — not approved") heads every page."""
    return html_to_pdf(render_html(documents, title, watermark))
