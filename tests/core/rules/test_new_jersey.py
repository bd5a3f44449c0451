"""New Jersey: N.J.S.A. 56:8-161 and 56:8-163 (docs/law/new-jersey.md; docs/law/rules.md;
docs/law/new-jersey.md, open questions).

No NJ clock counts days (docs/law/conventions.md "No fixed deadline"): every NJ duty has `due`
null. The only
dates asserted are the HIPAA 60-day date shown as `practical_latest` and hold ends, each computed
by hand: "N days after X" = X + N, X is day 0, no weekend roll-forward under HIPAA.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.obligations import Party, Result, Status
from tests.factories import not_owed, owed, run

NJ123 = ("NJ1", "NJ2", "NJ3")
# Mon 2026-08-10 + 60 = Fri 2026-10-09: the HIPAA F1 date for the default NJ incident.
DISCOVERED = "2026-08-10"
F1_DATE = date(2026, 10, 9)


def _nj(**over: Any) -> Result:
    """A HIPAA covered entity: 200 NJ residents' names with SSNs, discovered 2026-08-10."""
    base: dict[str, Any] = {
        "discovered_on": DISCOVERED,
        "breach_occurred_on": "2026-08-03",
        "affected_by_state": {"NJ": 200},
        "data_elements": ["name", "ssn"],
    }
    base.update(over)
    return run(**base)


# --- NJ1 / NJ2: State Police before customers; no fixed date -----------------------------------


def test_56_8_163_c1_state_police_no_date_must_precede_customer_notice() -> None:
    """docs/law/new-jersey.md: "in advance of the disclosure to the customer": due null, ordering
    only."""
    nj1 = owed(_nj(), "NJ1")
    assert nj1.due is None
    assert nj1.status is Status.NO_FIXED_DEADLINE
    assert nj1.must_precede == "NJ customer notice"
    assert nj1.jurisdiction == "NJ"


def test_56_8_163_a_residents_no_date_practical_latest_is_hipaa_60_day_date() -> None:
    """docs/law/conventions.md; docs/law/new-jersey.md: most expedient time (due null); the same
    letter is the HIPAA letter,
    so 2026-08-10 + 60 = Fri 2026-10-09 is the practical latest date."""
    r = _nj()
    assert owed(r, "F1").due == F1_DATE
    nj2 = owed(r, "NJ2")
    assert nj2.due is None
    assert nj2.status is Status.NO_FIXED_DEADLINE
    assert nj2.practical_latest == F1_DATE
    assert nj2.not_before is None


def test_56_8_163_a_non_hipaa_entity_has_no_practical_latest_date() -> None:
    """docs/law/conventions.md: the HIPAA date is shown only when the letter is also a HIPAA
    letter."""
    r = _nj(flags={"hipaa_covered_entity": False})
    not_owed(r, "F1")
    nj2 = owed(r, "NJ2")
    assert nj2.due is None
    assert nj2.practical_latest is None
    assert owed(r, "NJ1").due is None


# --- NJ3: consumer reporting agencies, 56:8-163(f) ----------------------------------------------


def test_56_8_163_f_exactly_1000_nj_residents_no_consumer_reporting_agency_notice() -> None:
    """docs/law/new-jersey.md: "more than 1,000 persons"; 1,000 -> not owed (NJ1/NJ2 still owed)."""
    r = _nj(affected_by_state={"NJ": 1000})
    assert "1,000" in not_owed(r, "NJ3").reason
    owed(r, "NJ1")
    owed(r, "NJ2")


def test_56_8_163_f_1001_nj_residents_consumer_reporting_agencies_owed_without_date() -> None:
    """docs/law/new-jersey.md: 1,001 -> owed, "without unreasonable delay" (due null)."""
    nj3 = owed(_nj(affected_by_state={"NJ": 1001}), "NJ3")
    assert nj3.due is None
    assert nj3.status is Status.NO_FIXED_DEADLINE


