"""The 13 certified jurisdictions, worked by hand from their statutes (as summarised in the
project's states.json). Discovery is Mon 2026-03-02 unless a test says otherwise; every date is
"anchor + N days" with the day of the anchor as day 0, worked out in the comment beside it.
The HIPAA letter (45 CFR 164.404(b)) is due 2026-03-02 + 60 = 2026-05-01.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.obligations import Party, Result, Status
from tests.factories import not_owed, owed, run

DISCOVERED = "2026-03-02"
PHI_ONLY = ["name", "diagnosis", "insurance_member_id"]
WITH_SSN = ["name", "diagnosis", "ssn"]
NOT_HIPAA: dict[str, Any] = {"flags": {"hipaa_covered_entity": False}}
BA: dict[str, Any] = {
    "entity_type": "business_associate",
    "flags": {"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": False},
}


def case(residents: dict[str, int], elements: list[str] | None = None, **over: Any) -> Result:
    facts = {
        "discovered_on": DISCOVERED,
        "breach_occurred_on": "2026-02-27",
        "affected_by_state": residents,
        "data_elements": elements or WITH_SSN,
        "acquired": True,
    }
    return run(**{**facts, **over})


def settled(result: Result, rule_id: str) -> None:
    """A certified duty carries no provisional flag in its JSON."""
    item = owed(result, rule_id).to_json()
    assert "provisional" not in item and "open_points" not in item


# -- Texas: Tex. Bus. & Com. Code §§ 521.002, 521.053 ---------------------------------------------


def test_tx_phi_only_breach_owes_residents_and_the_ag_at_250() -> None:
    """§ 521.002(a)(2)(B): health information is sensitive personal information; § 521.053(b):
    60 days; (i): AG if at least 250 Texans, 30 days; no HIPAA exemption."""
    r = case({"TX": 250}, PHI_ONLY)
    tx1, tx2 = owed(r, "TX1"), owed(r, "TX2")
    assert tx1.due == date(2026, 5, 1)  # 2026-03-02 + 60 = 2026-05-01
    assert tx2.due == date(2026, 4, 1)  # 2026-03-02 + 30 = 2026-04-01
    assert tx1.jurisdiction == "TX" and tx1.alt_due is None
    settled(r, "TX1")
    settled(r, "TX2")
    assert "at least 250" in not_owed(case({"TX": 249}, PHI_ONLY), "TX2").reason


@pytest.mark.parametrize(("count", "owes"), [(10_000, False), (10_001, True)])
def test_tx_consumer_reporting_agencies_above_10000(count: int, owes: bool) -> None:
    """§ 521.053(h): more than 10,000 persons at one time."""
    r = case({"TX": count})
    if owes:
        assert owed(r, "TX3").due is None
    else:
        assert "more than 10,000" in not_owed(r, "TX3").reason


def test_tx_determination_later_than_discovery_is_the_alternative() -> None:
    """Determined Tue 2026-03-10: 2026-03-10 + 30 = 2026-04-09 (AG); 2026-03-10 + 60 = Sat
    2026-05-09, which Tex. Gov't Code 311.014(b) would roll to Mon 2026-05-11 ([OPEN])."""
    r = case({"TX": 300}, determined_on="2026-03-10")
    tx1, tx2 = owed(r, "TX1"), owed(r, "TX2")
    assert (tx2.due, tx2.alt_due) == (date(2026, 4, 1), date(2026, 4, 9))
    assert (tx1.due, tx1.alt_due) == (date(2026, 5, 1), date(2026, 5, 11))
    assert tx1.alt_due_reason and "311.014(b)" in tx1.alt_due_reason


def test_tx_sunday_due_date_rolls_forward_only_as_alternative() -> None:
    """Discovered Fri 2026-02-06: 2026-02-06 + 30 = Sun 2026-03-08 -> alt Mon 2026-03-09;
    2026-02-06 + 60 = Tue 2026-04-07 (no roll)."""
    r = case({"TX": 300}, discovered_on="2026-02-06", breach_occurred_on="2026-02-01")
    tx2 = owed(r, "TX2")
    assert (tx2.due, tx2.alt_due) == (date(2026, 3, 8), date(2026, 3, 9))
    assert (owed(r, "TX1").due, owed(r, "TX1").alt_due) == (date(2026, 4, 7), None)


