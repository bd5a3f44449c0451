"""Colorado: C.R.S. § 6-1-716 (private entities).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("CO")
