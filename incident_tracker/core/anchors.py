"""Comment anchors that survive edits: a paragraph index plus a short quote of that paragraph.

When a later version moves or rewords the paragraph, the quote finds it again: the same index if
the paragraph there still starts with the quote, else the nearest paragraph containing it, else the
most similar paragraph (difflib ratio at least MIN_SIMILARITY), else none (shown as "anchor lost",
with the quote, so the comment is never silently misplaced).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

QUOTE_CHARS = 80
MIN_SIMILARITY = 0.6


def _flat(text: str) -> str:
    return " ".join(text.split())


def quote_of(paragraph: str) -> str:
    """The anchor's quote: the paragraph's first QUOTE_CHARS characters, white space collapsed."""
    return _flat(paragraph)[:QUOTE_CHARS]


def locate(paragraphs: Sequence[str], index: int, quote: str) -> int | None:
    """Where an anchor (index, quote) made on one version points in `paragraphs`, or None."""
    flat = [_flat(p) for p in paragraphs]
    if 0 <= index < len(flat) and flat[index].startswith(quote):
        return index
    if not quote:
        return None
    containing = [i for i, p in enumerate(flat) if quote in p]
    if containing:
        return min(containing, key=lambda i: (abs(i - index), i))
    scored = [
        (difflib.SequenceMatcher(None, quote, p[: len(quote)], autojunk=False).ratio(), i)
        for i, p in enumerate(flat)
    ]
    good = [(r, i) for r, i in scored if r >= MIN_SIMILARITY]
    if not good:
        return None
    return max(good, key=lambda ri: (ri[0], -abs(ri[1] - index)))[1]
