"""Utah: Utah Code §§ 13-44-101 to 13-44-301.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("UT")
