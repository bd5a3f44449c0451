"""Nebraska: Neb. Rev. Stat. §§ 87-801 to 87-808.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("NE")
