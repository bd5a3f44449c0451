"""Every notice the engine finds owed for a worked case drafts completely when the notice
details are given, and reports exactly the right gaps when they are not.

The cases are tests/data/worked_cases.json; which notices each one owes comes from the deadline
engine (docs/law/rules.md), one media notice per State with more than 500 residents (164.406).
"""

from __future__ import annotations

from typing import Any

import pytest

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import (
    NoticeKind,
    element_status,
    parse_notice,
    parse_organisation,
    prepare,
)
from incident_tracker.core.notices.elements import missing_marker
from tests.core.notices.support import CASES, FULL_NOTICE, ORGANISATION, case, make, owed_kinds

OWED = [(c["id"], kind, state) for c in CASES for kind, state in owed_kinds(c["incident"])]


def _missing_keys(case_id: str, kind: NoticeKind, state: str | None = None) -> set[str]:
    ctx = prepare(
        parse_incident(case(case_id)["incident"]),
        parse_organisation(ORGANISATION),
        parse_notice(None),
        kind,
        state,
    )
    return {s.key for s in element_status(kind, ctx) if not s.present}


def test_every_kind_is_owed_by_some_worked_case() -> None:
    """The worked cases exercise all twelve kinds, so the completeness test below covers each."""
    assert {kind for _, kind, _ in OWED} == set(NoticeKind)


@pytest.mark.parametrize(
    ("case_id", "kind", "state"), OWED, ids=[f"{c}-{k}-{s}" for c, k, s in OWED]
)
def test_owed_notice_is_complete_when_the_details_are_given(
    case_id: str, kind: NoticeKind, state: str | None
) -> None:
    notice = make(case(case_id)["incident"], kind, FULL_NOTICE, state=state)
    assert notice.missing == ()
    assert "[MISSING" not in notice.text


@pytest.mark.parametrize(
    ("case_id", "kind", "state"), OWED, ids=[f"{c}-{k}-{s}" for c, k, s in OWED]
)
def test_owed_notice_without_details_reports_what_happened_and_marks_it(
    case_id: str, kind: NoticeKind, state: str | None
) -> None:
    """Nothing is papered over: the breach is never described for the user (164.404(c)(1)(A))."""
    notice = make(case(case_id)["incident"], kind, None, state=state)
    # The NY agencies' notice reports it for the template letter it carries (§ 899-aa(8)(a)).
    assert any(m.element.endswith("a brief description of what happened") for m in notice.missing)
    assert "[MISSING: a brief description of what happened]" in notice.text


@pytest.mark.parametrize("kind", list(NoticeKind))
@pytest.mark.parametrize("case_data", CASES, ids=[c["id"] for c in CASES])
def test_every_kind_renders_for_every_case(case_data: dict[str, Any], kind: NoticeKind) -> None:
    """Even a notice the engine does not require drafts without error (the user may need one)."""
    state = "PA" if kind is NoticeKind.MEDIA else None
    notice = make(case_data["incident"], kind, FULL_NOTICE, state=state)
    assert notice.text.strip()


