"""New York's filings: the agencies' notice (GBL 899-aa(8)(a)), the Attorney General's after the
HHS report (899-aa(9)) and the written harm determination (899-aa(2)(a)); one field per thing the
law asks for, a "[MISSING: ...]" marker where the facts do not give it."""

from __future__ import annotations

from datetime import timedelta

from incident_tracker.core.notices.context import (
    Field,
    NoticeContext,
    Section,
    format_date,
)
from incident_tracker.core.notices.elements import missing_marker
from incident_tracker.core.notices.worksheets import MEDIA_THRESHOLD, or_missing, types_field

NY_DETERMINATION_DAYS = 10  # § 899-aa(2)(a), read as calendar days (docs/law/new-york.md)

AGENCIES = (
    "New York State Attorney General",
    "New York Department of State",
    "New York State Division of State Police",
    "(through the Attorney General's online breach reporting form)",
)
ATTORNEY_GENERAL = ("New York State Attorney General",)


def agencies_notes(c: NoticeContext) -> list[str]:
    """Duties that travel with the agencies' notice and are easy to forget
    (docs/law/new-york.md)."""
    notes = []
    if "NY4" in {o.rule_id for o in c.result.obligations}:
        notes.append(
            "More than 5,000 New York residents: notify the consumer reporting agencies "
            "of the timing, content, distribution and number as well (§ 899-aa(8)(b))."
        )
    if c.facts.nydfs_covered_entity:
        notes.append(
            "DFS covered entity: notify the Department of Financial Services under "
            "23 NYCRR 500.17 (docs/law/new-york.md)."
        )
    return notes


def agencies(c: NoticeContext) -> tuple[Section, ...]:
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


def ag_hipaa(c: NoticeContext) -> tuple[Section, ...]:
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


def determination(c: NoticeContext) -> tuple[Section, ...]:
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
