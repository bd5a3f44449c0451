"""Mississippi: Miss. Code § 75-24-29.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("MS")
