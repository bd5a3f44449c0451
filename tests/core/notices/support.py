"""Shared inputs for the notice tests: the worked cases, a full set of notice details, drafting."""

from __future__ import annotations

from typing import Any

from jinja2 import FileSystemLoader

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import (
    KINDS,
    NoticeDraft,
    NoticeKind,
    draft,
    make_environment,
    media_states,
    parse_notice,
    parse_organisation,
)
from incident_tracker.core.notices.state_filings import regulator_duties
from tests.worked_cases import CASES as CASES
from tests.worked_cases import REPO_ROOT

LETTERS = REPO_ROOT / "templates" / "notices" / "letters"
ENV = make_environment(FileSystemLoader(str(LETTERS)))

ORGANISATION: dict[str, Any] = {
    "name": "Smith & Sons Health",
    "address": "100 Main Street\nAlbany, NY 12207",
    "toll_free_phone": "1-800-555-0100",
    "email": "privacy@smith-sons.example",
    "website": "www.smith-sons.example",
}

# Every notice detail, including the answers only the filing kinds ask for.
FULL_NOTICE: dict[str, Any] = {
    "what_happened": "An unauthorized person signed in to an employee's email account.",
    "what_we_are_doing": "We reset the account's password, turned on two-step sign-in for every "
    "account and hired a forensic firm to investigate.",
    "what_you_can_do": "Call us if you have any question about this letter.",
    "identity_protection": {
        "provider": "IdentityWatch",
        "months": 12,
        "enrollment_url": "https://enroll.identitywatch.example",
        "enrollment_code": "CODE-1234",
        "enroll_by": "2027-03-31",
    },
    "notice_date": "2026-12-01",
    "contact_name": "Pat Lee, Privacy Officer",
    "covered_entity_type": "Health care provider",
    "breach_end_date": "2026-12-01",
    "breach_type": "Hacking/IT incident",
    "breach_location": "E-mail",
    "safeguards": ["Privacy Rule safeguards", "Security Rule technical safeguards"],
    "breach_time": "09:15",
    "detected_time": "14:30",
    "determination_basis": "The file went to one authorized colleague, who deleted it unread.",
}


def case(case_id: str) -> dict[str, Any]:
    return next(c for c in CASES if c["id"] == case_id)


def make(
    incident: dict[str, Any],
    kind: NoticeKind,
    notice: dict[str, Any] | None = None,
    organisation: dict[str, Any] | None = None,
    state: str | None = None,
) -> NoticeDraft:
    return draft(
        ENV,
        parse_incident(incident),
        parse_organisation(organisation or ORGANISATION),
        parse_notice(notice),
        kind,
        state=state,
    )


def owed_kinds(incident: dict[str, Any]) -> list[tuple[NoticeKind, str | None]]:
    """The notices the engine finds owed for a case: one media notice per qualifying State."""
    facts = parse_incident(incident)
    owed = {o.rule_id for o in compute(facts).obligations}
    found: list[tuple[NoticeKind, str | None]] = []
    for kind, info in KINDS.items():
        if kind is NoticeKind.STATE_REGULATOR:  # one per owed duty (TX2, PA2 ...)
            found += [(kind, r) for r in sorted(owed & set(regulator_duties()))]
            continue
        if not owed & set(info.rule_ids):
            continue
        if kind is NoticeKind.MEDIA:
            found += [(kind, s) for s in media_states(facts)]
        else:
            found.append((kind, None))
    return found
