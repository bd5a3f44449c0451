"""New York's notices: to the three agencies (GBL 899-aa(8)(a)), to the Attorney General after
the HHS report (899-aa(9)) and the written harm determination (899-aa(2)(a)). Its residents'
letter is the HIPAA letter (899-aa(2)(b)); its vendor's notice, the business associate's."""

from incident_tracker.core.jurisdictions.model import NoticeKindSpec

KINDS = (
    NoticeKindSpec(
        "ny_agencies", "Notice to New York agencies", "N.Y. Gen. Bus. Law § 899-aa(8)(a)", False
    ),
    NoticeKindSpec(
        "ny_ag_hipaa",
        "Notice to the New York Attorney General (HIPAA)",
        "N.Y. Gen. Bus. Law § 899-aa(9)",
        False,
    ),
    NoticeKindSpec(
        "ny_determination",
        "Written determination to the NY Attorney General",
        "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
        False,
    ),
)

# Which of its rules each notice discharges.
DISCHARGES = (
    ("individual", ("NY1",)),
    ("ba_to_ce", ("NY6",)),
    ("ny_agencies", ("NY3-AG", "NY3-DOS", "NY3-SP")),
    ("ny_ag_hipaa", ("NY5",)),
    ("ny_determination", ("NY2",)),
)
