"""Louisiana: La. R.S. 51:3071–3077.

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("LA")
