"""California: Civ. Code 1798.82 (SB 446) and H&S 1280.15 / 22 CCR 79901-79902
(docs/law/california.md,
§7, §8.8-8.11, §8.13).

Every expected date below was counted by hand on a printed calendar (`python3 -c 'import
calendar; print(calendar.month(2026, 3))'`) against the CalHR holiday list of
docs/law/california.md;
business-day counts list each day counted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.jurisdictions.california.business_days import CA_BUSINESS_DAYS
from incident_tracker.core.obligations import Party, Result, Status
from tests.factories import not_owed, owed, run


def ca(**over: Any) -> Result:
    """A HIPAA covered entity's electronic breach of 100 CA residents (name + diagnosis)."""
    over.setdefault("affected_by_state", {"CA": 100})
    return run(**over)


def facility(**over: Any) -> Result:
    """A CDPH-licensed hospital (also a HIPAA CE): 3 CA patients' name + diagnosis, electronic."""
    over.setdefault("entity_type", "ca_licensed_health_facility")
    over.setdefault("affected_by_state", {"CA": 3})
    return run(**over)


# --- CA1: residents, 1798.82(a)(2)(A) -------------------------------------------------------


def test_1798_82_a_2_A_thirty_calendar_days_on_a_weekday_has_no_alt_due() -> None:
    """Discovered Tue 2026-03-10 + 30 days = Thu 2026-04-09 (no holiday): no roll-forward."""
    ca1 = owed(ca(discovered_on="2026-03-10", breach_occurred_on="2026-03-01"), "CA1")
    assert ca1.due == date(2026, 4, 9)
    assert ca1.jurisdiction == "CA"
    assert ca1.status is Status.DATED
    assert ca1.alt_due is None
    assert ca1.alt_due_reason is None


@pytest.mark.parametrize(
    ("discovered", "strict", "rolled"),
    [
        # 2026-01-01 + 30 = Sat 2026-01-31 -> Sun 02-01 -> Mon 2026-02-02 (CCP 12a: Saturday).
        ("2026-01-01", date(2026, 1, 31), date(2026, 2, 2)),
        # 2026-05-01 + 30 = Sun 2026-05-31 -> Mon 2026-06-01.
        ("2026-05-01", date(2026, 5, 31), date(2026, 6, 1)),
        # 2026-03-01 + 30 = Tue 2026-03-31, Cesar Chavez Day -> Wed 2026-04-01.
        ("2026-03-01", date(2026, 3, 31), date(2026, 4, 1)),
        # 2026-10-27 + 30 = Thu 2026-11-26 Thanksgiving -> Fri 11-27 Day after Thanksgiving ->
        # Sat 11-28, Sun 11-29 -> Mon 2026-11-30.
        ("2026-10-27", date(2026, 11, 26), date(2026, 11, 30)),
        # 2026-08-06 + 30 = Sat 2026-09-05 -> Sun 09-06 -> Mon 09-07 Labor Day -> Tue 2026-09-08.
        ("2026-08-06", date(2026, 9, 5), date(2026, 9, 8)),
    ],
)
def test_1798_82_a_2_A_weekend_or_ca_holiday_due_rolls_forward_only_as_alt_due_ccp_12a(
    discovered: str, strict: date, rolled: date
) -> None:
    """docs/law/conventions.md; docs/law/conventions.md, open questions: `due` stays the strict
    date; the CCP 12a day is `alt_due`."""
    ca1 = owed(ca(discovered_on=discovered, breach_occurred_on=discovered), "CA1")
    assert ca1.due == strict
    assert ca1.alt_due == rolled
    assert ca1.alt_due_reason is not None and "12a" in ca1.alt_due_reason


def test_sb_446_transition_discovered_2025_12_31_has_no_fixed_date_rules_8_8() -> None:
    """docs/law/california.md; docs/law/california.md, open questions: discovered the day before SB
    446 -> `due` null, expedient standard;
    alt_due = 2025-12-31 + 30 = Fri 2026-01-30. CA2 (501 residents) has no day count either."""
    result = ca(
        discovered_on="2025-12-31", breach_occurred_on="2025-12-30", affected_by_state={"CA": 501}
    )
    ca1 = owed(result, "CA1")
    assert ca1.due is None
    assert ca1.status is Status.NO_FIXED_DEADLINE
    assert ca1.alt_due == date(2026, 1, 30)
    assert owed(result, "CA2").due is None


