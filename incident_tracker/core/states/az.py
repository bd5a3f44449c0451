"""Arizona: A.R.S. § 18-551 (definitions).

Built from the project's states.json (certified). After a law-enforcement hold: notice within 45
days after the agency says notice no longer compromises the investigation (the data's law-
enforcement entry).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "AZ",
    Overrides(
        after_hold=(45, "calendar", False),
    ),
)
