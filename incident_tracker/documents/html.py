"""The HTML form of a notice: the web view and the input to WeasyPrint.

Autoescaping is on: user text typed as `<script>` or `{{ 7*7 }}` reaches the page as text
(architecture.md §1.7). Blocks are grouped here (consecutive bullets into one list) so the
template only loops and prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from incident_tracker.core.notices.render import Block

MISSING_PREFIX = "[MISSING: "
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notices"


@dataclass(frozen=True, slots=True)
class Item:
    """A block ready for HTML or DOCX: lines split, bullets gathered into one list."""

    kind: str  # title, heading, paragraph, list, field, page_break
    lines: tuple[str, ...] = ()
    label: str = ""
    items: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> bool:
        """Shown highlighted, so a reviewer cannot miss a gap the check reported."""
        return any(MISSING_PREFIX in line for line in self.lines)


def group_blocks(blocks: Sequence[Block]) -> list[Item]:
    out: list[Item] = []
    for b in blocks:
        if b.kind == "bullet":
            if out and out[-1].kind == "list":
                out[-1] = Item("list", items=(*out[-1].items, b.text))
            else:
                out.append(Item("list", items=(b.text,)))
        else:
            out.append(Item(b.kind, tuple(b.text.split("\n")) if b.text else (), b.label))
    return out


def environment(folder: Path = TEMPLATES) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV: Environment | None = None


def render_html(
    documents: Sequence[Sequence[Block]], title: str, watermark: str | None = None
) -> str:
    """One HTML page holding one or more documents; each starts on a new page and, when there
    are several (merged letters), numbers its own pages."""
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV.get_template("pdf.html.j2").render(
        title=title,
        documents=[group_blocks(d) for d in documents],
        merged=len(documents) > 1,
        watermark=watermark,
    )