def test_1798_82_e_hipaa_covered_entity_owes_ca1_alongside_f1() -> None:
    """1798.82(e) deems only a HIPAA CE's content compliant, not its timing: CA1 on
    2026-03-10 + 30 = 2026-04-09 and F1 on 2026-03-10 + 60 = Sat 2026-05-09 are both owed."""
    result = ca(discovered_on="2026-03-10", breach_occurred_on="2026-03-01")
    assert owed(result, "CA1").due == date(2026, 4, 9)
    assert owed(result, "F1").due == date(2026, 5, 9)


def _ba(**over: Any) -> Result:
    over.setdefault("affected_by_state", {"CA": 100})
    return run(
        entity_type="business_associate",
        flags={"hipaa_covered_entity": False, **over.pop("flags", {})},
        discovered_on="2026-03-02",
        breach_occurred_on="2026-02-27",
        **over,
    )


def test_1798_82_a_2_A_independent_contractor_ba_clock_runs_from_notification_to_ce() -> None:
    """docs/law/california.md; docs/law/federal.md: "discovery or notification": the BA
    (independent contractor)
    discovered 2026-03-02 and told the CE 2026-03-16; CA1 = 2026-03-16 + 30 = Wed 2026-04-15."""
    result = _ba(
        flags={"business_associate_is_agent_of_ce": False}, ce_notified_by_ba_on="2026-03-16"
    )
    ca1 = owed(result, "CA1")
    assert ca1.due == date(2026, 4, 15)
    assert ca1.alt_due is None
    assert ca1.party is Party.COVERED_ENTITY


def test_1798_82_a_2_A_agent_ba_discovery_is_imputed_to_the_covered_entity() -> None:
    """docs/law/federal.md: BA is the CE's agent: CA1 = BA discovery 2026-03-02 + 30 = Wed
    2026-04-01,
    even though the CE was told on 2026-03-16."""
    result = _ba(
        flags={"business_associate_is_agent_of_ce": True}, ce_notified_by_ba_on="2026-03-16"
    )
    assert owed(result, "CA1").due == date(2026, 4, 1)


def test_1798_82_g_view_only_access_is_not_acquisition_rules_8_11() -> None:
    result = ca(acquired=False)
    assert "acquisition" in not_owed(result, "CA1").reason
    not_owed(result, "CA2")


def test_1798_82_paper_records_are_not_computerized_data() -> None:
    result = ca(medium="paper")
    assert "paper" in not_owed(result, "CA1").reason


def test_1798_82_encrypted_with_key_intact_is_not_a_breach() -> None:
    not_owed(ca(phi_encrypted=True, encryption_key_compromised=False), "CA1")


def test_1798_82_encrypted_with_key_compromised_is_a_breach() -> None:
    """Key taken with the data: 2026-02-10 + 30 = Thu 2026-03-12."""
    ca1 = owed(ca(phi_encrypted=True, encryption_key_compromised=True), "CA1")
    assert ca1.due == date(2026, 3, 12)


def test_1798_82_has_no_risk_of_harm_exception_low_probability_keeps_ca1() -> None:
    """docs/law/federal.md; docs/law/california.md: a documented HIPAA low probability removes F1
    but not CA1;
    2026-02-10 + 30 = Thu 2026-03-12."""
    result = ca(risk_assessment="low_probability_documented")
    not_owed(result, "F1")
    assert owed(result, "CA1").due == date(2026, 3, 12)


@pytest.mark.parametrize(
    "elements",
    [
        ["name", "lab_results"],  # medical information
        ["name", "medications"],  # medical information
        ["name", "health_insurance_id"],  # health insurance information
        ["name", "claims"],  # health insurance information (claims history)
    ],
)
def test_1798_82_h_medical_and_health_insurance_information_are_personal_information(
    elements: list[str],
) -> None:
    """2026-02-10 + 30 = Thu 2026-03-12."""
    assert owed(ca(data_elements=elements), "CA1").due == date(2026, 3, 12)


def test_1798_82_h_name_with_medical_record_number_only_is_not_personal_information() -> None:
    """the incident JSON format (README.md, Calculator) table: medical_record_number is not a CA
    personal-information element."""
    not_owed(ca(data_elements=["name", "medical_record_number"]), "CA1")


