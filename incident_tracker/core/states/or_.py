"""Oregon: ORS §§ 646A.600–646A.628 (notice: § 646A.604).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("OR")
