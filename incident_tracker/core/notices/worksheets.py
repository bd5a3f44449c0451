"""The OCR breach portal's worksheet (docs/law/federal.md, [OPEN, docs/law/federal.md]) and the
helpers the jurisdictions' worksheets share. One field per question; an answer the facts and notice
details do not give shows its "[MISSING: ...]" marker.
"""

from __future__ import annotations

from incident_tracker.core.facts import EntityType
from incident_tracker.core.notices.context import (
    Field,
    NoticeContext,
    Section,
    format_date,
    join_words,
)
from incident_tracker.core.notices.elements import missing_marker
from incident_tracker.core.notices.labels import portal_phi_types

MEDIA_THRESHOLD = 500  # 45 CFR 164.406: "more than 500" residents of a State


def or_missing(value: str | None, key: str) -> str:
    return value if value else missing_marker(key)


def organisation(c: NoticeContext, label: str) -> Section:
    o = c.org
    return Section(
        label,
        (
            Field("Name", o.name),
            Field("Address", or_missing(o.address, "address")),
            Field("Contact person", or_missing(c.contact_name, "contact_name")),
            Field("Email", o.email or "none given"),
            Field("Telephone", o.toll_free_phone or "none given"),
        ),
    )


def types_field(c: NoticeContext) -> Field:
    return Field("Types of information involved", c.data_types_text)


def hhs(c: NoticeContext) -> tuple[Section, ...]:
    f, d = c.facts, c.details
    ba = f.entity_type is EntityType.BUSINESS_ASSOCIATE or f.ce_notified_by_ba_on is not None
    media_states = [s for s, n in f.affected_by_state if n > MEDIA_THRESHOLD]
    unreachable = f.unreachable_individuals or 0
    return (
        Section(
            "1. General",
            (
                Field(
                    "Breach affecting",
                    "500 or more individuals"
                    if f.total_affected >= 500
                    else "Fewer than 500 individuals",
                ),
                Field("Report type", "Initial report"),
            ),
        ),
        Section(
            "2. Covered entity",
            (
                *organisation(c, "").fields,
                Field(
                    "Covered entity type", or_missing(d.covered_entity_type, "covered_entity_type")
                ),
            ),
        ),
        Section(
            "3. Business associate",
            (Field("Breach occurred at or by a business associate", "Yes" if ba else "No"),),
        ),
        Section(
            "4. Breach",
            (
                Field("Breach start date", or_missing(c.breach_date, "breach_date")),
                Field(
                    "Breach end date",
                    or_missing(format_date(d.breach_end_date), "breach_end_date"),
                ),
                Field("Discovery start date", c.discovered_on),
                Field("Discovery end date", format_date(d.discovery_end_date) or c.discovered_on),
                Field("Approximate number of individuals affected", f"{f.total_affected:,}"),
                Field("Type of breach", or_missing(d.breach_type, "breach_type")),
                Field(
                    "Location of breached information",
                    or_missing(c.breach_location, "breach_location"),
                ),
                Field(
                    "Type of PHI involved",
                    join_words(portal_phi_types(f.data_elements)) or missing_marker("phi_types"),
                ),
                types_field(c),
                Field("Brief description of the breach", c.what_happened),
            ),
        ),
        Section(
            "5. Safeguards in place prior to the breach",
            (Field("Safeguards", "; ".join(d.safeguards) or missing_marker("safeguards")),),
        ),
        Section(
            "6. Notice of breach and actions taken",
            (
                Field(
                    "Date individual notice was provided",
                    or_missing(c.individual_notice_date, "individual_notice_date"),
                ),
                Field(
                    "Substitute notice required",
                    "Yes"
                    if unreachable >= 10
                    else "No (alternative written notice or telephone)"
                    if unreachable
                    else "No",
                ),
                Field(
                    "Media notice required",
                    f"Yes ({', '.join(media_states)})" if media_states else "No",
                ),
                Field("Actions taken in response", c.what_we_are_doing),
            ),
        ),
        Section(
            "7. Attestation",
            (Field("Attestation", "Completed in the portal by the person filing the report"),),
        ),
    )
