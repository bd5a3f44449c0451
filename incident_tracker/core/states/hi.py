"""Hawaii: H.R.S. §§ 487N-1 to 487N-4.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("HI")
