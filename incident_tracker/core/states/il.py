"""Illinois.

Built from the project's states.json (provisional). 815 ILCS 530/50: a HIPAA entity notifies the
Attorney General within 5 business days of notifying the HHS Secretary.
"""

from __future__ import annotations

from incident_tracker.core.states.build import build
from incident_tracker.core.states.model import Overrides
from incident_tracker.core.states.notices import HIPAA_ENTITIES

JURISDICTION = build(
    "IL",
    Overrides(
        scoped=(("IL3", HIPAA_ENTITIES),),
    ),
)