def test_1798_82_no_california_residents_owes_no_ca1() -> None:
    result = ca(affected_by_state={"PA": 100})
    not_owed(result, "CA1")
    not_owed(result, "CA2")


# --- CA2: AG sample copy, 1798.82(f) --------------------------------------------------------


def test_1798_82_f_exactly_500_ca_residents_is_not_more_than_500() -> None:
    result = ca(affected_by_state={"CA": 500}, discovered_on="2026-03-10")
    owed(result, "CA1")
    assert "500" in not_owed(result, "CA2").reason


def test_1798_82_f_counts_ca_residents_only_not_the_total() -> None:
    """400 CA + 1,000 NY = 1,400 notified, but only 400 CA residents: no AG sample copy."""
    not_owed(ca(affected_by_state={"CA": 400, "NY": 1000}), "CA2")


def test_1798_82_f_501_unsent_is_due_15_days_after_the_ca1_due_date() -> None:
    """docs/law/conventions.md "with notice": CA1 = 2026-03-10 + 30 = 2026-04-09; CA2 = 2026-04-09
    + 15 =
    Fri 2026-04-24, waiting for CA1."""
    ca2 = owed(ca(affected_by_state={"CA": 501}, discovered_on="2026-03-10"), "CA2")
    assert ca2.due == date(2026, 4, 24)
    assert ca2.status is Status.WAITING
    assert ca2.waiting_for == "CA1"
    assert ca2.alt_due is None


def test_1798_82_f_unsent_anchors_on_the_strict_ca1_date_not_its_roll_forward() -> None:
    """CA1 = 2026-05-01 + 30 = Sun 2026-05-31 (alt Mon 06-01); CA2 = 05-31 + 15 = Mon
    2026-06-15."""
    ca2 = owed(ca(affected_by_state={"CA": 501}, discovered_on="2026-05-01"), "CA2")
    assert ca2.due == date(2026, 6, 15)
    assert ca2.alt_due is None


def test_1798_82_f_counts_from_the_individual_notice_sent_date() -> None:
    """Letters sent Wed 2026-03-25: CA2 = 03-25 + 15 = Thu 2026-04-09; old limit
    (CA1 2026-04-09 + 15 = 2026-04-24) becomes `outer_limit` (docs/law/conventions.md)."""
    result = ca(
        affected_by_state={"CA": 501},
        discovered_on="2026-03-10",
        notices_sent={"individuals": "2026-03-25", "hhs": None},
    )
    ca2 = owed(result, "CA2")
    assert ca2.due == date(2026, 4, 9)
    assert ca2.status is Status.DATED
    assert ca2.outer_limit == date(2026, 4, 24)
    assert ca2.alt_due is None


def test_1798_82_f_saturday_due_from_ca_resident_notice_rolls_to_monday_as_alt_due() -> None:
    """CA letters sent Fri 2026-04-03: 04-03 + 15 = Sat 2026-04-18 -> Sun 04-19 -> Mon
    2026-04-20 (CCP 12a)."""
    result = ca(
        affected_by_state={"CA": 501},
        discovered_on="2026-03-10",
        notices_sent={"individuals": None, "hhs": None, "ca_residents": "2026-04-03"},
    )
    ca2 = owed(result, "CA2")
    assert ca2.due == date(2026, 4, 18)
    assert ca2.alt_due == date(2026, 4, 20)


# --- CA3: owner notice, 1798.82(b) ----------------------------------------------------------


def test_1798_82_b_business_associate_notifies_owner_immediately_no_date() -> None:
    ca3 = owed(
        _ba(flags={"business_associate_is_agent_of_ce": False}, ce_notified_by_ba_on="2026-03-05"),
        "CA3",
    )
    assert ca3.due is None
    assert ca3.status is Status.NO_FIXED_DEADLINE
    assert ca3.party is Party.BUSINESS_ASSOCIATE


def test_1798_82_b_not_owed_by_a_covered_entity_that_owns_the_data() -> None:
    not_owed(ca(), "CA3")


# --- CA4 / CA5: H&S 1280.15, 22 CCR 79901-79902 ---------------------------------------------


