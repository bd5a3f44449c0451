"""Maryland: Md. Code, Com. Law §§ 14-3501 to 14-3508 (Personal Information Protection Act).

Built from the project's states.json (provisional). After a law-enforcement hold: the later of 7
days after clearance and the original 45 days (the data's law-enforcement entry).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "MD",
    Overrides(
        after_hold=(7, "calendar", True),
    ),
)
