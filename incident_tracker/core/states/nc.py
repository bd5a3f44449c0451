"""North Carolina: N.C. Gen. Stat. § 75-61 (definitions).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("NC")
