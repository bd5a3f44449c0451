"""The notice kinds: one per recipient of an obligation, each tied to the rules that owe it.

Each obligation ends in a notice. The rule ids are those of docs/law/rules.md, so a draft can
say whether the engine found the notice owed for these facts. Each jurisdiction's folder declares
its kinds and the rules they discharge (its notices.py); `NoticeKind` has one member per kind the
registry lists, plus the other States' regulator notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import EnumType, StrEnum
from functools import cache
from typing import TYPE_CHECKING

from incident_tracker.core.jurisdictions.model import NoticeKindSpec
from incident_tracker.core.jurisdictions.registry import NOTICE_KINDS, notice_rule_ids

# The other States' regulator notices (TX2 Attorney General, PR2 DACO ...): one kind, the duty
# chosen by its rule id (core/notices/state_filings.py).
STATE_REGULATOR = NoticeKindSpec(
    "state_regulator",
    "Notice to a State regulator",
    "the State's breach-notification law",
    False,
)
_SPECS = (*NOTICE_KINDS, STATE_REGULATOR)

if TYPE_CHECKING:

    class _Kinds(EnumType):
        def __getattr__(cls, name: str) -> NoticeKind: ...

    class NoticeKind(StrEnum, metaclass=_Kinds):
        """A notice kind; its members are the jurisdictions' (NoticeKind.NY_AGENCIES ...)."""

else:
    # One member per kind the jurisdictions declare, named by its key (NY_AGENCIES =
    # "ny_agencies"): the values are those stored in the database.
    NoticeKind = StrEnum("NoticeKind", [(k.member, k.key) for k in _SPECS], module=__name__)


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: NoticeKind
    title: str  # what the document is, for file metadata and the DOCX title
    citation: str
    rule_ids: tuple[str, ...]  # the docs/law/rules.md obligations this notice discharges
    letter: bool  # a letter to people (plain language, CA format) rather than a filing
    template: str  # its template under templates/notices/letters/


KINDS: dict[NoticeKind, KindInfo] = {
    NoticeKind(k.key): KindInfo(
        NoticeKind(k.key), k.title, k.citation, notice_rule_ids(k.key), k.letter, k.template
    )
    for k in _SPECS
}
# The letters to people (the media notice is a press release): 164.404(c) content, titled and
# headed as Civ. Code § 1798.82(d)(1) asks, which suits a HIPAA letter too (docs/law/california.md).
LETTER_KINDS = frozenset(k for k, i in KINDS.items() if i.letter) - {NoticeKind.MEDIA}


def kind_for_rule(rule_id: str) -> NoticeKind | None:
    """The notice that discharges an obligation of rule `rule_id` (docs/law/rules.md); None for
    duties
    that are not a notice this app drafts (F7 delay, F8 record keeping, NY4/NJ3 consumer reporting
    agencies, NY7 DFS)."""
    for info in KINDS.values():
        if rule_id in info.rule_ids:
            return info.kind
    return _state_kinds().get(rule_id)


@cache
def _state_kinds() -> dict[str, NoticeKind]:
    """The other States' duties a notice discharges: each resident notice (the individual letter,
    or a State letter of its own) and each regulator notice. Their consumer-reporting-agency and
    vendor-to-owner duties are not notices this app drafts."""
    from incident_tracker.core.states import JURISDICTIONS

    kinds = {}
    for j in JURISDICTIONS.values():
        for d in j.duties:
            if d.role == "residents":
                kinds[d.rule_id] = NoticeKind.INDIVIDUAL
            elif d.role == "regulator":
                kinds[d.rule_id] = NoticeKind.STATE_REGULATOR
    return kinds


def parse_kind(value: str) -> NoticeKind:
    """The kind named on the command line; a clear error lists every kind."""
    try:
        return NoticeKind(value.strip().lower())
    except ValueError:
        raise ValueError(
            f"unknown notice kind {value!r}; one of: {', '.join(k.value for k in NoticeKind)}"
        ) from None