@pytest.mark.parametrize(
    ("detected", "due"),
    [
        # Fri 2026-03-20: Mar 23 24 25 26 27 (5), 30 (6), [31 Cesar Chavez], Apr 1 2 3 (9),
        # Apr 6 7 8 9 10 (14), Apr 13 (15) -> Mon 2026-04-13.
        ("2026-03-20", date(2026, 4, 13)),
        # Mon 2026-11-02: Nov 3 4 5 6 (4), 9 10 (6), [11 Veterans Day], 12 13 (8),
        # 16 17 18 19 20 (13), 23 24 (15) -> Tue 2026-11-24.
        ("2026-11-02", date(2026, 11, 24)),
        # Fri 2026-12-18: Dec 21 22 23 24 (4), [25 Christmas], 28 29 30 31 (8),
        # [2027-01-01 New Year], Jan 4 5 6 7 8 (13), 11 12 (15) -> Tue 2027-01-12.
        ("2026-12-18", date(2027, 1, 12)),
    ],
)
def test_1280_15_b_fifteen_ca_business_days_after_detection(detected: str, due: date) -> None:
    result = facility(discovered_on=detected, breach_occurred_on=detected)
    for rule_id in ("CA4", "CA5"):
        found = owed(result, rule_id)
        assert found.due == due, rule_id
        assert found.alt_due is None, rule_id
        assert found.calendar == CA_BUSINESS_DAYS.label()


def test_1280_15_paper_records_trigger_cdph_but_not_1798_82() -> None:
    """Paper is in scope for 1280.15 (docs/law/california.md). Detected Tue 2026-11-10:
    [11 Veterans Day], Nov 12 13 (2), 16-20 (7), 23 24 25 (10), [26 Thanksgiving, 27 Day after
    Thanksgiving, 28-29 weekend], Nov 30 (11), Dec 1 2 3 4 (15) -> Fri 2026-12-04."""
    result = facility(medium="paper", discovered_on="2026-11-10", breach_occurred_on="2026-11-09")
    assert owed(result, "CA4").due == date(2026, 12, 4)
    assert owed(result, "CA5").due == date(2026, 12, 4)
    not_owed(result, "CA1")


def test_1280_15_licensed_facility_flag_on_a_covered_entity_also_triggers() -> None:
    """flags.ca_licensed_health_facility with entity_type covered_entity: default detection
    Tue 2026-02-10: Feb 11 12 13 (3), [16 Presidents' Day], 17 18 19 20 (7), 23-27 (12),
    Mar 2 3 4 (15) -> Wed 2026-03-04."""
    result = run(affected_by_state={"CA": 3}, flags={"ca_licensed_health_facility": True})
    assert owed(result, "CA4").due == date(2026, 3, 4)


def test_1280_15_patients_need_not_be_california_residents() -> None:
    """docs/law/california.md: no resident threshold, one patient is enough; 2 NV patients: CA4 owed
    (2026-03-04, as above), CA1 not (no CA residents)."""
    result = facility(affected_by_state={"NV": 2})
    assert owed(result, "CA4").due == date(2026, 3, 4)
    not_owed(result, "CA1")


@pytest.mark.parametrize("letter", ["A", "B", "C", "D", "E", "F"])
def test_22_ccr_79901_b_1_each_exclusion_letter_removes_ca4_and_ca5(letter: str) -> None:
    result = facility(cdph_exclusion=letter)
    assert f"({letter})" in not_owed(result, "CA4").reason
    assert f"({letter})" in not_owed(result, "CA5").reason


def test_22_ccr_79901_b_1_E_encrypted_with_key_intact_removes_ca4_and_ca5() -> None:
    result = facility(phi_encrypted=True, encryption_key_compromised=False)
    assert "(E)" in not_owed(result, "CA4").reason
    assert "(E)" in not_owed(result, "CA5").reason


def test_22_ccr_79901_b_1_F_documented_low_probability_removes_ca4_and_ca5() -> None:
    """(F) removes the CDPH duties, while 1798.82 (no risk-of-harm exception) still binds:
    CA1 = 2026-02-10 + 30 = 2026-03-12."""
    result = facility(risk_assessment="low_probability_documented")
    assert "(F)" in not_owed(result, "CA4").reason
    assert "(F)" in not_owed(result, "CA5").reason
    assert owed(result, "CA1").due == date(2026, 3, 12)


def test_1280_15_no_medical_information_is_not_a_cdph_breach() -> None:
    """name + SSN is CA personal information (CA1 owed) but not Civ. Code 56.05 medical info."""
    result = facility(data_elements=["name", "ssn"])
    not_owed(result, "CA4")
    not_owed(result, "CA5")
    owed(result, "CA1")


