"""Virginia: Va. Code § 18.2-186.6 (general personal information).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("VA")
