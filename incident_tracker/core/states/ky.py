"""Kentucky: KRS 365.732 (private).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("KY")