EXPECTED_WITHOUT_DETAILS: list[tuple[str, NoticeKind, str | None, set[str]]] = [
    # A plain HIPAA letter: 164.404(c)(1)(A) and (D) come only from the organisation.
    ("C01", NoticeKind.INDIVIDUAL, None, {"what_happened", "what_we_are_doing"}),
    # CA residents (CA1 owed): the notice date, 1798.82(d)(2).
    ("C09", NoticeKind.INDIVIDUAL, None, {"what_happened", "what_we_are_doing", "notice_date"}),
    # CA residents and SSNs: also the 12-month identity-protection offer (docs/law/california.md);
    # 2,500 PA residents with SSNs, PA's relationship to HIPAA unclear so its own letter is owed:
    # 12 months of credit monitoring, 73 P.S. §§ 2301–2330 (incident_tracker/data/states.json).
    (
        "C13",
        NoticeKind.INDIVIDUAL,
        None,
        {"what_happened", "what_we_are_doing", "notice_date", "identity_protection", "offer_PA"},
    ),
    # View-only access to CA patients' records is not "acquisition" (docs/law/california.md, open
    # questions): no CA
    # content rules, so neither the notice date nor an offer is required.
    ("C30", NoticeKind.CA_PATIENT, None, {"what_happened", "what_we_are_doing"}),
    (
        "C33",
        NoticeKind.CA_PATIENT,
        None,
        {"what_happened", "what_we_are_doing", "notice_date", "identity_protection"},
    ),
    ("C09", NoticeKind.CA_AG_SAMPLE, None, {"what_happened", "what_we_are_doing", "notice_date"}),
    ("C05", NoticeKind.MEDIA, "PA", {"what_happened", "what_we_are_doing"}),
    # Substitute notice: the posting start is on record in C05 (substitute_notice_started_on).
    ("C05", NoticeKind.SUBSTITUTE, None, {"what_happened", "what_we_are_doing"}),
    # OCR portal questions the facts cannot answer (docs/law/federal.md); C07 is paper, so the
    # location follows from the facts.
    (
        "C07",
        NoticeKind.HHS,
        None,
        {
            "what_happened",
            "what_we_are_doing",
            "breach_end_date",
            "breach_type",
            "contact_name",
            "covered_entity_type",
            "safeguards",
            "individual_notice_date",
        },
    ),
    ("C35", NoticeKind.BA_TO_CE, None, {"what_happened", "what_we_are_doing"}),
    ("C13", NoticeKind.NY_AGENCIES, None, {"individual_notice_date"}),
    ("C14", NoticeKind.NY_AG_HIPAA, None, {"what_happened", "what_we_are_doing"}),
    ("C12", NoticeKind.NY_DETERMINATION, None, {"what_happened", "determination_basis"}),
    ("C24", NoticeKind.NJ_STATE_POLICE, None, {"what_happened"}),
    (
        "C33",
        NoticeKind.CDPH_REPORT,
        None,
        {
            "what_happened",
            "what_we_are_doing",
            "breach_time",
            "detected_time",
            "contact_name",
            "individual_notice_date",
        },
    ),
]


@pytest.mark.parametrize(
    ("case_id", "kind", "state", "expected"),
    EXPECTED_WITHOUT_DETAILS,
    ids=[f"{c}-{k}" for c, k, _, _ in EXPECTED_WITHOUT_DETAILS],
)
def test_without_details_exactly_the_right_elements_are_missing(
    case_id: str, kind: NoticeKind, state: str | None, expected: set[str]
) -> None:
    assert _missing_keys(case_id, kind, state) == expected


def test_ny_agencies_reports_the_template_letters_gaps_as_its_own() -> None:
    """§ 899-aa(8)(a): the agencies get a copy of the template notice, so its gaps are theirs."""
    notice = make(case("C13")["incident"], NoticeKind.NY_AGENCIES, None)
    elements = [m.element for m in notice.missing]
    assert "template letter: a brief description of what happened" in elements
    assert any(
        m.element.startswith("template letter:") and "164.404(c)(1)(D)" in m.citation
        for m in notice.missing
    )


@pytest.mark.parametrize(
    ("case_id", "kind", "state"), OWED, ids=[f"{c}-{k}-{s}" for c, k, s in OWED]
)
def test_every_gap_the_check_reports_is_marked_in_the_draft(
    case_id: str, kind: NoticeKind, state: str | None
) -> None:
    """The check and the draft agree: a reviewer reading the draft sees every reported gap."""
    notice = make(case(case_id)["incident"], kind, None, state=state)
    for key in _missing_keys(case_id, kind, state) - {"no_exposed_values"}:
        assert missing_marker(key) in notice.text, key
    assert notice.text.count("[MISSING: ") >= len(notice.missing)