def test_tx_vendor_notice_is_provisional_for_its_law_enforcement_field_only_under_a_hold() -> None:
    """TX4 (§ 521.053(c)): immediately; vendor field two charts agree, so settled. A hold makes
    TX1 depend on the law-enforcement field (one chart only): provisional, no fixed date."""
    r = case({"TX": 300}, **BA)
    assert owed(r, "TX4").due is None and owed(r, "TX4").party == Party.BUSINESS_ASSOCIATE
    settled(r, "TX4")
    held = case(
        {"TX": 300},
        law_enforcement_delay={
            "form": "written",
            "statement_date": "2026-03-05",
            "delay_until": "2026-06-01",
        },
    )
    tx1 = owed(held, "TX1")
    assert tx1.due is None and tx1.not_before == date(2026, 6, 1)
    assert tx1.provisional and tx1.open_points == ("law_enforcement_delay: one chart only",)
    assert owed(held, "TX2").due == date(2026, 4, 1)  # the AG notice is not delayed


# -- Alabama: Ala. Code §§ 8-38-5, 8-38-6, 8-38-8 ------------------------------------------------


def test_al_hipaa_letter_serves_residents_and_the_ag_is_owed_above_1000() -> None:
    """§ 8-38-5: 45 days; HIPAA notice deemed compliant for residents; § 8-38-6: AG if more
    than 1,000 Alabamians, 45 days: 2026-03-02 + 45 = 2026-04-16."""
    r = case({"AL": 1_001}, PHI_ONLY)
    assert owed(r, "AL1").due == date(2026, 5, 1)  # the HIPAA date
    assert owed(r, "AL2").due == date(2026, 4, 16)
    assert owed(r, "AL3").due is None  # § 8-38-8 CRAs, without unreasonable delay
    below = case({"AL": 1_000}, PHI_ONLY)
    assert "more than 1,000" in not_owed(below, "AL2").reason
    assert "more than 1,000" in not_owed(below, "AL3").reason


def test_al_paper_records_are_outside_the_act() -> None:
    assert "paper" in not_owed(case({"AL": 5}, medium="paper"), "AL1").reason


def test_al_vendor_notice_10_days_is_provisional() -> None:
    """§ 8-38-8: a third-party agent notifies within 10 days: 2026-03-02 + 10 = 2026-03-12; its
    vendor field rests on one chart, so the duty is provisional."""
    al4 = owed(case({"AL": 5}, **BA), "AL4")
    assert al4.due == date(2026, 3, 12) and al4.provisional
    assert al4.open_points == ("vendor_to_owner: one chart only",)


# -- Arizona: A.R.S. §§ 18-551, 18-552 ------------------------------------------------------------


def test_az_hipaa_entities_are_exempt() -> None:
    """§ 18-552(J): a HIPAA covered entity or business associate complying with HIPAA is exempt."""
    r = case({"AZ": 5_000}, PHI_ONLY)
    for rule_id in ("AZ1", "AZ2", "AZ3"):
        assert "HIPAA-exempt" in not_owed(r, rule_id).reason
    assert "HIPAA-exempt" in not_owed(case({"AZ": 5}, **BA), "AZ4").reason


@pytest.mark.parametrize(("count", "owes"), [(1_000, False), (1_001, True)])
def test_az_non_hipaa_entity_45_days_and_ag_above_1000(count: int, owes: bool) -> None:
    """§ 18-552(B): 45 days after determination: 2026-03-02 + 45 = 2026-04-16; determined
    2026-03-10: 2026-03-10 + 45 = 2026-04-24 (alt)."""
    r = case({"AZ": count}, PHI_ONLY, determined_on="2026-03-10", **NOT_HIPAA)
    az1 = owed(r, "AZ1")
    assert (az1.due, az1.alt_due) == (date(2026, 4, 16), date(2026, 4, 24))
    if owes:
        assert owed(r, "AZ2").due == date(2026, 4, 16)
        assert owed(r, "AZ3").due == date(2026, 4, 16)
    else:
        not_owed(r, "AZ2")
        not_owed(r, "AZ3")


# -- Delaware: 6 Del. C. §§ 12B-101, 12B-102, 12B-104 ----------------------------------------------


def test_de_hipaa_entity_deemed_compliant() -> None:
    assert "deemed compliant" in not_owed(case({"DE": 600}, PHI_ONLY), "DE1").reason


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_de_non_hipaa_60_days_and_ag_above_500_with_the_residents(count: int, owes: bool) -> None:
    """§ 12B-102(c): 60 days: 2026-03-02 + 60 = 2026-05-01; (d): AG if more than 500, no later
    than the resident notice."""
    r = case({"DE": count}, PHI_ONLY, **NOT_HIPAA)
    assert owed(r, "DE1").due == date(2026, 5, 1)
    if owes:
        de2 = owed(r, "DE2")
        assert (de2.due, de2.status) == (date(2026, 5, 1), Status.WAITING)
    else:
        not_owed(r, "DE2")


