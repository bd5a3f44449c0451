"""Alaska: Alaska Stat. §§ 45.48.010–45.48.090 (Personal Information Protection Act).

Built from the project's states.json (provisional). The Attorney General is notified only by an
entity relying on the no-harm exception.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides
from incident_tracker.core.states.notices import NO_HARM_RELIANCE

JURISDICTION = build(
    "AK",
    Overrides(
        scoped=(("AK2", NO_HARM_RELIANCE),),
    ),
)
