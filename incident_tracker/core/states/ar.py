"""Arkansas: Ark. Code §§ 4-110-101 to 4-110-108 (Personal Information Protection Act).

Built from the project's states.json (provisional). The Attorney General is notified at the same
time as the residents or within 45 days, whichever is first.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "AR",
    Overrides(
        earlier_of_resident_notice=("AR2",),
    ),
)
