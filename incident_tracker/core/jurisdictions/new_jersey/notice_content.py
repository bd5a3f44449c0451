"""What New Jersey's law adds to the notices (docs/law/new-jersey.md): the State Police report's
elements (filings.py). N.J.S.A. 56:8-163 prescribes no content for the residents' letter."""

from __future__ import annotations

from incident_tracker.core.jurisdictions.new_jersey import filings
from incident_tracker.core.notices.content import Element, KindContent, NoticeContent

_CITE = "N.J.S.A. 56:8-163(c)(1) (the breach and any information pertaining to it)"

CONTENT = NoticeContent(
    code="NJ",
    elements=(
        Element(
            "nj_affected",
            "the number of affected New Jersey residents",
            lambda c: c.facts.residents("NJ") > 0,
        ),
    ),
    kinds=(
        KindContent(
            "nj_state_police",
            lambda c: [
                (k, _CITE) for k in ("what_happened", "phi_types", "nj_affected", "contact")
            ],
            filings.state_police,
            filings.STATE_POLICE,
        ),
    ),
)
