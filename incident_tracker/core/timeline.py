"""Where an incident's dates fall on a line: the geometry of the timeline the server draws as SVG.

Pure layout (no clock, no database): the caller passes today. One row per duty (its deadline, and
when it was done), one row for law-enforcement holds as spans (45 CFR 164.412), vertical lines for
discovery and today. Shapes say the kind and fill says the status, so nothing is told by colour
alone: legal a circle, internal a square, contractual a diamond; open hollow, done filled, overdue
filled with a cross; provisional duties (confirm with counsel) dashed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 900
GUTTER = 170  # the row labels on the left
RIGHT = 20
ROW = 22
TOP = 34  # the axis labels above the first row
MIN_DAYS = 30
# The axis labels, in English whatever the server's locale (strftime's %b follows it).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Duty:
    """One duty on the line: its deadline (None: no fixed date) and when it was done."""

    label: str
    kind: str  # legal | internal | contractual | record
    due: date | None
    done_on: date | None
    provisional: bool = False
    waiting: bool = False

    def status(self, today: date) -> str:
        if self.done_on is not None:
            return "done"
        if self.due is not None and self.due < today and self.kind == "legal":
            return "overdue"
        return "waiting" if self.waiting else "open"


@dataclass(frozen=True, slots=True)
class Hold:
    label: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Row:
    """A duty's row: where its deadline and its done date are (None when not drawn)."""

    duty: Duty
    y: float
    status: str
    due_x: float | None
    done_x: float | None
    start_x: float  # the line from discovery to the deadline or the done date


@dataclass(frozen=True, slots=True)
class Span:
    hold: Hold
    y: float
    x1: float
    x2: float


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Line:
    """The laid-out timeline: everything the template draws, in SVG user units."""

    width: int
    height: int
    first: date
    last: date
    discovered_x: float
    today_x: float
    rows: tuple[Row, ...]
    spans: tuple[Span, ...]
    ticks: tuple[Tick, ...]
    undated: tuple[Duty, ...]
    gutter: int = GUTTER


def _ticks(first: date, last: date, x: Callable[[date], float]) -> tuple[Tick, ...]:
    """Month starts (or every 7th day on a short line), labelled like 'Mar 1'."""
    days = (last - first).days
    out: list[Tick] = []
    if days <= 45:
        d = first
        while d <= last:
            out.append(Tick(x(d), f"{MONTHS[d.month - 1]} {d.day}"))
            d += timedelta(days=7)
        return tuple(out)
    step = 1 if days <= 400 else 3 if days <= 1200 else 12
    # Months counted from year 0: a step dividing 12 keeps to January, April, July, October...,
    # so the loop visits only the months it labels (five years of a 12-month step: 5, not 60).
    month = -(-(first.year * 12 + first.month - 1) // step) * step
    while True:
        d = date(month // 12, month % 12 + 1, 1)
        if d > last:
            return tuple(out)
        if d >= first:
            label = (
                f"{MONTHS[d.month - 1]} {d.year}"
                if d.month == 1 or not out
                else MONTHS[d.month - 1]
            )
            out.append(Tick(x(d), label))
        month += step


def lay_out(
    discovered: date,
    today: date,
    duties: Sequence[Duty],
    holds: Sequence[Hold] = (),
    width: int = WIDTH,
) -> Line:
    """The line from a little before discovery to a little after the last date shown (today
    included), one row per dated duty (soonest first) and one for the holds if any."""
    dated = sorted(
        (d for d in duties if d.due is not None or d.done_on is not None),
        key=lambda d: (d.due or d.done_on or today, d.label),
    )
    dates = [discovered, today]
    for d in dated:
        dates += [x for x in (d.due, d.done_on) if x is not None]
    for h in holds:
        dates += [h.start, h.end]
    first, last = min(dates), max(dates)
    span = max((last - first).days, MIN_DAYS)
    pad = max(2, span // 20)
    first, last = first - timedelta(days=pad), first + timedelta(days=span + pad)
    scale = (width - GUTTER - RIGHT) / max(1, (last - first).days)

    def x(d: date) -> float:
        return round(GUTTER + (d - first).days * scale, 1)

    y = float(TOP)
    spans = []
    for h in holds:
        spans.append(Span(h, y, x(h.start), max(x(h.end), x(h.start) + 2)))
    if spans:
        y += ROW
    rows = []
    discovered_x, today_x = x(discovered), x(today)
    for d in dated:
        due_x = x(d.due) if d.due else None
        done_x = x(d.done_on) if d.done_on else None
        end_x = done_x if done_x is not None else due_x if due_x is not None else today_x
        rows.append(Row(d, y, d.status(today), due_x, done_x, min(discovered_x, end_x)))
        y += ROW
    return Line(
        width,
        int(y + 10),
        first,
        last,
        discovered_x,
        today_x,
        tuple(rows),
        tuple(spans),
        _ticks(first, last, x),
        tuple(d for d in duties if d.due is None and d.done_on is None),
    )


def window(today: date, days: int, duties: Sequence[Duty], width: int = WIDTH) -> Line:
    """A fixed window from today (the board's 90-day view across incidents): duties due in it,
    soonest first; the discovery line is not drawn (it sits at today)."""
    shown = [d for d in duties if d.due is not None and today <= d.due <= today + timedelta(days)]
    scale = (width - GUTTER - RIGHT) / days

    def x(d: date) -> float:
        return round(GUTTER + (d - today).days * scale, 1)

    rows = []
    y = float(TOP)
    for d in sorted(shown, key=lambda d: (d.due or today, d.label)):
        rows.append(Row(d, y, d.status(today), x(d.due) if d.due else None, None, x(today)))
        y += ROW
    last = today + timedelta(days=days)
    return Line(
        width,
        int(y + 10),
        today,
        last,
        x(today),
        x(today),
        tuple(rows),
        (),
        _ticks(today, last, x),
        (),
    )
