"""The stored, editable text of a notice: a plain markup that round-trips to blocks exactly.

Legal edits the stored draft text, never the template (architecture.md §1.7). The text must give
back the same blocks, so the approved DOCX and PDF show exactly what was reviewed:

    # Title            ## Heading          - bullet (continued lines indented two spaces)
    Label:: value      * * *  (page break)  \\ a paragraph that would otherwise read as markup

Blocks are separated by a blank line; consecutive bullets or fields sit on consecutive lines.
A "paragraph" for comments and the redline is one blank-line separated chunk (`paragraphs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from incident_tracker.core.notices.render import Block

PAGE_BREAK = "* * *"
ESCAPE = "\\"
_HEADING = re.compile(r"^(#{1,2})\s+(.*)$")
_FIELD = re.compile(r"^(\S[^\n]*?)::(?: (.*)|)$")
_TIGHT = ("bullet", "field")
MISSING = re.compile(r"\[MISSING: ([^\]]*)\]")


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _reads_as_markup(first_line: str) -> bool:
    return (
        first_line.startswith(("#", "- ", ESCAPE))
        or first_line.strip() == PAGE_BREAK
        or first_line == "-"
        or _FIELD.match(first_line) is not None
    )


def _block_markup(b: Block) -> str:
    if b.kind == "title":
        return f"# {b.text}"
    if b.kind == "heading":
        return f"## {b.text}"
    if b.kind == "bullet":
        return f"- {_indent(b.text)}"
    if b.kind == "field":
        return f"{b.label}::" + (f" {_indent(b.text)}" if b.text else "")
    if b.kind == "page_break":
        return PAGE_BREAK
    first = b.text.split("\n", 1)[0]
    return ESCAPE + b.text if _reads_as_markup(first) else b.text


def to_markup(blocks: Iterable[Block]) -> str:
    """Blocks to the editable text; `from_markup(to_markup(b)) == b` for drafted blocks."""
    out: list[str] = []
    previous = ""
    for b in blocks:
        if out:
            out.append("\n" if b.kind == previous and b.kind in _TIGHT else "\n\n")
        out.append(_block_markup(b))
        previous = b.kind
    return "".join(out) + "\n"


def _chunks(text: str) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if line:
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [c for c in chunks if c]


def _continuation(line: str) -> str:
    return line[2:] if line.startswith("  ") else line.strip()


def _items(lines: list[str], starts: re.Pattern[str], kind: str) -> list[Block]:
    """Bullets or fields: a line matching `starts` opens an item, any other line continues it."""
    blocks: list[Block] = []
    for line in lines:
        found = starts.match(line)
        if found is not None and not line.startswith(" "):
            if kind == "bullet":
                blocks.append(Block("bullet", line[2:].strip()))
            else:
                blocks.append(
                    Block("field", (found.group(2) or "").strip(), found.group(1).strip())
                )
        else:
            last = blocks[-1]
            joined = f"{last.text}\n{_continuation(line)}" if last.text else _continuation(line)
            blocks[-1] = Block(last.kind, joined, last.label)
    return blocks


_BULLET = re.compile(r"^- ?(.*)$")


def _chunk_blocks(lines: list[str]) -> list[Block]:
    first, rest = lines[0], lines[1:]
    tail = [Block("paragraph", "\n".join(rest))] if rest else []
    if first.startswith(ESCAPE):
        return [Block("paragraph", "\n".join([first[1:], *rest]))]
    if first.strip() == PAGE_BREAK:
        return [Block("page_break"), *tail]
    heading = _HEADING.match(first)
    if heading is not None:
        kind = "title" if len(heading.group(1)) == 1 else "heading"
        return [Block(kind, heading.group(2).strip()), *tail]
    if first.startswith("- ") or first == "-":
        return _items(lines, _BULLET, "bullet")
    if _FIELD.match(first) is not None:
        return _items(lines, _FIELD, "field")
    return [Block("paragraph", "\n".join(lines))]


def from_markup(text: str) -> tuple[Block, ...]:
    """The editable text back to blocks, for the approved files; lenient with hand edits."""
    return tuple(b for chunk in _chunks(text) for b in _chunk_blocks(chunk))


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blank-line separated chunks), the unit comments anchor to."""
    return ["\n".join(chunk) for chunk in _chunks(text)]


def missing_markers(text: str) -> list[str]:
    """The "[MISSING: ...]" placeholders still in a text: an element nobody has supplied."""
    return [m.group(1) for m in MISSING.finditer(text)]
