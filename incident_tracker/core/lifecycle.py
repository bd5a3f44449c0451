"""An incident's status, and how it moves by itself as the work is done.

intake -> assessment (an assessment is started) -> notification (signed: a breach, 164.402(2))
or not_required (signed: not a breach; the documentation duties of 164.530(j) and 164.414(b)
remain) -> monitoring (every legal duty done). Closed and void are only ever set by hand, and a
person may set any status by hand at any time.
"""

from __future__ import annotations

OPEN_STATUSES = ("intake", "assessment", "notification", "not_required", "monitoring")
STATUSES = (*OPEN_STATUSES, "closed", "void")

STATUS_LABELS: dict[str, str] = {
    "intake": "intake",
    "assessment": "assessing",
    "notification": "notifying",
    "not_required": "no notification required",
    "monitoring": "monitoring",
    "closed": "closed",
    "void": "void",
}


def after_assessment_started(status: str) -> str:
    """A started assessment moves a new incident to "assessing"; later statuses stay."""
    return "assessment" if status == "intake" else status


def after_signing(status: str, notification_required: bool, open_legal_duties: int) -> str:
    """A signed assessment decides whether notices are owed; once they are all done, the
    incident is monitored."""
    if status in ("closed", "void"):
        return status
    if not notification_required:
        return "not_required"
    return "notification" if open_legal_duties else "monitoring"


def after_duties_changed(status: str, legal_duties: int, open_legal_duties: int) -> str:
    """Every legal duty done moves a notifying incident to monitoring; one reopened (a sent
    record withdrawn, a new duty found) moves it back."""
    if status == "notification" and legal_duties and not open_legal_duties:
        return "monitoring"
    if status == "monitoring" and open_legal_duties:
        return "notification"
    return status


# The recorded outcome of the risk assessment (the `risk_assessment` fact), in words. None is
# the law's presumption: a breach unless a documented low probability (164.402(2)).
RISK_OUTCOME_LABELS: dict[str | None, str] = {
    None: "presumed breach until assessed",
    "not_low_probability": "a breach: not a low probability of compromise",
    "low_probability_documented": "not a breach: low probability of compromise (documented)",
    "not_required_exception": "not a breach: an exception of 164.402(1) applies",
    "not_required_secured_phi": "not a breach: the information was secured (encrypted)",
}
