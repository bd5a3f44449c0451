"""The other States' regulator notices: the content incident_tracker/data/states.json lists for
each, answered from the record, with the form or portal it names, and the required-element check
citing the State's law. One test per certified jurisdiction whose notice lists content (AL, LA,
MA, NM, TX), and the form-only ones (AZ, PR).

Every incident here was discovered on Monday 2026-11-02 and began on 2026-10-30; day 0 is the day
of discovery (docs/law/conventions.md), and with no `determined_on` the clocks that run
from the determination run from discovery (the earliest anchor).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from incident_tracker.core.facts import parse_incident
from incident_tracker.core.notices import NoticeKind, element_status, parse_notice, prepare
from incident_tracker.core.notices.details import parse_organisation
from incident_tracker.core.notices.state_content import ITEM_ELEMENTS, ITEM_NOTES
from incident_tracker.core.notices.state_filings import content_items, regulator_duties
from incident_tracker.core.states.model import load_data
from tests.core.notices.support import FULL_NOTICE, ORGANISATION, make
from tests.worked_cases import REPO_ROOT


def incident(states: dict[str, int], hipaa: bool = True, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "entity_type": "covered_entity",
        "discovered_on": "2026-11-02",
        "breach_occurred_on": "2026-10-30",
        "affected_by_state": states,
        "total_affected": sum(states.values()),
        "data_elements": ["name", "ssn", "diagnosis"],
        "risk_assessment": "not_low_probability",
        "flags": {"hipaa_covered_entity": hipaa},
    }
    data.update(over)
    return data


def missing(data: dict[str, Any], duty: str, notice: dict[str, Any] | None) -> dict[str, str]:
    """{element: citation} the check reports missing for the duty's notice."""
    ctx = prepare(
        parse_incident(data),
        parse_organisation(ORGANISATION),
        parse_notice(notice),
        NoticeKind.STATE_REGULATOR,
        duty,
    )
    return {
        s.requirement.element: s.requirement.citation
        for s in element_status(NoticeKind.STATE_REGULATOR, ctx)
        if not s.present
    }


TX = "Tex. Bus. & Com. Code § 521.002 (definitions); § 521.053 (notice); § 521.151 (penalties)"


def test_texas_attorney_general_portal_with_the_listed_content() -> None:
    """Tex. Bus. & Com. Code § 521.053: at least 250 Texans -> the Attorney General, on the
    OAG's electronic form, 30 days after the determination: 2026-11-02 + 30 = 2026-12-02. The
    content: nature, Texans affected (300), notified by mail, measures, law enforcement."""
    notice = make(incident({"TX": 300}), NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="TX2")
    text = notice.text
    assert "How to file: Electronic form on the OAG website (mandatory)" in text
    assert "When: By December 2, 2026" in text
    assert f"Description of the breach: {FULL_NOTICE['what_happened']}" in text
    assert "Texas residents affected: 300" in text
    assert "Texas residents notified, and how: 300, by mail" in text
    assert f"Steps taken and planned: {FULL_NOTICE['what_we_are_doing']}" in text
    # No law-enforcement hold is recorded: the filer must answer it.
    assert "Law enforcement engaged: [MISSING: whether law enforcement is engaged]" in text
    gaps = missing(incident({"TX": 300}), "TX2", FULL_NOTICE)
    assert gaps == {
        "whether law enforcement is engaged": f"{TX} (Attorney General (Consumer Protection "
        "Division))"
    }


def test_texas_249_residents_owe_no_filing_250_do() -> None:
    """§ 521.053(i): "at least 250" Texans: 249 owes none (the draft says so), 250 owes it."""
    below = make(incident({"TX": 249}), NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="TX2")
    assert "When: Not owed for these facts" in below.text
    assert below.notes[0].startswith(
        "Not owed for these facts: 249 Texas residents is not at least 250"
    )
    at = make(incident({"TX": 250}), NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="TX2")
    assert "When: By December 2, 2026" in at.text


