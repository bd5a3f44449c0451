"""Ohio: Ohio Rev. Code § 1349.19 (private).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("OH")
