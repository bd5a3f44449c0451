"""Worksheet sections and notes for the notices that go to regulators rather than to people.

Each section mirrors what the recipient asks for: the OCR portal's questions (docs/law/federal.md),
164.410(c) for the business associate's notice, and for a jurisdiction's own notices what its law
asks (its folder's filings.py, through core/notices/content.py). Answers the facts cannot give show
a visible "[MISSING: ...]" marker; the check in elements.py reports the same gaps.
"""

from __future__ import annotations

from dataclasses import replace

from incident_tracker.core.jurisdictions.registry import JURISDICTIONS
from incident_tracker.core.notices.content import kind_content
from incident_tracker.core.notices.context import Field, NoticeContext, Section, format_date
from incident_tracker.core.notices.kinds import KINDS, NoticeKind
from incident_tracker.core.notices.state_filings import with_state_filing
from incident_tracker.core.notices.worksheets import MEDIA_THRESHOLD, hhs, types_field

ADDRESSEES: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.BA_TO_CE: ("[Covered entity client]",),
}
# The States' vendor-to-owner duties the business associate's notice also gives (GBL 899-aa(3),
# N.J.S.A. 56:8-163(b), Civ. Code § 1798.82(b)).
_VENDOR_DUTIES = frozenset(
    r for j in JURISDICTIONS if j.state for k, ids in j.notices if k == "ba_to_ce" for r in ids
)


def with_filing_sections(c: NoticeContext) -> NoticeContext:
    """Add the kind's worksheet sections and notes to a prepared context."""
    if c.kind is NoticeKind.STATE_REGULATOR:
        return with_state_filing(c)
    own = kind_content(c.kind)
    builders = {NoticeKind.HHS: hhs, NoticeKind.BA_TO_CE: _ba_to_ce}
    build = own.sections if own is not None else builders.get(c.kind)
    sections = build(c) if build else ()
    notes = _due_notes(c) + _kind_notes(c)
    if own is not None and own.notes is not None:
        notes += own.notes(c)
    addressee = own.addressee if own is not None else ADDRESSEES.get(c.kind, ())
    extra = {**c.extra, "addressee": addressee}
    return replace(c, sections=sections, notes=tuple(notes), extra=extra)


def _kind_notes(c: NoticeContext) -> list[str]:
    """Duties that travel with this notice and are easy to forget (docs/law/federal.md)."""
    f, owed = c.facts, {o.rule_id for o in c.result.obligations}
    notes = []
    if c.kind is NoticeKind.HHS and "P2" in owed:
        notes.append(
            "42 CFR Part 2 records: file a separate Part 2 breach report in the portal "
            "as well (docs/law/federal.md)."
        )
    if c.kind is NoticeKind.HHS and f.total_affected > MEDIA_THRESHOLD:
        notes.append(
            "OCR publishes part of reports of breaches affecting more than 500 "
            "individuals (HITECH § 13402(e)(4))."
        )
    if c.kind is NoticeKind.BA_TO_CE:
        notes += [
            f"{o.recipient} ({o.citation}) is also given by this notice."
            for o in c.result.obligations
            if o.rule_id in _VENDOR_DUTIES
        ]
    return notes


def _due_notes(c: NoticeContext) -> list[str]:
    """The engine's due dates for the obligations this notice discharges, or why none is owed."""
    rule_ids = KINDS[c.kind].rule_ids
    if not any(o.rule_id in rule_ids for o in c.result.obligations):
        reasons = [n.reason for n in c.result.not_required if n.rule_id in rule_ids]
        return [
            "The deadline engine finds this notice not owed for these facts"
            + (": " + "; ".join(dict.fromkeys(reasons)) if reasons else ".")
        ]
    notes = []
    for o in c.result.obligations:
        if o.rule_id in KINDS[c.kind].rule_ids and (c.state is None or o.state in (None, c.state)):
            when = (
                f"due {format_date(o.due)}"
                if o.due
                else "no fixed date (without unreasonable delay)"
            )
            notes.append(f"{o.recipient}: {when} ({o.citation}).")
    return notes


def _ba_to_ce(c: NoticeContext) -> tuple[Section, ...]:
    f = c.facts
    return (
        Section(
            "Information for your notice under 45 CFR 164.404(c)",
            (
                Field("Dates", c.dates_sentence),
                Field(
                    "Individuals affected",
                    f"{f.total_affected:,}; the identity of each is in the "
                    "enclosed list, sent by secure means and not printed in this letter",
                ),
                types_field(c),
                Field("What happened", c.what_happened),
                Field("What we are doing", c.what_we_are_doing),
            ),
        ),
    )
