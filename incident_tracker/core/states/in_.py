"""Indiana: Ind. Code § 24-4.9 (Disclosure of Security Breach).

Built from the project's states.json (provisional).
"""

from __future__ import annotations

from incident_tracker.core.states.build import build

JURISDICTION = build("IN")
