"""Federal notices: the HIPAA letter and its substitute and media forms (45 CFR 164.404-406), the
HHS report (164.408) and the business associate's notice (164.410)."""

from incident_tracker.core.jurisdictions.model import NoticeKindSpec

KINDS = (
    NoticeKindSpec("individual", "Notice to individuals", "45 CFR 164.404", True),
    NoticeKindSpec("substitute", "Substitute notice", "45 CFR 164.404(d)(2)", True),
    NoticeKindSpec("media", "Notice to the media", "45 CFR 164.406", True),
    NoticeKindSpec("hhs", "HHS breach report worksheet", "45 CFR 164.408", False),
    NoticeKindSpec(
        "ba_to_ce", "Business associate notice to covered entity", "45 CFR 164.410", False
    ),
)

# Which rules each notice discharges.
DISCHARGES = (
    ("individual", ("F1",)),
    ("substitute", ("F2",)),
    ("media", ("F3",)),
    ("hhs", ("F4", "F5", "P2")),
    ("ba_to_ce", ("F6",)),
)
