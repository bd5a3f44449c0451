"""South Dakota: SDCL §§ 22-40-19 to 22-40-26.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("SD")
