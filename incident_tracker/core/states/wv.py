"""West Virginia: W. Va. Code §§ 46A-2A-101 to 46A-2A-105.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("WV")
