"""Montana: Mont. Code §§ 30-14-1701 to 30-14-1705.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("MT")
