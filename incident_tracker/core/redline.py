"""A readable word-level redline between two texts, never a raw unified diff.

Words, punctuation and runs of white space are the tokens; difflib aligns them. A change that
spans several words separated only by spaces reads as one deletion followed by one insertion.
Every piece of text is HTML-escaped before it is wrapped in <ins> or <del>.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Segment:
    op: str  # equal | delete | insert
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _raw(old: list[str], new: list[str]) -> list[Segment]:
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            out.append(Segment("delete", "".join(old[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(Segment("insert", "".join(new[j1:j2])))
        if tag == "equal":
            out.append(Segment("equal", "".join(old[i1:i2])))
    return out


def redline(old: str, new: str) -> list[Segment]:
    """The changes from `old` to `new`: equal runs, then each change as delete then insert."""
    out: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []
    spaces = ""  # white space between two changes, held until we know a change follows

    def flush() -> None:
        if deleted:
            out.append(Segment("delete", "".join(deleted)))
        if inserted:
            out.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for seg in _raw(tokens(old), tokens(new)):
        if seg.op == "equal":
            if (deleted or inserted) and not seg.text.strip() and "\n\n" not in seg.text:
                spaces += seg.text
                continue
            flush()
            if spaces:
                out.append(Segment("equal", spaces))
                spaces = ""
            out.append(seg)
            continue
        if spaces:  # a space between two changes belongs to both sides
            deleted.append(spaces)
            inserted.append(spaces)
            spaces = ""
        (deleted if seg.op == "delete" else inserted).append(seg.text)
    flush()
    if spaces:
        out.append(Segment("equal", spaces))
    return _merged(out)


def _merged(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if not seg.text:
            continue
        if out and out[-1].op == seg.op:
            out[-1] = Segment(seg.op, out[-1].text + seg.text)
        else:
            out.append(seg)
    return out


def to_html(segments: list[Segment]) -> Markup:
    """The redline as HTML: escaped text in <ins> and <del>; show it with white-space: pre-wrap."""
    parts = []
    for seg in segments:
        text = escape(seg.text, quote=False)
        if seg.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif seg.op == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(text)
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True)
class Counts:
    inserted_words: int
    deleted_words: int


def counts(segments: list[Segment]) -> Counts:
    """How many words were inserted and deleted (for the version list)."""

    def words(op: str) -> int:
        return sum(len(re.findall(r"\w+", s.text)) for s in segments if s.op == op)

    return Counts(words("insert"), words("delete"))
