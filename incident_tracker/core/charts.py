"""Charts drawn on the server as SVG (pure): no script, no external file, so they pass the Content
Security Policy and print. Each chart is an image with a title; the page puts a table with the
same numbers beside it for screen readers and copying (WCAG 2.2 1.1.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1b4f8a", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b")
WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP, RIGHT = 48, 40, 16, 16


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


def _svg(title: str, body: list[str], height: int = HEIGHT) -> str:
    t = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" class="chart" aria-label="{t}">'
        f"<title>{t}</title>" + "".join(body) + "</svg>"
    )


def _nice_max(value: float) -> float:
    """The axis top: 1, 2 or 5 times a power of ten, at least the value; at least 4, so that a
    count's four gridlines fall on whole numbers."""
    if value <= 4:
        return 4
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for m in (1, 2, 5, 10):
        if m * step >= value:
            return m * step
    return 10 * step


def _axis(top: float, plot_h: float, label: str) -> list[str]:
    parts = []
    steps = 4 if (top / 4).is_integer() else 5  # whole numbers on every gridline
    for i in range(steps + 1):
        v = top * i / steps
        y = TOP + plot_h - plot_h * i / steps
        shown = f"{v:g}" if v != int(v) else f"{int(v)}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{shown}</text>'
        )
    parts.append(
        f'<text x="12" y="{TOP + plot_h / 2:.1f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {TOP + plot_h / 2:.1f})">{escape(label)}</text>'
    )
    return parts


def stacked_bars(title: str, labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """One bar per label, each series stacked in its colour, a legend under the axis."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM - 20
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0))
    body = _axis(top, plot_h, unit)
    slot = plot_w / max(len(labels), 1)
    bar = slot * 0.7
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar) / 2
        y: float = TOP + plot_h
        for n, s in enumerate(series):
            h = plot_h * s.values[i] / top
            if h > 0:
                y -= h
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[n % len(PALETTE)]}"/>'
                )
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_h + 14:.1f}" font-size="11" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    x = LEFT
    for n, s in enumerate(series):
        body.append(
            f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" '
            f'fill="{PALETTE[n % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 7}" font-size="11">{escape(s.name)}</text>'
        )
        x += 24 + 7 * len(s.name)
    return _svg(title, body)


def _empty(x: float, y: float) -> str:
    return f'<text x="{x + 8:.1f}" y="{y:.1f}" font-size="12">No data for these filters.</text>'


@dataclass(frozen=True)
class Spread:
    label: str
    low: float
    median: float
    high: float


def ranges(title: str, rows: Sequence[Spread], unit: str) -> str:
    """A horizontal line from the lowest to the highest value, a dot at the median."""
    row_h = 36
    height = TOP + BOTTOM + row_h * max(len(rows), 1)
    label_w = 190
    plot_w = WIDTH - label_w - RIGHT
    top = _nice_max(max((r.high for r in rows), default=0))
    body = []
    if not rows:
        body.append(_empty(label_w, TOP + row_h / 2))
    steps = 4 if (top / 4).is_integer() else 5  # whole numbers on every gridline
    for i in range(steps + 1):
        x = label_w + plot_w * i / steps
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{height - BOTTOM + 4}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{height - BOTTOM + 18}" font-size="11" '
            f'text-anchor="middle">{top * i / steps:g}</text>'
        )
    body.append(
        f'<text x="{label_w + plot_w / 2:.1f}" y="{height - 6}" font-size="11" '
        f'text-anchor="middle">{escape(unit)}</text>'
    )
    for i, r in enumerate(rows):
        y = TOP + row_h * i + row_h / 2
        x0, xm, x1 = (label_w + plot_w * v / top for v in (r.low, r.median, r.high))
        body.append(
            f'<text x="{label_w - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end">'
            f"{escape(r.label)}</text>"
            f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{PALETTE[0]}" '
            'stroke-width="4"/>'
            f'<circle cx="{xm:.1f}" cy="{y:.1f}" r="7" fill="{PALETTE[1]}"/>'
        )
    return _svg(title, body, height)


@dataclass(frozen=True)
class Share:
    label: str
    part: int
    whole: int

    @property
    def rate(self) -> float:
        return self.part / self.whole if self.whole else 0.0


def shares(title: str, rows: Sequence[Share]) -> str:
    """Horizontal bars from 0 to 100 %, the count beside each."""
    row_h = 24
    height = TOP + BOTTOM + row_h * max(len(rows), 1)
    label_w = 230
    plot_w = WIDTH - label_w - RIGHT - 70
    body = []
    if not rows:
        body.append(_empty(label_w, TOP + row_h / 2 + 4))
    for i in range(5):
        x = label_w + plot_w * i / 4
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{height - BOTTOM + 4}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{height - BOTTOM + 18}" font-size="11" '
            f'text-anchor="middle">{25 * i}%</text>'
        )
    for i, r in enumerate(rows):
        y = TOP + row_h * i
        w = plot_w * r.rate
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" font-size="12" text-anchor="end">'
            f"{escape(r.label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[2] if r.rate >= 1 else PALETTE[4]}"/>'
            f'<text x="{label_w + plot_w + 6}" y="{y + 16}" font-size="11">'
            f"{r.part}/{r.whole}</text>"
        )
    return _svg(title, body, height)


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