# -- Georgia: O.C.G.A. §§ 10-1-911, 10-1-912 -------------------------------------------------------


def test_ga_binds_only_information_brokers_and_government_collectors() -> None:
    assert "information brokers" in not_owed(case({"GA": 20_000}), "GA1").reason


@pytest.mark.parametrize(("count", "owes"), [(10_000, False), (10_001, True)])
def test_ga_information_broker_ssn_breach_and_cras_above_10000(count: int, owes: bool) -> None:
    r = case({"GA": count}, flags={"information_broker": True})
    assert owed(r, "GA1").due is None
    settled(r, "GA1")
    if owes:
        owed(r, "GA2")
    else:
        assert "more than 10,000" in not_owed(r, "GA2").reason


def test_ga_phi_only_breach_is_not_personal_information() -> None:
    r = case({"GA": 50}, PHI_ONLY, flags={"government_entity": True})
    assert "does not cover these data" in not_owed(r, "GA1").reason


# -- Iowa: Iowa Code §§ 715C.1, 715C.2 -------------------------------------------------------------


def test_ia_hipaa_entity_exempt_and_phi_only_not_covered() -> None:
    assert "HIPAA-exempt" in not_owed(case({"IA": 600}), "IA1").reason
    r = case({"IA": 600}, PHI_ONLY, **NOT_HIPAA)
    assert "medical and health-insurance data alone" in not_owed(r, "IA1").reason


@pytest.mark.parametrize(("count", "owes"), [(500, False), (501, True)])
def test_ia_director_5_business_days_after_the_consumer_notice(count: int, owes: bool) -> None:
    """§ 715C.2(8): more than 500 Iowans: 5 business days after notice to any consumer; letters
    sent Fri 2026-03-20: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27 -> 2026-03-27."""
    r = case({"IA": count}, notices_sent={"individuals": "2026-03-20"}, **NOT_HIPAA)
    assert owed(r, "IA1").due is None
    if owes:
        assert owed(r, "IA2").due == date(2026, 3, 27)
    else:
        not_owed(r, "IA2")


# -- Kansas: K.S.A. §§ 50-7a01, 50-7a02 ------------------------------------------------------------


def test_ks_deemed_compliant_and_phi_only_not_covered() -> None:
    assert "deemed compliant" in not_owed(case({"KS": 2_000}), "KS1").reason
    assert "does not cover" in not_owed(case({"KS": 5}, PHI_ONLY, **NOT_HIPAA), "KS1").reason


@pytest.mark.parametrize(("count", "owes"), [(1_000, False), (1_001, True)])
def test_ks_cras_above_1000(count: int, owes: bool) -> None:
    r = case({"KS": count}, **NOT_HIPAA)
    assert owed(r, "KS1").due is None
    if owes:
        owed(r, "KS2")
    else:
        not_owed(r, "KS2")


# -- Louisiana: La. R.S. 51:3073, 51:3074; LAC 16:III.701 ------------------------------------------


def test_la_60_days_and_ag_10_days_after_the_letters() -> None:
    """51:3074(E): 60 days: 2026-03-02 + 60 = 2026-05-01; LAC 16:III.701: AG within 10 days of
    distribution: until sent, 2026-05-01 + 10 = 2026-05-11; sent 2026-04-01 + 10 = 2026-04-11."""
    r = case({"LA": 3})
    assert owed(r, "LA1").due == date(2026, 5, 1)
    la2 = owed(r, "LA2")
    assert (la2.due, la2.status) == (date(2026, 5, 11), Status.WAITING)
    sent = case({"LA": 3}, notices_sent={"individuals": "2026-04-01"})
    assert (owed(sent, "LA2").due, owed(sent, "LA2").status) == (date(2026, 4, 11), Status.DATED)
    assert "does not cover" in not_owed(case({"LA": 3}, PHI_ONLY), "LA1").reason


def test_la_vendor_60_days() -> None:
    """51:3074(D): 2026-03-02 + 60 = 2026-05-01 (vendor field unsure: provisional)."""
    la3 = owed(case({"LA": 3}, **BA), "LA3")
    assert la3.due == date(2026, 5, 1) and la3.provisional


# -- Massachusetts: M.G.L. c. 93H §§ 3, 5 ----------------------------------------------------------


