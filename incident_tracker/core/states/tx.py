"""Texas: Tex. Bus. & Com. Code § 521.002 (definitions).

Built from the project's states.json (certified). Tex. Gov't Code 311.014(b) rolls a period ending
on a Saturday, Sunday or legal holiday forward: shown as alt_due, [OPEN].
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "TX",
    Overrides(
        roll_forward=True,
    ),
)
