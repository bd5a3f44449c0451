"""Federal law: the HIPAA Breach Notification Rule (45 CFR 164.400-414) and 42 CFR Part 2
(docs/law/federal.md). Calendar days only: no business days, no roll-forward."""

from incident_tracker.core.jurisdictions.federal import parameters, rules
from incident_tracker.core.jurisdictions.model import Jurisdiction

JURISDICTION = Jurisdiction(
    code="Federal",
    name="Federal (HIPAA)",
    law_page="docs/law/federal.md",
    rules=rules.RULES,
    parameters=parameters.PARAMETERS,
    state=False,
    notices=(
        ("individual", ("F1",)),
        ("substitute", ("F2",)),
        ("media", ("F3",)),
        ("hhs", ("F4", "F5", "P2")),
        ("ba_to_ce", ("F6",)),
    ),
    done_feeds=(("F1", "individuals"), ("F4", "hhs"), ("F5", "hhs")),
)
