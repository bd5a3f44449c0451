"""Delaware: 6 Del. C. §§ 12B-101 to 12B-104.

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("DE")
