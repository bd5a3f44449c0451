"""Notice drafting (architecture.md §1.7): pure Python, no web, database or clock.

kinds: the notice kinds (each jurisdiction's folder declares its own) and the rules each
discharges; content: what a jurisdiction's folder adds to the notices (its elements, letter content
and worksheets); details: organisation and notice inputs; labels: data-type names, steps and public
contacts; context: the prepared view of a notice; filings: worksheet sections for regulators;
elements: required contents and the missing check; render: the Jinja environment, block markup and
drafts; drafting: the entry points.
"""

from incident_tracker.core.notices.details import (
    IdentityProtection,
    NoticeDetails,
    Organisation,
    Recipient,
    parse_notice,
    parse_organisation,
)
from incident_tracker.core.notices.drafting import (
    NoticeError,
    choose_state,
    draft,
    draft_letters,
    media_states,
    prepare,
)
from incident_tracker.core.notices.elements import Requirement, element_status
from incident_tracker.core.notices.kinds import KINDS, NoticeKind, parse_kind
from incident_tracker.core.notices.render import Block, NoticeDraft, make_environment, merge

__all__ = [
    "KINDS",
    "Block",
    "IdentityProtection",
    "NoticeDetails",
    "NoticeDraft",
    "NoticeError",
    "NoticeKind",
    "Organisation",
    "Recipient",
    "Requirement",
    "choose_state",
    "draft",
    "draft_letters",
    "element_status",
    "make_environment",
    "media_states",
    "merge",
    "parse_kind",
    "parse_notice",
    "parse_organisation",
    "prepare",
]
