"""South Carolina: S.C. Code § 39-1-90.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("SC")
