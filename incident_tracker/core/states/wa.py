"""Washington: RCW 19.255.005–19.255.040 (private).

Built from the project's states.json (provisional). The Insurance Commissioner notice (WAC
284-04-625) binds insurers only.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides
from incident_tracker.core.states.notices import INSURANCE_LICENSEES

JURISDICTION = build(
    "WA",
    Overrides(
        scoped=(("WA3", INSURANCE_LICENSEES),),
    ),
)
