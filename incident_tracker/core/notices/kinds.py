"""The notice kinds: one per recipient of an obligation, each tied to the rules that owe it.

Each obligation ends in a notice. The rule ids are those of docs/law/rules.md, so a draft can
say whether the engine found the notice owed for these facts; each jurisdiction names the rules
its notices discharge (core/jurisdictions/registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from incident_tracker.core.jurisdictions.registry import notice_rule_ids


class NoticeKind(StrEnum):
    INDIVIDUAL = "individual"
    SUBSTITUTE = "substitute"
    MEDIA = "media"
    HHS = "hhs"
    BA_TO_CE = "ba_to_ce"
    NY_AGENCIES = "ny_agencies"
    NY_AG_HIPAA = "ny_ag_hipaa"
    NY_DETERMINATION = "ny_determination"
    NJ_STATE_POLICE = "nj_state_police"
    CA_AG_SAMPLE = "ca_ag_sample"
    CDPH_REPORT = "cdph_report"
    CA_PATIENT = "ca_patient"
    # The other States' regulator notices (TX2 Attorney General, PR2 DACO ...): one kind, the
    # duty chosen by its rule id (core/notices/state_filings.py).
    STATE_REGULATOR = "state_regulator"


@dataclass(frozen=True, slots=True)
class KindInfo:
    kind: NoticeKind
    title: str  # what the document is, for file metadata and the DOCX title
    citation: str
    rule_ids: tuple[str, ...]  # the docs/law/rules.md obligations this notice discharges
    letter: bool  # a letter to people (plain language, CA format) rather than a filing


KINDS: dict[NoticeKind, KindInfo] = {
    info.kind: info
    for info in (
        KindInfo(
            NoticeKind.INDIVIDUAL,
            "Notice to individuals",
            "45 CFR 164.404",
            notice_rule_ids(NoticeKind.INDIVIDUAL),
            True,
        ),
        KindInfo(
            NoticeKind.SUBSTITUTE,
            "Substitute notice",
            "45 CFR 164.404(d)(2)",
            notice_rule_ids(NoticeKind.SUBSTITUTE),
            True,
        ),
        KindInfo(
            NoticeKind.MEDIA,
            "Notice to the media",
            "45 CFR 164.406",
            notice_rule_ids(NoticeKind.MEDIA),
            True,
        ),
        KindInfo(
            NoticeKind.HHS,
            "HHS breach report worksheet",
            "45 CFR 164.408",
            notice_rule_ids(NoticeKind.HHS),
            False,
        ),
        KindInfo(
            NoticeKind.BA_TO_CE,
            "Business associate notice to covered entity",
            "45 CFR 164.410",
            notice_rule_ids(NoticeKind.BA_TO_CE),
            False,
        ),
        KindInfo(
            NoticeKind.NY_AGENCIES,
            "Notice to New York agencies",
            "N.Y. Gen. Bus. Law § 899-aa(8)(a)",
            notice_rule_ids(NoticeKind.NY_AGENCIES),
            False,
        ),
        KindInfo(
            NoticeKind.NY_AG_HIPAA,
            "Notice to the New York Attorney General (HIPAA)",
            "N.Y. Gen. Bus. Law § 899-aa(9)",
            notice_rule_ids(NoticeKind.NY_AG_HIPAA),
            False,
        ),
        KindInfo(
            NoticeKind.NY_DETERMINATION,
            "Written determination to the NY Attorney General",
            "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
            notice_rule_ids(NoticeKind.NY_DETERMINATION),
            False,
        ),
        KindInfo(
            NoticeKind.NJ_STATE_POLICE,
            "Report to the New Jersey State Police",
            "N.J.S.A. 56:8-163(c)(1)",
            notice_rule_ids(NoticeKind.NJ_STATE_POLICE),
            False,
        ),
        KindInfo(
            NoticeKind.CA_AG_SAMPLE,
            "Sample notice for the California Attorney General",
            "Cal. Civ. Code § 1798.82(f)",
            notice_rule_ids(NoticeKind.CA_AG_SAMPLE),
            True,
        ),
        KindInfo(
            NoticeKind.CDPH_REPORT,
            "Report to the California Department of Public Health",
            "Cal. Health & Safety Code § 1280.15(b)(1); 22 CCR 79902(a)(1)",
            notice_rule_ids(NoticeKind.CDPH_REPORT),
            False,
        ),
        KindInfo(
            NoticeKind.CA_PATIENT,
            "Notice to the patient",
            "Cal. Health & Safety Code § 1280.15(b)(2)",
            notice_rule_ids(NoticeKind.CA_PATIENT),
            True,
        ),
        KindInfo(
            NoticeKind.STATE_REGULATOR,
            "Notice to a State regulator",
            "the State's breach-notification law",
            (),
            False,
        ),
    )
}


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
