"""New Hampshire: RSA 359-C:19 to 359-C:21.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("NH")
