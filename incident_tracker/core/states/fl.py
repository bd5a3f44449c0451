"""Florida: Fla. Stat. § 501.171 (Florida Information Protection Act of 2014).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("FL")
