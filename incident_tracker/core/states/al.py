"""Alabama: Ala. Code §§ 8-38-1 to 8-38-12 (Alabama Data Breach Notification Act of 2018).

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("AL")
