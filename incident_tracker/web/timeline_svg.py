"""The timeline (core.timeline's geometry) as SVG markup, drawn on the server.

Kind by shape (legal ●, internal ■, contractual ◆), status by fill (open hollow, done filled,
overdue filled and crossed), provisional dashed: nothing told by colour alone. Written as Python
rather than as template macros because the summary, the page opened most, draws one row per
duty: a macro call and an escape for every coordinate cost more than the rest of the page. Only
the words (labels, title, status names) are escaped; the coordinates are numbers.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from incident_tracker.core.timeline import Line, Row

LEGEND = (
    "● legal · ■ internal · ◆ contractual · hollow: open · filled: done · crossed: overdue · "
    "dashed: provisional · dotted: waiting on another notice · ▲ sent · bar: law-enforcement hold"
)

_SPECIAL = re.compile("[&<>\"']")


def _text(words: str) -> str:
    """`words` escaped; most (status names, month labels, rule ids) need nothing, and a search
    costs less than markupsafe's escape and its Markup object, some thirty times per figure."""
    return str(escape(words)) if _SPECIAL.search(words) else words


def _mark(kind: str, x: float, y: float, status: str, provisional: bool) -> str:
    cls = _text(f"mark {status}{' provisional' if provisional else ''}")
    if kind == "internal":
        shape = f'<rect class="{cls}" x="{x - 5}" y="{y - 5}" width="10" height="10"/>'
    elif kind == "contractual":
        shape = f'<polygon class="{cls}" points="{x},{y - 6} {x + 6},{y} {x},{y + 6} {x - 6},{y}"/>'
    else:
        shape = f'<circle class="{cls}" cx="{x}" cy="{y}" r="5.5"/>'
    if status == "overdue":
        shape += (
            f'<path class="cross" d="M{x - 4} {y - 4}L{x + 4} {y + 4}M{x + 4} {y - 4}L{x - 4} '
            f'{y + 4}"/>'
        )
    return shape


def _row(r: Row) -> str:
    status = _text(r.status)
    end = r.due_x if r.due_x is not None else r.done_x
    out = (
        f'<g class="row {status}" data-status="{status}"><text class="label" x="4" '
        f'y="{r.y + 4}">{_text(r.duty.label)}</text><line class="span" x1="{r.start_x}" '
        f'x2="{end}" y1="{r.y}" y2="{r.y}"/>'
    )
    if r.due_x is not None:
        shown = "done" if r.status == "done" else r.status
        out += _mark(r.duty.kind, r.due_x, r.y, shown, r.duty.provisional)
    if r.done_x is not None:
        x, y = r.done_x, r.y
        out += f'<polygon class="sent" points="{x},{y - 6} {x + 5},{y + 4} {x - 5},{y + 4}"/>'
    return out + "</g>"


def draw(line: Line, ident: str, title: str, discovered_label: str = "discovered") -> Markup:
    """The figure: the SVG (titled and described for screen readers) and its legend."""
    i = _text(ident)
    bottom = line.height - 6
    count = len(line.rows)
    desc = f"{count} dated dut{'y' if count == 1 else 'ies'}"
    if line.spans:
        holds = len(line.spans)
        desc += f" and {holds} law-enforcement hold{'' if holds == 1 else 's'}"
    desc += f" from {line.first} to {line.last}; the list that follows gives each date in words."
    ticks = "".join(
        f'<line x1="{t.x}" x2="{t.x}" y1="16" y2="{bottom}"/><text x="{t.x + 2}" '
        f'y="12">{_text(t.label)}</text>'
        for t in line.ticks
    )
    discovered = ""
    if discovered_label:
        dx = line.discovered_x
        discovered = (
            f'<g class="discovered"><line x1="{dx}" x2="{dx}" y1="16" y2="{bottom}"/><text '
            f'x="{dx + 3}" y="{line.height - 8}">{_text(discovered_label)}</text></g>'
        )
    spans = "".join(
        f'<g class="hold"><text class="label" x="4" y="{s.y + 4}">hold: '
        f'{_text(s.hold.label)}</text><rect x="{s.x1}" y="{s.y - 6}" width="{s.x2 - s.x1}" '
        f'height="12"/></g>'
        for s in line.spans
    )
    rows = "".join(_row(r) for r in line.rows)
    tx = line.today_x
    return Markup(
        f'\n<figure class="timeline" id="{i}">\n'
        f'<svg viewBox="0 0 {line.width} {line.height}" width="100%" role="img" '
        f'aria-labelledby="{i}-title {i}-desc" xmlns="http://www.w3.org/2000/svg">\n'
        f'<title id="{i}-title">{escape(title)}</title>\n'
        f'<desc id="{i}-desc">{escape(desc)}</desc>\n'
        f'<g class="axis">{ticks}</g>\n{discovered}\n{spans}\n{rows}\n'
        f'<g class="today"><line x1="{tx}" x2="{tx}" y1="16" y2="{bottom}"/><text '
        f'x="{tx + 3}" y="26">today</text></g>\n</svg>\n'
        f'<figcaption class="hint">{LEGEND}</figcaption>\n</figure>\n'
    )
