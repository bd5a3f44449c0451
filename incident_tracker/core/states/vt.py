"""Vermont: 9 V.S.A. § 2430 (definitions).

Built from the project's states.json (provisional). The preliminary notice is due within 14
business days, or when consumers are notified if sooner.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides

JURISDICTION = build(
    "VT",
    Overrides(
        earlier_of_resident_notice=("VT2",),
    ),
)
