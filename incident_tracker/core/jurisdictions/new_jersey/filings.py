"""New Jersey's filing: the report to the Division of State Police before residents are told
(N.J.S.A. 56:8-163(c)(1)): the breach and any information pertaining to it."""

from __future__ import annotations

from incident_tracker.core.notices.context import Field, NoticeContext, Section, join_words
from incident_tracker.core.notices.elements import missing_marker
from incident_tracker.core.notices.labels import element_labels
from incident_tracker.core.notices.worksheets import types_field
from incident_tracker.core.vocabulary import NJ_PERSONAL

STATE_POLICE = ("New Jersey Division of State Police",)


def state_police(c: NoticeContext) -> tuple[Section, ...]:
    f = c.facts
    nj_types = element_labels(f.data_elements & NJ_PERSONAL)
    return (
        Section(
            "Report of a breach of security",
            (
                Field("Date of discovery", c.discovered_on),
                Field("Date of the breach", c.breach_date or "not yet known"),
                Field(
                    "New Jersey residents affected",
                    f"{f.residents('NJ'):,}"
                    if f.residents("NJ")
                    else missing_marker("nj_affected"),
                ),
                types_field(c),
                Field(
                    "Personal information under N.J.S.A. 56:8-161", join_words(nj_types) or "none"
                ),
                Field("Description of the breach", c.what_happened),
                Field("Actions taken in response", c.what_we_are_doing),
                Field("Notice to New Jersey residents", "Will follow this report (56:8-163(c)(1))"),
            ),
        ),
    )
