"""California's filing: the report to the California Department of Public Health
(H&S § 1280.15(b)(1)), one field per thing 22 CCR 79902(a)(1) asks for."""

from __future__ import annotations

from incident_tracker.core.notices.context import Field, NoticeContext, Section, join_words
from incident_tracker.core.notices.labels import element_labels
from incident_tracker.core.notices.worksheets import or_missing, organisation, types_field
from incident_tracker.core.vocabulary import IDENTIFIERS

CDPH = ("California Department of Public Health",)


def cdph(c: NoticeContext) -> tuple[Section, ...]:
    f, d = c.facts, c.details
    identifiers = element_labels(f.data_elements & (IDENTIFIERS | {"medical_record_number"}))
    reidentify = (
        "The information identifies patients directly: their names were included."
        if "name" in f.data_elements
        else "Names were not included; identifiers included: " + (join_words(identifiers) or "none")
    )
    rows = [
        Field("Date of the breach", or_missing(c.breach_date, "breach_date")),
        Field("Time of the breach", or_missing(d.breach_time, "breach_time")),
        Field("Date the breach was detected", c.discovered_on),
        Field("Time the breach was detected", or_missing(d.detected_time, "detected_time")),
        Field(
            "Patients affected",
            f"{f.total_affected:,}; their names are in the enclosed "
            "patient list, sent to CDPH by secure means and not printed in this draft",
        ),
        types_field(c),
        Field("Identifiers involved", join_words(identifiers) or "none"),
        Field("Likelihood of re-identification", reidentify),
        Field("Description of the events", c.what_happened),
    ]
    if d.persons_involved:
        rows.append(
            Field("Person responsible, witnesses and recipients (if known)", d.persons_involved)
        )
    rows += [
        Field(
            "Date the patients were or will be notified",
            or_missing(c.individual_notice_date, "individual_notice_date"),
        ),
        Field("Corrective action taken", c.what_we_are_doing),
    ]
    return (organisation(c, "Facility"), Section("Breach", tuple(rows)))