def test_ma_hipaa_letter_serves_and_ag_ocabr_still_notified() -> None:
    r = case({"MA": 2})
    assert owed(r, "MA1").due == date(2026, 5, 1)
    ma2 = owed(r, "MA2")
    assert ma2.due is None and ma2.status is Status.NO_FIXED_DEADLINE
    assert "does not cover" in not_owed(case({"MA": 2}, PHI_ONLY), "MA1").reason


def test_ma_own_letter_carries_the_content_prohibitions_and_paper_counts() -> None:
    """§ 3(b): the letter must not state the nature of the breach or the number affected."""
    r = case({"MA": 2}, medium="paper", **NOT_HIPAA)
    ma1 = owed(r, "MA1")
    assert ma1.due is None and "must not state the nature of the breach" in ma1.reason


# -- North Dakota: N.D. Cent. Code §§ 51-30-01, 51-30-02 -------------------------------------------


def test_nd_full_deemer() -> None:
    assert "deemed compliant" in not_owed(case({"ND": 300}, PHI_ONLY), "ND2").reason


@pytest.mark.parametrize(("count", "owes"), [(250, False), (251, True)])
def test_nd_ag_counts_every_affected_individual_above_250(count: int, owes: bool) -> None:
    """§ 51-30-02: AG if more than 250 'individuals' (no residence: every affected individual)."""
    r = case({"ND": 10, "MT": count - 10}, PHI_ONLY, **NOT_HIPAA)
    assert owed(r, "ND1").due is None
    if owes:
        assert "[OPEN]" in owed(r, "ND2").reason
    else:
        not_owed(r, "ND2")


# -- New Mexico: NMSA §§ 57-12C-2, 57-12C-6, 57-12C-9, 57-12C-10 -----------------------------------


def test_nm_exempt_for_hipaa_and_phi_only_not_covered() -> None:
    assert "HIPAA-exempt" in not_owed(case({"NM": 2_000}), "NM1").reason
    assert "does not cover" in not_owed(case({"NM": 5}, PHI_ONLY, **NOT_HIPAA), "NM1").reason


@pytest.mark.parametrize(("count", "owes"), [(1_000, False), (1_001, True)])
def test_nm_45_days_ag_and_cras_above_1000(count: int, owes: bool) -> None:
    """§ 57-12C-6: 45 days: 2026-03-02 + 45 = 2026-04-16; § 57-12C-10: AG and CRAs."""
    r = case({"NM": count}, **NOT_HIPAA)
    assert owed(r, "NM1").due == date(2026, 4, 16)
    for rule_id in ("NM2", "NM3"):
        if owes:
            assert owed(r, rule_id).due == date(2026, 4, 16)
        else:
            not_owed(r, rule_id)


def test_nm_after_a_hold_45_days_from_its_end() -> None:
    """Hold to 2026-05-01: 2026-05-01 + 45 = 2026-06-15; the law-enforcement field is unsure."""
    r = case(
        {"NM": 5},
        law_enforcement_delay={
            "form": "written",
            "statement_date": "2026-03-04",
            "delay_until": "2026-05-01",
        },
        **NOT_HIPAA,
    )
    nm1 = owed(r, "NM1")
    assert nm1.due == date(2026, 6, 15) and nm1.provisional


# -- Puerto Rico: 10 L.P.R.A. §§ 4051-4052 ---------------------------------------------------------


def test_pr_daco_10_days_after_detection_even_under_a_hold() -> None:
    """§ 4052: DACO within 10 days of detection: 2026-03-02 + 10 = 2026-03-12, non-extendable;
    residents as expeditiously as possible (HIPAA date the practical latest)."""
    r = case({"PR": 1}, PHI_ONLY)
    pr1, pr2 = owed(r, "PR1"), owed(r, "PR2")
    assert (pr1.due, pr1.practical_latest) == (None, date(2026, 5, 1))
    assert pr2.due == date(2026, 3, 12)
    settled(r, "PR2")
    held = case(
        {"PR": 1},
        PHI_ONLY,
        law_enforcement_delay={
            "form": "written",
            "statement_date": "2026-03-03",
            "delay_until": "2026-04-15",
        },
    )
    assert owed(held, "PR2").due == date(2026, 3, 12)
    assert owed(held, "PR1").not_before == date(2026, 4, 15)


# -- U.S. Virgin Islands: 14 V.I.C. §§ 2208-2209 ---------------------------------------------------


def test_vi_ssn_breach_owed_phi_only_not() -> None:
    assert owed(case({"VI": 3}), "VI1").due is None
    settled(case({"VI": 3}), "VI1")
    assert "does not cover" in not_owed(case({"VI": 3}, PHI_ONLY), "VI1").reason
