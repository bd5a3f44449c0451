"""Massachusetts: M.G.L. c. 93H §§ 1–6.

Built from the project's states.json (certified). M.G.L. c. 93H § 3: the State's own resident
letter must not state the nature of the breach or the number of residents affected.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "MA",
    Overrides(
        letter_prohibitions=(
            "state the nature of the breach or unauthorized acquisition or use",
            "state the number of Massachusetts residents affected",
        ),
    ),
)
