"""Oklahoma: 24 O.S. §§ 161–166 (Security Breach Notification Act).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("OK")