def test_56_8_163_f_800_nj_plus_700_pa_not_owed_under_default_nj_residents_reading() -> None:
    """docs/law/new-jersey.md, open questions: default counts NJ residents only (800 <= 1,000);
    everyone notified would
    be 1,500 > 1,000, so the reason must flag the open question."""
    r = _nj(affected_by_state={"NJ": 800, "PA": 700})
    reason = not_owed(r, "NJ3").reason
    assert "open question" in reason
    assert "docs/law/new-jersey.md" in reason
    owed(r, "NJ2")


def test_56_8_163_f_nj_only_count_does_not_mention_the_open_question() -> None:
    """docs/law/new-jersey.md, open questions: with nobody else notified the two readings agree
    (800 everywhere)."""
    reason = not_owed(_nj(affected_by_state={"NJ": 800}), "NJ3").reason
    assert "open question" not in reason


# --- 56:8-161 personal information (docs/law/new-jersey.md)
# ---------------------------------------------


@pytest.mark.parametrize(
    "element",
    ["ssn", "drivers_license", "account_number_with_access_code", "online_credentials"],
)
def test_56_8_161_listed_elements_with_a_name_trigger_nj_notice(element: str) -> None:
    """docs/law/new-jersey.md; the incident JSON format (README.md, Calculator): name + SSN,
    driver's licence/State ID, account number with its access
    code, or online credentials. 1,500 NJ residents, so NJ3 is owed too."""
    r = _nj(affected_by_state={"NJ": 1500}, data_elements=["name", "date_of_birth", element])
    for rule_id in NJ123:
        assert owed(r, rule_id).due is None


@pytest.mark.parametrize(
    "elements",
    [
        ["name", "diagnosis"],
        ["name", "diagnosis_codes", "treatment", "lab_results"],
        ["name", "insurance_member_id"],
        ["name", "health_insurance_id", "claims"],
        ["name", "medical_record_number"],
        ["name", "account_number"],  # no access code
        ["name", "biometric"],  # biometric is not NJ personal information
    ],
)
def test_56_8_161_medical_insurance_and_other_unlisted_data_do_not_trigger_nj(
    elements: list[str],
) -> None:
    """docs/law/new-jersey.md: medical and health-insurance information are not NJ personal
    information.
    The HIPAA duties stay (F1 owed), only NJ1-NJ3 drop out."""
    r = _nj(affected_by_state={"NJ": 1500}, data_elements=elements)
    owed(r, "F1")
    for rule_id in NJ123:
        assert "personal information" in not_owed(r, rule_id).reason


def test_56_8_161_paper_records_do_not_trigger_nj() -> None:
    """docs/law/new-jersey.md: computerized records only, even with SSNs."""
    r = _nj(affected_by_state={"NJ": 1500}, medium="paper")
    for rule_id in NJ123:
        assert "paper" in not_owed(r, rule_id).reason


def test_56_8_161_encrypted_with_key_intact_does_not_trigger_nj() -> None:
    """docs/law/new-jersey.md: not a "breach of security" when the data were encrypted (key
    intact)."""
    r = _nj(affected_by_state={"NJ": 1500}, phi_encrypted=True, encryption_key_compromised=False)
    for rule_id in NJ123:
        assert "encrypted" in not_owed(r, rule_id).reason


def test_56_8_161_encrypted_with_key_compromised_triggers_nj() -> None:
    """docs/law/new-jersey.md: encryption helps only while the key is safe."""
    r = _nj(phi_encrypted=True, encryption_key_compromised=True)
    owed(r, "NJ1")
    owed(r, "NJ2")


@pytest.mark.parametrize("key_compromised", [True, None])
def test_56_8_161_encrypted_data_whose_key_was_taken_or_may_have_been_is_not_secured(
    key_compromised: bool | None,
) -> None:
    """N.J.S.A. 56:8-161 asks whether the data were "secured by encryption or by any other method
    or technology that renders the personal information unreadable or unusable". [OPEN] default
    from the second legal review: encrypted data whose key was also accessed or acquired is not
    secured, as for NY and CA; a key whose fate is unknown is not shown intact either (the
    entity's burden). 1,500 NJ residents' names with SSNs: NJ1, NJ2 and NJ3 are all owed."""
    r = _nj(
        affected_by_state={"NJ": 1500},
        phi_encrypted=True,
        encryption_key_compromised=key_compromised,
    )
    for rule_id in NJ123:
        owed(r, rule_id)


