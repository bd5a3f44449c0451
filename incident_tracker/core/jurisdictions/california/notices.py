"""California's notices: the Attorney General's sample copy (Civ. Code § 1798.82(f)), the CDPH
report and the patient notice (H&S § 1280.15(b)). Its residents' letter is the HIPAA letter in the
§ 1798.82(d) format; its vendor's notice, the business associate's."""

from incident_tracker.core.jurisdictions.model import NoticeKindSpec

KINDS = (
    NoticeKindSpec(
        "ca_ag_sample",
        "Sample notice for the California Attorney General",
        "Cal. Civ. Code § 1798.82(f)",
        True,
    ),
    NoticeKindSpec(
        "cdph_report",
        "Report to the California Department of Public Health",
        "Cal. Health & Safety Code § 1280.15(b)(1); 22 CCR 79902(a)(1)",
        False,
    ),
    NoticeKindSpec(
        "ca_patient", "Notice to the patient", "Cal. Health & Safety Code § 1280.15(b)(2)", True
    ),
)

# Which of its rules each notice discharges.
DISCHARGES = (
    ("individual", ("CA1",)),
    ("ba_to_ce", ("CA3",)),
    ("ca_ag_sample", ("CA2",)),
    ("cdph_report", ("CA4",)),
    ("ca_patient", ("CA5",)),
)
