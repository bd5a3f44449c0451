"""Tennessee: Tenn. Code § 47-18-2107.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("TN")
