"""Plain-text tables for people: the obligations of one incident, and the rule catalogue."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from incident_tracker.core.jurisdictions.registry import in_words
from incident_tracker.core.obligations import Result
from incident_tracker.core.parameters import Parameter
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


def render_parameters(parameters: Iterable[Parameter]) -> str:
    rows = [
        [p.name, p.describe_value(), p.citation, p.describe_dates(), p.note] for p in parameters
    ]
    return _table(["Parameter", "Value", "Citation", "In force", "Note"], rows, wrap=40)


MD_HEADER = """# Rule table

Generated from the code by `incident-tracker rules --format md`; do not edit it by hand.
Regenerate it with `.venv/bin/incident-tracker rules --format md > docs/law/rules.md`
(tests/test_law_docs.py fails while this file differs from the command's output).
What each rule means, with its conventions and open questions: the pages in this folder
([README.md](README.md)).
"""


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def render_rules_md(
    rules: Iterable[Rule],
    parameters: Iterable[Parameter],
    states: Iterable[Sequence[str]],
    title: str = MD_HEADER,
) -> str:
    """The rule catalogue as Markdown: the rules written in code, the dated statutory values,
    then the duties of the jurisdictions built from the project's states.json (`states` rows:
    rule, jurisdiction, status, recipient, deadline, citation, latest amendment)."""
    text = title + f"\n## {in_words('Federal')}\n\n"
    text += _md_table(
        ["Rule", "Version", "Jurisdiction", "Recipient", "Deadline", "Citation", "In force"],
        [
            [r.id, str(r.version), r.jurisdiction, r.recipient, r.clock, r.citation,
             r.effective.describe()]
            for r in rules
        ],
    )  # fmt: skip
    text += "\n## Statutory values (incident_tracker/core/jurisdictions/*/parameters.py)\n\n"
    text += _md_table(
        ["Parameter", "Jurisdiction", "Value", "Citation", "In force"],
        [
            [p.name, p.jurisdiction, p.describe_value(), p.citation, p.describe_dates()]
            for p in parameters
        ],
    )
    rows = list(states)
    if rows:
        text += "\n## The other U.S. jurisdictions (incident_tracker/data/states.json)\n\n"
        text += _md_table(
            [
                "Rule",
                "Jurisdiction",
                "Status",
                "Recipient",
                "Deadline",
                "Citation",
                "Latest amendment (data)",
            ],
            rows,
        )
    return text


def state_rows() -> list[list[str]]:
    """One row per duty of every jurisdiction in the core/states registry, in its order."""
    from incident_tracker.core.states import JURISDICTIONS

    rows = []
    for j in JURISDICTIONS.values():
        amended = str(j.data.get("latest_amendment", {}).get("effective") or "")
        for d in j.duties:
            deadline = d.deadline.describe() if d.deadline else "no fixed day count"
            if d.threshold is not None and not d.threshold.every_notice:
                deadline += f"; when {d.threshold.describe()}"
            rows.append([d.rule_id, j.name, j.status, d.recipient, deadline, j.citation, amended])
    return rows
