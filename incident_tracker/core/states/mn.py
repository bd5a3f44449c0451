"""Minnesota: Minn. Stat. § 325E.61 (private).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("MN")
