"""Iowa: Iowa Code §§ 715C.1–715C.2.

Built from the project's states.json (certified).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("IA")
