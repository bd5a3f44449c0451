"""Maine: 10 M.R.S. §§ 1346–1350-B (Notice of Risk to Personal Data Act).

Built from the project's states.json (provisional). After a law-enforcement hold: notice within 7
business days (the data's law-enforcement entry).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "ME",
    Overrides(
        after_hold=(7, "business", False),
    ),
)
