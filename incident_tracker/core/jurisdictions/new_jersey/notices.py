"""New Jersey's notices: the report to the State Police before residents are told
(N.J.S.A. 56:8-163(c)(1)). Its residents' letter is the HIPAA letter; its vendor's notice, the
business associate's."""

from incident_tracker.core.jurisdictions.model import NoticeKindSpec

KINDS = (
    NoticeKindSpec(
        "nj_state_police",
        "Report to the New Jersey State Police",
        "N.J.S.A. 56:8-163(c)(1)",
        False,
    ),
)

# Which of its rules each notice discharges.
DISCHARGES = (
    ("individual", ("NJ2",)),
    ("ba_to_ce", ("NJ4",)),
    ("nj_state_police", ("NJ1",)),
)
