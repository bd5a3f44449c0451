"""Michigan: MCL 445.63, 445.72 (Identity Theft Protection Act).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("MI")
