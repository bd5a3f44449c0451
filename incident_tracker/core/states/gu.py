"""Guam: 9 G.C.A. §§ 48.10–48.80.

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("GU")
