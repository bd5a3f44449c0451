"""Required contents per notice kind, each test citing the section that requires the element.

Rule: an element the facts and notice details do not supply is reported missing with its
citation; an element that follows from the facts (steps, credit bureaus, agency contacts) is
generated; the exposed data itself never appears (HHS guidance, docs/law/federal.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.notices import (
    NoticeError,
    NoticeKind,
    Recipient,
    draft,
    parse_kind,
    parse_notice,
    parse_organisation,
)
from tests.core.notices.support import ENV, FULL_NOTICE, ORGANISATION, make
from tests.factories import incident

CA_SSN = incident(
    discovered_on="2026-03-09",
    breach_occurred_on="2026-03-01",
    affected_by_state={"CA": 40},
    data_elements=["name", "ssn", "diagnosis"],
)


def _notice(**changes: Any) -> dict[str, Any]:
    return {**FULL_NOTICE, **changes}


def _missing(notice: Any) -> dict[str, str]:
    return {m.element: m.citation for m in notice.missing}


def test_individual_letter_without_what_we_are_doing_is_reported_164_404_c_1_D() -> None:
    """164.404(c)(1)(D): what the entity is doing to investigate, mitigate and protect."""
    notice = make(incident(), NoticeKind.INDIVIDUAL, _notice(what_we_are_doing=None))
    missing = _missing(notice)
    assert list(missing.values()) == ["45 CFR 164.404(c)(1)(D)"]
    assert "investigate the breach, mitigate harm" in next(iter(missing))
    assert "[MISSING: what the organisation is doing" in notice.text


def test_individual_letter_names_data_types_and_dates_164_404_c_1_A_B() -> None:
    notice = make(CA_SSN, NoticeKind.INDIVIDUAL, FULL_NOTICE)
    assert "your name, Social Security number and diagnosis" in notice.text
    assert "The breach occurred on March 1, 2026, and we discovered it on March 9, 2026." in (
        notice.text
    )


def test_unknown_breach_date_is_said_plainly_not_invented_164_404_c_1_A() -> None:
    notice = make(incident(breach_occurred_on=None), NoticeKind.INDIVIDUAL, FULL_NOTICE)
    assert "The date of the breach is not yet known." in notice.text
    assert notice.missing == ()


def test_contact_procedures_are_required_164_404_c_1_E() -> None:
    notice = make(incident(), NoticeKind.INDIVIDUAL, FULL_NOTICE, organisation={"name": "Clinic"})
    assert "45 CFR 164.404(c)(1)(E)" in _missing(notice).values()
    any_one = make(
        incident(),
        NoticeKind.INDIVIDUAL,
        FULL_NOTICE,
        organisation={"name": "Clinic", "email": "privacy@clinic.example"},
    )
    assert any_one.missing == ()


def test_steps_follow_the_data_types_exposed_164_404_c_1_C() -> None:
    diagnosis = make(
        incident(data_elements=["name", "diagnosis"]), NoticeKind.INDIVIDUAL, FULL_NOTICE
    )
    assert "credit" not in diagnosis.text.lower()
    assert "Equifax" not in diagnosis.text
    ssn = make(incident(data_elements=["name", "ssn"]), NoticeKind.INDIVIDUAL, FULL_NOTICE)
    assert "fraud alert or security freeze" in ssn.text
    assert "Identity Protection PIN" in ssn.text
    creds = make(
        incident(data_elements=["name", "online_credentials"]), NoticeKind.INDIVIDUAL, FULL_NOTICE
    )
    assert "Change the password and security questions" in creds.text


@pytest.mark.parametrize(
    ("element", "bureaus"),
    [("ssn", True), ("drivers_license", True), ("passport", False), ("diagnosis", False)],
)
def test_credit_bureau_contacts_when_ssn_or_licence_exposed_1798_82_d_2(
    element: str, bureaus: bool
) -> None:
    notice = make(incident(data_elements=["name", element]), NoticeKind.INDIVIDUAL, FULL_NOTICE)
    assert ("Equifax" in notice.text and "TransUnion" in notice.text) is bureaus


def test_ca_letter_has_the_title_and_five_headings_in_order_1798_82_d_1() -> None:
    notice = make(CA_SSN, NoticeKind.INDIVIDUAL, FULL_NOTICE)
    titles = [b.text for b in notice.blocks if b.kind == "title"]
    headings = [b.text for b in notice.blocks if b.kind == "heading"]
    assert titles == ["Notice of Data Breach"]
    assert headings == [
        "What Happened",
        "What Information Was Involved",
        "What We Are Doing",
        "What You Can Do",
        "For More Information",
    ]
    assert notice.ca_format and notice.missing == ()


def test_ca_ssn_letter_requires_a_12_month_identity_protection_offer_1798_82_d_2() -> None:
    without = make(CA_SSN, NoticeKind.INDIVIDUAL, _notice(identity_protection=None))
    assert any("at least 12 months" in e for e in _missing(without))
    six = make(
        CA_SSN,
        NoticeKind.INDIVIDUAL,
        _notice(identity_protection={**FULL_NOTICE["identity_protection"], "months": 6}),
    )
    assert any("at least 12 months" in e for e in _missing(six))
    no_way_in = {"provider": "IdentityWatch", "months": 12}
    assert _missing(make(CA_SSN, NoticeKind.INDIVIDUAL, _notice(identity_protection=no_way_in)))
    full = make(CA_SSN, NoticeKind.INDIVIDUAL, FULL_NOTICE)
    assert "12 months of identity theft protection services through IdentityWatch" in full.text
    assert "CODE-1234" in full.text and "March 31, 2027" in full.text


def test_no_offer_is_required_without_ca_residents_or_without_ids() -> None:
    ny_ssn = incident(affected_by_state={"NY": 40}, data_elements=["name", "ssn"])
    assert make(ny_ssn, NoticeKind.INDIVIDUAL, _notice(identity_protection=None)).missing == ()
    ca_dx = incident(affected_by_state={"CA": 40}, data_elements=["name", "diagnosis"])
    assert make(ca_dx, NoticeKind.INDIVIDUAL, _notice(identity_protection=None)).missing == ()


def test_ca_letter_needs_its_date_and_states_any_law_enforcement_delay_1798_82_d_2() -> None:
    undated = make(CA_SSN, NoticeKind.INDIVIDUAL, _notice(notice_date=None))
    assert "[MISSING: the date of the notice]" in undated.text
    assert "not delayed by a law enforcement investigation" in undated.text
    held = dict(
        CA_SSN,
        law_enforcement_delay={
            "form": "written",
            "statement_date": "2026-03-10",
            "delay_until": "2026-04-10",
        },
    )
    assert (
        "delayed at the request of law enforcement"
        in make(held, NoticeKind.INDIVIDUAL, FULL_NOTICE).text
    )


def test_ny_letter_lists_state_and_federal_agency_contacts_899_aa_7() -> None:
    notice = make(
        incident(affected_by_state={"NY": 40}, data_elements=["name", "ssn"]),
        NoticeKind.INDIVIDUAL,
        FULL_NOTICE,
    )
    assert "New York Attorney General: 1-800-771-7755" in notice.text
    assert "Federal Trade Commission" in notice.text
    assert (
        "New York Attorney General" not in make(incident(), NoticeKind.INDIVIDUAL, FULL_NOTICE).text
    )


def test_exposed_values_typed_into_a_letter_are_reported_not_printed_silently() -> None:
    """HHS: never put the actual SSN or other exposed data in the notice (docs/law/federal.md)."""
    notice = make(
        incident(),
        NoticeKind.INDIVIDUAL,
        _notice(what_happened="The file listed SSN 123-45-6789 for each patient."),
    )
    assert "no exposed data values in the notice (types only)" in _missing(notice)


def test_substitute_notice_needs_toll_free_number_and_posting_start_164_404_d_2() -> None:
    facts = incident(unreachable_individuals=12, total_affected=100)
    notice = make(
        facts,
        NoticeKind.SUBSTITUTE,
        _notice(notice_date=None),
        organisation={"name": "Clinic", "email": "a@clinic.example"},
    )
    cites = set(_missing(notice).values())
    assert {"45 CFR 164.404(d)(2)(ii)(B)", "45 CFR 164.404(d)(2)(ii)(A)"} <= cites
    started = make(
        dict(facts, substitute_notice_started_on="2026-03-02"), NoticeKind.SUBSTITUTE, FULL_NOTICE
    )
    assert "for 90 days, from March 2, 2026 to May 31, 2026" in started.text
    assert "1-800-555-0100" in started.text and started.missing == ()


def test_media_notice_is_per_state_over_500_164_406() -> None:
    one = incident(affected_by_state={"NY": 501, "PA": 500})
    notice = make(one, NoticeKind.MEDIA, FULL_NOTICE)
    assert "approximately 501 residents of New York" in notice.text
    with pytest.raises(NoticeError, match="--state: NJ, NY"):
        make(incident(affected_by_state={"NY": 600, "NJ": 700}), NoticeKind.MEDIA, FULL_NOTICE)
    with pytest.raises(NoticeError, match="no State has more than 500"):
        make(incident(affected_by_state={"PA": 500}), NoticeKind.MEDIA, FULL_NOTICE)
    chosen = make(
        incident(affected_by_state={"NY": 600, "NJ": 700}),
        NoticeKind.MEDIA,
        FULL_NOTICE,
        state="nj",
    )
    assert "residents of New Jersey" in chosen.text


def test_hhs_worksheet_mirrors_the_portal_questions_1_6_1() -> None:
    notice = make(incident(affected_by_state={"PA": 600}), NoticeKind.HHS, FULL_NOTICE)
    for label in (
        "Breach affecting: 500 or more individuals",
        "Breach end date:",
        "Discovery start date: February 10, 2026",
        "Type of breach: Hacking/IT incident",
        "Location of breached information: E-mail",
        "Type of PHI involved: Demographic and Clinical",
        "Safeguards: Privacy Rule safeguards; Security Rule technical",
        "Media notice required: Yes (PA)",
        "Covered entity type: Health care provider",
    ):
        assert label in notice.text
    bare = make(incident(), NoticeKind.HHS, _notice(breach_type=None, safeguards=[]))
    assert all("docs/law/federal.md" in c for c in _missing(bare).values())
    assert set(_missing(bare)) == {
        "the type of breach",
        "the safeguards in place before the breach",
    }


def test_ba_notice_gives_the_covered_entity_what_its_letter_needs_164_410_c() -> None:
    ba = incident(
        entity_type="business_associate",
        flags={"hipaa_covered_entity": False},
        affected_by_state={"NY": 40},
    )
    notice = make(ba, NoticeKind.BA_TO_CE, FULL_NOTICE)
    assert "identity of each is in the enclosed list" in notice.text
    assert "What we are doing: We reset" in notice.text
    assert any("899-aa(3)" in n for n in notice.notes)
    gaps = make(ba, NoticeKind.BA_TO_CE, _notice(what_happened=None))
    assert _missing(gaps) == {
        "a brief description of what happened": "45 CFR 164.410(c)(2); 45 CFR 164.404(c)(1)(A)"
    }


def test_ny_agencies_notice_gives_timing_distribution_number_and_template_899_aa_8_a() -> None:
    notice = make(incident(affected_by_state={"NY": 6001}), NoticeKind.NY_AGENCIES, FULL_NOTICE)
    text = notice.text
    assert "Timing: December 1, 2026" in text
    assert "Approximate number of affected New York residents: 6,001" in text
    assert "Distribution: Written notice by first-class mail" in text
    assert text.count("Notice of Data Breach") == 1  # the attached template letter
    assert any("899-aa(8)(b)" in n for n in notice.notes)


def test_ny_ag_hipaa_notice_refers_to_the_hhs_report_899_aa_9() -> None:
    facts = incident(
        affected_by_state={"NY": 40},
        notices_sent={"individuals": "2026-03-01", "hhs": "2026-03-02"},
    )
    assert (
        "Notification to the Secretary of HHS: Made on March 2, 2026"
        in make(facts, NoticeKind.NY_AG_HIPAA, FULL_NOTICE).text
    )


def test_ny_determination_needs_its_date_and_basis_899_aa_2_a() -> None:
    facts = incident(affected_by_state={"NY": 600}, ny_harm_determination_on="2026-02-12")
    notice = make(facts, NoticeKind.NY_DETERMINATION, FULL_NOTICE)
    assert "Due to the Attorney General by: February 22, 2026" in notice.text
    undated = make(
        incident(affected_by_state={"NY": 600}),
        NoticeKind.NY_DETERMINATION,
        _notice(determination_basis=None),
    )
    assert set(_missing(undated)) == {
        "the date of the written determination",
        "the basis for determining that the exposure will not likely result in misuse or harm",
    }
    assert all(c == "N.Y. Gen. Bus. Law § 899-aa(2)(a)" for c in _missing(undated).values())


def test_nj_state_police_report_names_nj_personal_information_56_8_163_c_1() -> None:
    facts = incident(affected_by_state={"NJ": 1200}, data_elements=["name", "ssn", "diagnosis"])
    text = make(facts, NoticeKind.NJ_STATE_POLICE, FULL_NOTICE).text
    assert "Personal information under N.J.S.A. 56:8-161: Social Security number" in text
    assert "New Jersey residents affected: 1,200" in text
    assert "before notifying the affected New Jersey residents" in text


def test_ca_ag_sample_carries_no_personal_information_1798_82_f() -> None:
    notice = make(CA_SSN, NoticeKind.CA_AG_SAMPLE, FULL_NOTICE)
    assert "SAMPLE COPY" in notice.text and "[Recipient name]" in notice.text
    assert notice.ca_format and notice.missing == ()


def test_ca_ag_sample_cannot_be_addressed_to_a_person_1798_82_f() -> None:
    with pytest.raises(NoticeError, match="no personal information"):
        draft(
            ENV,
            parse_incident(CA_SSN),
            parse_organisation(ORGANISATION),
            parse_notice(FULL_NOTICE),
            NoticeKind.CA_AG_SAMPLE,
            recipient=Recipient("Ana Diaz"),
        )


def test_cdph_report_needs_times_signature_and_patient_notice_date_79902_a_1() -> None:
    facility = incident(
        entity_type="ca_licensed_health_facility",
        affected_by_state={"CA": 3},
        flags={"ca_licensed_health_facility": True},
    )
    notice = make(
        facility,
        NoticeKind.CDPH_REPORT,
        _notice(breach_time=None, contact_name=None, notice_date=None),
    )
    assert set(_missing(notice)) == {
        "the time of the breach",
        "a contact person's name",
        "the date individual notice was or will be provided",
    }
    assert set(_missing(notice).values()) == {"22 CCR 79902(a)(1)"}
    full = make(facility, NoticeKind.CDPH_REPORT, FULL_NOTICE).text
    assert "Time of the breach: 09:15" in full and "Signed: Pat Lee, Privacy Officer" in full
    assert "names are in the enclosed patient list" in full


def test_ca_patient_letter_is_a_full_letter_1280_15_b_2() -> None:
    facility = incident(
        entity_type="ca_licensed_health_facility",
        affected_by_state={"CA": 3},
        flags={"ca_licensed_health_facility": True},
    )
    notice = make(facility, NoticeKind.CA_PATIENT, FULL_NOTICE)
    assert "California law requires us to tell you" in notice.text
    assert notice.missing == ()


def test_a_notice_not_owed_says_so_in_its_notes() -> None:
    notice = make(incident(), NoticeKind.NJ_STATE_POLICE, FULL_NOTICE)
    assert any("not owed for these facts" in n for n in notice.notes)


def test_unknown_kind_and_missing_organisation_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown notice kind 'letter'; one of: individual"):
        parse_kind("letter")
    with pytest.raises(FactsError, match="organization: required"):
        parse_organisation(None)
    with pytest.raises(FactsError, match=r"organization\.name: is required"):
        parse_organisation({"email": "a@b.example"})