def test_alabama_attorney_general_for_more_than_1000() -> None:
    """Ala. Code § 8-38-6 (the AG form): more than 1,000 Alabamians; a HIPAA entity's letter
    serves them (individual notice only) but the AG notice stays owed, 45 days after the
    determination: 2026-11-02 + 45 = 2026-12-17. Content: synopsis, number, services offered,
    contact person."""
    data = incident({"AL": 1001})
    text = make(data, NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="AL2").text
    assert "How to file: AG online data-breach form" in text
    assert "When: By December 17, 2026" in text
    assert "Alabama residents affected: 1,001" in text
    assert "Services offered to affected individuals: We are offering you 12 months of" in text
    assert f"Contact person: {FULL_NOTICE['contact_name']}" in text
    no_offer = {k: v for k, v in FULL_NOTICE.items() if k != "identity_protection"}
    gaps = missing(data, "AL2", no_offer)
    assert list(gaps) == [
        "the services offered to affected individuals (e.g. credit monitoring), or that none "
        "are offered"
    ]
    assert gaps[next(iter(gaps))].startswith("Ala. Code §§ 8-38-1 to 8-38-12")
    one_thousand = make(incident({"AL": 1000}), NoticeKind.STATE_REGULATOR, None, state="AL2")
    assert "When: Not owed for these facts" in one_thousand.text
    assert one_thousand.notes[0].startswith(
        "Not owed for these facts: 1,000 Alabama residents is not more than 1,000"
    )


def test_louisiana_attorney_general_gets_the_names_of_the_residents() -> None:
    """La. R.S. 51:3074 and La. Admin. Code tit. 16, pt. III, § 701: every breach; 10 days after
    the residents' notice, itself due 60 days after discovery (2026-11-02 + 60 = 2027-01-01), so
    2027-01-11; the notice names every affected Louisiana resident (an enclosed list)."""
    notice = make(incident({"LA": 12}), NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="LA2")
    text = notice.text
    assert "When: By January 11, 2027" in text
    assert (
        "Names of the affected Louisiana residents: Enclosed: the names of the 12 affected "
        "Louisiana residents, sent by secure means and not printed in this draft"
    ) in text
    # For the person drafting, not part of the filing:
    assert "A late notice may be fined up to $5,000 a day." in notice.notes
    assert "fined" not in text


def test_massachusetts_attorney_general_and_ocabr_content() -> None:
    """M.G.L. c. 93H § 3(b) (with § 5 for a HIPAA entity, which still notifies both): nature,
    number of residents, entity name and address, reporter, type of entity, responsible person,
    types of information, whether a WISP exists, steps incl. WISP updates, the § 3A credit
    monitoring certification. No record holds the WISP answers or the certification: the filer
    types them in place of their markers."""
    data = incident({"MA": 40})
    text = make(data, NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="MA2").text
    assert "How to file: OCABR web portal / AG form" in text
    assert "Massachusetts residents affected: 40" in text
    assert "Organisation's name and address: Smith & Sons Health, 100 Main Street, Albany" in text
    assert "Type of entity: HIPAA covered entity (Health care provider)" in text
    assert "Person responsible (if known): Not known" in text
    assert (
        "Types of personal information involved: name, Social Security number and diagnosis" in text
    )
    gaps = missing(data, "MA2", FULL_NOTICE)
    assert set(gaps) == {
        "whether the organisation has a written information security program",
        "the updates made to the written information security program",
        "a certification that credit monitoring is offered as M.G.L. c. 93H § 3A requires",
    }
    assert all(c.startswith("M.G.L. c. 93H §§ 1–6; 201 CMR 17.00") for c in gaps.values())