def test_22_ccr_79902_a_business_associate_is_excluded() -> None:
    result = run(
        entity_type="business_associate",
        affected_by_state={"CA": 3},
        flags={"hipaa_covered_entity": False, "ca_licensed_health_facility": True},
    )
    assert "79902(a)" in not_owed(result, "CA4").reason
    not_owed(result, "CA5")


def test_1280_15_c_written_hold_moves_only_the_patient_report() -> None:
    """Detected Fri 2026-03-20: CA4 = Mon 2026-04-13 (counted above), not delayed.
    Written hold to Fri 2026-05-01: CA5 = May 4-8 (5), 11-15 (10), 18 19 20 21 22 (15)
    -> Fri 2026-05-22 (Memorial Day is 05-25, after)."""
    result = facility(
        discovered_on="2026-03-20",
        breach_occurred_on="2026-03-19",
        law_enforcement_delay={
            "form": "written",
            "statement_date": "2026-03-23",
            "delay_until": "2026-05-01",
        },
    )
    assert owed(result, "CA4").due == date(2026, 4, 13)
    assert owed(result, "CA5").due == date(2026, 5, 22)


def test_1280_15_c_oral_hold_lasts_at_most_30_days() -> None:
    """Oral statement Mon 2026-03-23 with no written follow-up: hold ends 03-23 + 30 =
    Wed 2026-04-22. CA5 = Apr 23 24 (2), 27-May 1 (7), 4-8 (12), 11 12 13 (15) -> Wed
    2026-05-13. CA4 stays Mon 2026-04-13."""
    result = facility(
        discovered_on="2026-03-20",
        breach_occurred_on="2026-03-19",
        law_enforcement_delay={"form": "oral", "statement_date": "2026-03-23"},
    )
    assert owed(result, "CA4").due == date(2026, 4, 13)
    assert owed(result, "CA5").due == date(2026, 5, 13)


@pytest.mark.parametrize(
    ("detected", "due", "alt", "names"),
    [
        # Thu 2026-09-10: Sep 11 (1), 14-18 (6), 21 22 23 24 25 (11), 28 29 30 Oct 1 (15)
        # -> Thu 2026-10-01. Native American Day (4th Fri Sep = 09-25) off: 21-24 (10),
        # 28 29 30 Oct 1 (14), Oct 2 (15) -> Fri 2026-10-02.
        ("2026-09-10", date(2026, 10, 1), date(2026, 10, 2), ["Native American Day"]),
        # Thu 2026-10-01: Oct 2 (1), 5-9 (6), 12-16 (11), 19 20 21 22 (15) -> Thu 10-22.
        # Columbus Day (2nd Mon Oct = 10-12) off: 13-16 (10), 19-23 (15) -> Fri 2026-10-23.
        ("2026-10-01", date(2026, 10, 22), date(2026, 10, 23), ["Columbus Day"]),
        # Mon 2026-09-21: 22-25 (4), 28-Oct 2 (9), 5-9 (14), 12 (15) -> Mon 10-12.
        # Both off: 22 23 24 (3), 28-Oct 2 (8), 5-9 (13), 13 14 (15) -> Wed 2026-10-14.
        (
            "2026-09-21",
            date(2026, 10, 12),
            date(2026, 10, 14),
            ["Native American Day", "Columbus Day"],
        ),
        # Tue 2026-02-10: Feb 11 12 13 (3), [16], 17-20 (7), 23-27 (12), Mar 2 3 4 (15)
        # -> Wed 03-04. Lincoln Day (Thu 02-12) and Lunar New Year (Tue 02-17) off:
        # 11 13 (2), 18 19 20 (5), 23-27 (10), Mar 2-6 (15) -> Fri 2026-03-06.
        ("2026-02-10", date(2026, 3, 4), date(2026, 3, 6), ["Lincoln Day", "Lunar New Year"]),
    ],
)
def test_rules_8_10_gov_code_6700_days_as_holidays_give_alt_due(
    detected: str, due: date, alt: date, names: list[str]
) -> None:
    result = facility(discovered_on=detected, breach_occurred_on=detected)
    for rule_id in ("CA4", "CA5"):
        found = owed(result, rule_id)
        assert found.due == due, rule_id
        assert found.alt_due == alt, rule_id
        assert found.alt_due_reason is not None
        for name in names:
            assert name in found.alt_due_reason, (rule_id, name)
