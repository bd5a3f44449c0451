"""Pennsylvania: 73 P.S. §§ 2301–2330 (Breach of Personal Information Notification Act).

Built from the project's states.json (provisional). Insurance-data-security licensees (40 Pa.C.S.
Ch. 45) are exempt from the Attorney General notice.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides
from incident_tracker.core.states.notices import NOT_INSURANCE_LICENSEES

JURISDICTION = build(
    "PA",
    Overrides(
        scoped=(("PA2", NOT_INSURANCE_LICENSEES),),
    ),
)
