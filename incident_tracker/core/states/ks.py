"""Kansas: K.S.A. §§ 50-7a01 to 50-7a04.

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("KS")
