"""Connecticut: Conn. Gen. Stat. § 36a-701b.

Built from the project's states.json (provisional). The Insurance Commissioner notice (Conn. Gen.
Stat. § 38a-38) binds insurance licensees only.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides
from incident_tracker.core.states.notices import INSURANCE_LICENSEES

JURISDICTION = build(
    "CT",
    Overrides(
        scoped=(("CT3", INSURANCE_LICENSEES),),
    ),
)