# --- 56:8-163(a) misuse determination -----------------------------------------------------------


def test_56_8_163_a_misuse_not_reasonably_possible_removes_nj1_to_nj3() -> None:
    """docs/law/new-jersey.md: a written determination (kept 5 years) removes customer notice, and
    with
    it the State Police report and the CRA notice (1,500 NJ residents would otherwise owe NJ3)."""
    r = _nj(affected_by_state={"NJ": 1500}, nj_misuse_determination_on="2026-08-20")
    for rule_id in NJ123:
        reason = not_owed(r, rule_id).reason
        assert "2026-08-20" in reason
        assert "misuse" in reason
    owed(r, "F1")  # the NJ determination does not touch HIPAA (docs/law/federal.md)


# --- NJ4: 56:8-163(b) business associate to owner ----------------------------------------------


def test_56_8_163_b_business_associate_tells_owner_immediately_no_date() -> None:
    """docs/law/federal.md; docs/law/new-jersey.md: "immediately following discovery": due null,
    the BA's duty."""
    r = _nj(
        entity_type="business_associate",
        flags={"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": False},
        ce_notified_by_ba_on="2026-08-14",
    )
    nj4 = owed(r, "NJ4")
    assert nj4.due is None
    assert nj4.status is Status.NO_FIXED_DEADLINE
    assert nj4.party is Party.BUSINESS_ASSOCIATE
    assert nj4.standard is not None and "immediately" in nj4.standard


def test_56_8_163_b_not_owed_by_a_covered_entity_that_owns_the_data() -> None:
    assert "owns" in not_owed(_nj(), "NJ4").reason


def test_56_8_163_b_business_associate_without_nj_personal_information_owes_nothing() -> None:
    """docs/law/new-jersey.md: a BA holding only medical data owes no NJ owner notice."""
    r = _nj(
        entity_type="business_associate",
        flags={"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": True},
        data_elements=["name", "diagnosis"],
    )
    assert "personal information" in not_owed(r, "NJ4").reason


# --- 56:8-163(c)(2): law-enforcement hold -------------------------------------------------------


def test_56_8_163_c2_hold_sets_nj2_not_before_hold_end() -> None:
    """docs/law/conventions.md; docs/law/new-jersey.md: written hold from 2026-08-12 to 2026-11-02.
    NJ2 stays undated with
    not_before 2026-11-02; F1 = later of 2026-10-09 (2026-08-10 + 60) and 2026-11-02 =
    2026-11-02, which is the practical latest (docs/law/federal.md, open questions default)."""
    r = _nj(
        law_enforcement_delay={
            "form": "written",
            "statement_date": "2026-08-12",
            "delay_until": "2026-11-02",
        }
    )
    nj2 = owed(r, "NJ2")
    assert nj2.due is None
    assert nj2.not_before == date(2026, 11, 2)
    assert nj2.practical_latest == date(2026, 11, 2)


def test_56_8_163_c2_oral_hold_for_non_hipaa_entity_ends_30_days_after_statement() -> None:
    """the incident JSON format (README.md, Calculator) (oral statement: delay_until = statement
    date + 30, as §1.8): 2026-08-12 +
    30 = 2026-09-11. NJ law itself has no oral/written distinction (56:8-163(c)(2))."""
    r = _nj(
        flags={"hipaa_covered_entity": False},
        law_enforcement_delay={"form": "oral", "statement_date": "2026-08-12"},
    )
    nj2 = owed(r, "NJ2")
    assert nj2.due is None
    assert nj2.not_before == date(2026, 9, 11)
    assert nj2.practical_latest is None
