"""District of Columbia: D.C. Code §§ 28-3851 to 28-3853.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("DC")