def test_new_mexico_attorney_general_gets_the_count_and_a_copy_of_the_notice() -> None:
    """NMSA § 57-12C-10: more than 1,000 New Mexicans -> the AG within 45 days of discovery
    (2026-11-02 + 45 = 2026-12-17), with the number notified and a copy of the notice. HIPAA
    entities are exempt (§ 57-12C-8), so the entity here is not one."""
    data = incident({"NM": 1001}, hipaa=False)
    notice = make(data, NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="NM2")
    assert "When: By December 17, 2026" in notice.text
    assert "New Mexico residents notified, and how: 1,001, by mail" in notice.text
    assert "Attachment: copy of the template notice sent to affected New Mexico residents" in (
        notice.text
    )
    assert "Dear [Recipient name]:" in notice.text
    assert missing(data, "NM2", FULL_NOTICE) == {}


def test_puerto_rico_daco_named_without_a_form() -> None:
    """10 L.P.R.A. § 4052: every breach to the Department of Consumer Affairs (DACO) within 10
    days of detection: 2026-11-02 + 10 = 2026-11-12. The data names no form and lists no
    content: the draft sets out the facts on record and requires nothing beyond them."""
    data = incident({"PR": 5}, data_elements=["name", "diagnosis"])
    notice = make(data, NoticeKind.STATE_REGULATOR, FULL_NOTICE, state="PR2")
    text = notice.text
    assert "Department of Consumer Affairs (DACO), Puerto Rico" in text
    assert "How to file: As the Department of Consumer Affairs (DACO) directs" in text
    assert "When: By November 12, 2026" in text
    assert "Facts on record for the form" in text and "Puerto Rico residents affected: 5" in text
    assert any("public announcement of the breach within 24 hours" in n for n in notice.notes)
    assert missing(data, "PR2", None) == {}


def test_arizona_per_the_ag_form_requires_nothing_the_data_does_not_list() -> None:
    """A.R.S. § 18-552: more than 1,000 Arizonans (not a HIPAA entity, which is exempt): the AG
    and the Department of Homeland Security, "per AG form"; 45 days: 2026-12-17."""
    data = incident({"AZ": 1001}, hipaa=False)
    notice = make(data, NoticeKind.STATE_REGULATOR, None, state="AZ2")
    text = notice.text
    assert "How to file: Written; AG online form" in text
    assert "When: By December 17, 2026" in text
    assert any("lists no content for this notice beyond the form's own" in n for n in notice.notes)
    assert missing(data, "AZ2", None) == {}


def test_every_content_item_of_the_data_is_answered_or_noted() -> None:
    """A new or reworded item in states.json fails here until it is mapped."""
    items = {i for _, d in regulator_duties().values() for i in content_items(d)}
    assert items - set(ITEM_ELEMENTS) - set(ITEM_NOTES) == set()
    assert set(ITEM_ELEMENTS) | set(ITEM_NOTES) <= items  # nothing mapped that the data lacks


def test_the_data_copy_is_the_one_the_filings_read() -> None:
    raw = json.loads((REPO_ROOT / "incident_tracker/data/states.json").read_text("utf-8"))
    listed = {
        r["rule_id"]: (r["content"], r["form"])
        for j in raw["jurisdictions"]
        for r in j["regulator_notices"]
    }
    assert {k: (d.content, d.form) for k, (_, d) in regulator_duties().items()} == listed
    assert load_data()["TX"]["regulator_notices"][0]["rule_id"] == "TX2"


@pytest.mark.parametrize("hipaa", [True, False])
def test_no_filing_or_letter_says_provisional(hipaa: bool) -> None:
    """Provisional duties are flagged inside the app, never on what goes to regulators or
    people: every State's regulator notice and the letter, for residents of every State."""
    codes = {j.code for j, _ in regulator_duties().values()}
    data = incident(dict.fromkeys(codes, 2000), hipaa=hipaa)
    texts = [make(data, NoticeKind.INDIVIDUAL, FULL_NOTICE).text]
    texts += [
        make(data, NoticeKind.STATE_REGULATOR, FULL_NOTICE, state=r).text
        for r in regulator_duties()
    ]
    for text in texts:
        assert "provisional" not in text.lower()
        assert "[OPEN]" not in text and "counsel" not in text.lower()
        # nor the data's confidence remarks (DC2's deadline text ends "(unsure)")
        assert "unsure" not in text.lower() and "memory" not in text.lower()
