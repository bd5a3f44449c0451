"""Wyoming: Wyo. Stat. §§ 40-12-501 to 40-12-509.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("WY")
