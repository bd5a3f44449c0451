"""U.S. Virgin Islands: 14 V.I.C. §§ 2208–2212 (Identity Theft Prevention Act).

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("VI")
