"""Worksheet sections and notes for the notices that go to regulators rather than to people.

Each section mirrors what the recipient asks for: the OCR portal's questions (docs/law/federal.md),
22 CCR 79902(a)(1) for CDPH, § 899-aa(8)(a) and (9) for New York, 56:8-163(c)(1) for New Jersey,
164.410(c) for the business associate's notice. Answers the facts cannot give show a visible
"[MISSING: ...]" marker; the check in elements.py reports the same gaps.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from incident_tracker.core.notices.context import (
    Field,
    NoticeContext,
    Section,
    format_date,
    join_words,
)
from incident_tracker.core.notices.elements import missing_marker
from incident_tracker.core.notices.kinds import KINDS, NoticeKind
from incident_tracker.core.notices.labels import element_labels
from incident_tracker.core.notices.state_filings import with_state_filing
from incident_tracker.core.notices.worksheets import (
    MEDIA_THRESHOLD,
    cdph,
    hhs,
    or_missing,
    types_field,
)
from incident_tracker.core.vocabulary import NJ_PERSONAL

NY_DETERMINATION_DAYS = 10  # § 899-aa(2)(a), read as calendar days (docs/law/new-york.md)


ADDRESSEES: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.BA_TO_CE: ("[Covered entity client]",),
    NoticeKind.NY_AGENCIES: (
        "New York State Attorney General",
        "New York Department of State",
        "New York State Division of State Police",
        "(through the Attorney General's online breach reporting form)",
    ),
    NoticeKind.NY_AG_HIPAA: ("New York State Attorney General",),
    NoticeKind.NY_DETERMINATION: ("New York State Attorney General",),
    NoticeKind.NJ_STATE_POLICE: ("New Jersey Division of State Police",),
    NoticeKind.CDPH_REPORT: ("California Department of Public Health",),
}


def with_filing_sections(c: NoticeContext) -> NoticeContext:
    """Add the kind's worksheet sections and notes to a prepared context."""
    if c.kind is NoticeKind.STATE_REGULATOR:
        return with_state_filing(c)
    builders = {
        NoticeKind.HHS: hhs,
        NoticeKind.CDPH_REPORT: cdph,
        NoticeKind.NY_AGENCIES: _ny_agencies,
        NoticeKind.NY_AG_HIPAA: _ny_ag_hipaa,
        NoticeKind.NY_DETERMINATION: _ny_determination,
        NoticeKind.NJ_STATE_POLICE: _nj_state_police,
        NoticeKind.BA_TO_CE: _ba_to_ce,
    }
    build = builders.get(c.kind)
    sections = build(c) if build else ()
    notes = _due_notes(c) + _kind_notes(c)
    extra = {**c.extra, "addressee": ADDRESSEES.get(c.kind, ())}
    return replace(c, sections=sections, notes=tuple(notes), extra=extra)


def _kind_notes(c: NoticeContext) -> list[str]:
    """Duties that travel with this notice and are easy to forget (docs/law/federal.md;
    docs/law/new-york.md)."""
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
    if c.kind is NoticeKind.NY_AGENCIES and "NY4" in owed:
        notes.append(
            "More than 5,000 New York residents: notify the consumer reporting agencies "
            "of the timing, content, distribution and number as well (§ 899-aa(8)(b))."
        )
    if c.kind is NoticeKind.NY_AGENCIES and f.nydfs_covered_entity:
        notes.append(
            "DFS covered entity: notify the Department of Financial Services under "
            "23 NYCRR 500.17 (docs/law/new-york.md)."
        )
    if c.kind is NoticeKind.BA_TO_CE:
        notes += [
            f"{o.recipient} ({o.citation}) is also given by this notice."
            for o in c.result.obligations
            if o.rule_id in ("NY6", "NJ4", "CA3")
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


def _ny_agencies(c: NoticeContext) -> tuple[Section, ...]:
    f = c.facts
    ny = f.residents("NY")
    unreachable = f.unreachable_individuals or 0
    distribution = "Written notice by first-class mail to each resident's last known address"
    if unreachable >= 10:
        distribution += ", with substitute notice for those whose address is out of date"
    return (
        Section(
            "Notice to affected New York residents",
            (
                Field("Timing", or_missing(c.individual_notice_date, "individual_notice_date")),
                Field("Content", "A copy of the template notice sent to residents is attached"),
                Field("Distribution", distribution),
                Field(
                    "Approximate number of affected New York residents",
                    f"{ny:,}" if ny else missing_marker("ny_affected"),
                ),
                Field("Total number of individuals affected", f"{f.total_affected:,}"),
                types_field(c),
            ),
        ),
    )


def _ny_ag_hipaa(c: NoticeContext) -> tuple[Section, ...]:
    f = c.facts
    hhs = format_date(f.notices_sent.hhs)
    return (
        Section(
            "Notice under N.Y. Gen. Bus. Law § 899-aa(9)",
            (
                Field(
                    "Notification to the Secretary of HHS",
                    f"Made on {hhs}" if hhs else "Being made under 45 CFR 164.408",
                ),
                Field("Dates", c.dates_sentence),
                Field("Number of individuals affected", f"{f.total_affected:,}"),
                Field("New York residents affected", f"{f.residents('NY'):,}"),
                types_field(c),
                Field("Description of the breach", c.what_happened),
                Field("Actions taken in response", c.what_we_are_doing),
            ),
        ),
    )


def _ny_determination(c: NoticeContext) -> tuple[Section, ...]:
    f = c.facts
    made = f.ny_harm_determination_on
    rows = [
        Field(
            "Date of the written determination",
            or_missing(format_date(made), "determination_date"),
        ),
        Field(
            "New York residents affected",
            f"{f.residents('NY'):,}" if f.residents("NY") else missing_marker("ny_affected"),
        ),
        Field("What happened", c.what_happened),
        types_field(c),
        Field(
            "Why misuse or harm is not likely",
            or_missing(c.details.determination_basis, "determination_basis"),
        ),
    ]
    if made is not None and f.residents("NY") > MEDIA_THRESHOLD:
        due = format_date(made + timedelta(days=NY_DETERMINATION_DAYS))
        rows.append(Field("Due to the Attorney General by", f"{due}"))
    return (Section("Determination under N.Y. Gen. Bus. Law § 899-aa(2)(a)", tuple(rows)),)


def _nj_state_police(c: NoticeContext) -> tuple[Section, ...]:
    f = c.facts
    nj_types = element_labels(f.data_elements & NJ_PERSONAL)
    return (
        Section(
            "Report of a breach of security",
            (
                Field("Date of discovery", c.discovered_on),
                Field("Date of the breach", c.breach_date or "not yet known"),
                Field(
                    "New Jersey residents affected",
                    f"{f.residents('NJ'):,}"
                    if f.residents("NJ")
                    else missing_marker("nj_affected"),
                ),
                types_field(c),
                Field(
                    "Personal information under N.J.S.A. 56:8-161", join_words(nj_types) or "none"
                ),
                Field("Description of the breach", c.what_happened),
                Field("Actions taken in response", c.what_we_are_doing),
                Field("Notice to New Jersey residents", "Will follow this report (56:8-163(c)(1))"),
            ),
        ),
    )


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
