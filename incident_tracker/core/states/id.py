"""Idaho: Idaho Code §§ 28-51-104 to 28-51-107.

Built from the project's states.json (provisional). The 24-hour Attorney General notice binds state
and local agencies only.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides
from incident_tracker.core.states.notices import GOVERNMENT

JURISDICTION = build(
    "ID",
    Overrides(
        scoped=(("ID2", GOVERNMENT),),
    ),
)
