"""North Dakota: N.D. Cent. Code §§ 51-30-01 to 51-30-07.

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("ND")
