"""Georgia: O.C.G.A. §§ 10-1-910 to 10-1-912.

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("GA")
