"""Federal law: the HIPAA Breach Notification Rule (45 CFR 164.400-414) and 42 CFR Part 2
(docs/law/federal.md). Calendar days only: no business days, no roll-forward.

parameters.py: the dated numbers; common.py: the covered entity's discovery date; rules.py: F1-F3
and the rule list; hhs.py: F4, F5, P2; records.py: F6-F8.
"""

from incident_tracker.core.jurisdictions.federal import notices, parameters, rules
from incident_tracker.core.jurisdictions.model import Jurisdiction

JURISDICTION = Jurisdiction(
    code="Federal",
    name="Federal (HIPAA)",
    law_page="docs/law/federal.md",
    rules=rules.RULES,
    parameters=parameters.PARAMETERS,
    state=False,
    notices=notices.DISCHARGES,
    notice_kinds=notices.KINDS,
    done_feeds=(("F1", "individuals"), ("F4", "hhs"), ("F5", "hhs")),
    names=(
        ("F1", "notice to individuals (45 CFR 164.404)"),
        ("F2", "substitute notice (45 CFR 164.404(d)(2))"),
        ("F3", "notice to the media (45 CFR 164.406)"),
        ("F4", "report to HHS (45 CFR 164.408(b))"),
        ("F5", "HHS annual log of small breaches (45 CFR 164.408(c))"),
        ("F6", "business associate's notice to the covered entity (45 CFR 164.410)"),
        ("F7", "law-enforcement delay (45 CFR 164.412)"),
        ("F8", "documentation kept six years (45 CFR 164.530(j))"),
        ("P2", "42 CFR Part 2 breach report to HHS"),
    ),
)
