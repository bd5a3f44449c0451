"""Nevada: NRS §§ 603A.010–603A.290 (notice: § 603A.220).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("NV")
