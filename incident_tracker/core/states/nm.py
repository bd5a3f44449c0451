"""New Mexico: NMSA §§ 57-12C-1 to 57-12C-12 (Data Breach Notification Act).

Built from the project's states.json (certified). After a law-enforcement hold: notice within 45
days (the data's law-enforcement entry, § 57-12C-9).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "NM",
    Overrides(
        after_hold=(45, "calendar", False),
    ),
)
