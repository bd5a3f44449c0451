"""Plain-text tables for people: the obligations of one incident, and the rule catalogue."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from incident_tracker.core.obligations import Result
from incident_tracker.core.rules.base import Rule


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], wrap: int = 60) -> str:
    wrapped = [[textwrap.wrap(cell, wrap) or [""] for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in wrapped:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(len(line) for line in lines))
    sep = "  "
    out = [sep.join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out.append(sep.join("-" * w for w in widths))
    for row in wrapped:
        height = max(len(lines) for lines in row)
        for n in range(height):
            cells = [
                (lines[n] if n < len(lines) else "").ljust(w)
                for lines, w in zip(row, widths, strict=True)
            ]
            out.append(sep.join(cells).rstrip())
    return "\n".join(out) + "\n"


def render_deadlines(result: Result) -> str:
    """Obligations sorted by due date; undated ones last, with their standard or order."""
    rows = []
    for o in result.obligations:
        due = o.due.isoformat() if o.due else "no fixed date"
        if o.due_at is not None:
            due += f" ({o.due_at.isoformat()})"
        notes = []
        if o.alt_due:
            notes.append(f"alt {o.alt_due}: {o.alt_due_reason}")
        if o.outer_limit:
            notes.append(f"outer limit {o.outer_limit}")
        if o.must_precede:
            notes.append(f"before {o.must_precede}")
        if o.not_before:
            notes.append(f"not before {o.not_before}")
        if o.practical_latest:
            notes.append(f"practical latest {o.practical_latest}")
        if o.keep_until:
            notes.append(f"keep until {o.keep_until}")
        if o.party:
            notes.append(f"party: {o.party}")
        if o.kind.value != "legal":
            notes.append(o.kind.value)
        if o.disputed:
            notes.append("disputed")
        if o.provisional:
            notes.append("PROVISIONAL — confirm with counsel")
        recipient = o.recipient + (f" [{o.state}]" if o.state else "")
        rows.append([due, o.rule_id, recipient, o.citation, "; ".join(notes)])
    text = _table(["Due", "Rule", "Recipient", "Citation", "Notes"], rows, wrap=44)
    if result.not_required:
        text += "\nNot required:\n" + _table(
            ["Rule", "State", "Why not"],
            [[n.rule_id, n.state or "", n.reason] for n in result.not_required],
            wrap=90,
        )
    if result.not_evaluated:
        text += "\nState law not evaluated:\n" + _table(
            ["State", "Affected", "Reason"],
            [[n.state, str(n.affected), n.reason] for n in result.not_evaluated],
            wrap=90,
        )
    if result.warnings:
        text += "\nWarnings:\n" + _table(["Warning"], [[w] for w in result.warnings], wrap=100)
    return text


def render_rules(rules: Iterable[Rule]) -> str:
    rows = [
        [f"{r.id} v{r.version}", r.citation, r.trigger, r.clock, r.effective.describe()]
        for r in rules
    ]
    return _table(["Rule", "Citation", "Trigger", "Clock", "In force"], rows, wrap=40)
