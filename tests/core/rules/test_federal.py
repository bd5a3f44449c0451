"""Federal rules F1-F8 and P2 (docs/law/federal.md; docs/law/rules.md; docs/law/federal.md, open
questions): new scenarios, dates by hand.

Every date below was computed from docs/law/conventions.md ("N calendar days after X": X is day 0)
and checked
against a real calendar (`python3 -c 'import datetime ...'`); the arithmetic is in each docstring.
HIPAA has no weekend or holiday roll-forward (docs/law/conventions.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incident_tracker.core.obligations import Party, Status
from tests.factories import not_owed, owed, run

HIPAA_NOTICES = ("F1", "F3", "F4", "F5")


# -- F1: 164.404(b), 60 calendar days from discovery -----------------------------------------


def test_164_404_b_f1_sunday_due_date_is_not_rolled_forward() -> None:
    """164.404(b), docs/law/conventions.md: 2026-05-20 + 60 days = 2026-07-19 (Sunday); HIPAA keeps
    it,
    no Monday 2026-07-20 and no roll-forward alt_due."""
    result = run(breach_occurred_on="2026-05-18", discovered_on="2026-05-20")
    f1 = owed(result, "F1")
    assert f1.due == date(2026, 7, 19)
    assert f1.alt_due is None
    assert f1.status is Status.DATED
    assert f1.jurisdiction == "Federal"


def test_164_404_a_2_clock_runs_from_discovery_not_occurrence() -> None:
    """164.404(a)(2), docs/law/conventions.md "Discovery vs occurrence": discovered 2026-03-16 + 60
    =
    2026-05-15 (Friday). The wrong anchor, occurrence 2026-01-05 + 60 = 2026-03-06, must not be
    used."""
    f1 = owed(run(breach_occurred_on="2026-01-05", discovered_on="2026-03-16"), "F1")
    assert f1.due == date(2026, 5, 15)
    assert f1.due != date(2026, 3, 6)


def test_164_404_a_2_privacy_office_learning_later_does_not_move_f1() -> None:
    """164.404(a)(2), docs/law/federal.md (C39-style): legal discovery 2026-09-08 + 60 = 2026-11-07
    (Saturday). The privacy office first knew on 2026-10-15; 2026-10-15 + 60 = 2026-12-14 is
    the wrong anchor."""
    result = run(
        breach_occurred_on="2026-09-01",
        discovered_on="2026-09-08",
        first_known_to_privacy_office="2026-10-15",
    )
    f1 = owed(result, "F1")
    assert f1.due == date(2026, 11, 7)
    assert f1.due != date(2026, 12, 14)


def test_164_404_f1_not_owed_by_entity_that_is_not_hipaa_covered() -> None:
    """docs/law/rules.md F1 ("CE; breach of unsecured PHI"): entity_type covered_entity but
    flags.hipaa_covered_entity false -> no HIPAA individual, media or HHS notice."""
    result = run(flags={"hipaa_covered_entity": False}, affected_by_state={"PA": 600})
    for rule_id in HIPAA_NOTICES:
        not_owed(result, rule_id)


# -- F6 and the covered entity's clock in business-associate incidents: 164.410, §1.3 --------

BA: dict[str, Any] = {
    "entity_type": "business_associate",
    "breach_occurred_on": "2026-09-01",
    "discovered_on": "2026-09-07",
}


def test_164_410_b_f6_ba_to_covered_entity_sixty_days_after_ba_discovery() -> None:
    """164.410(b): BA discovery 2026-09-07 + 60 = 2026-11-06 (Friday), party business_associate."""
    f6 = owed(run(**BA, flags={"hipaa_covered_entity": False}), "F6")
    assert f6.due == date(2026, 11, 6)
    assert f6.party is Party.BUSINESS_ASSOCIATE
    not_owed(run(), "F6")  # F6: a covered entity's own incident owes none
    # 164.412 covers 164.410 too: a written hold to 2026-12-01 (after 2026-11-06) -> F6 2026-12-01.
    hold = {"form": "written", "statement_date": "2026-09-10", "delay_until": "2026-12-01"}
    held = run(**BA, flags={"hipaa_covered_entity": False}, law_enforcement_delay=hold)
    assert owed(held, "F6").due == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("is_agent", "ce_due"),
    [
        # Agent (C36 rule): the BA's discovery is imputed, 2026-09-07 + 60 = 2026-11-06 (Friday);
        # the later notice date 2026-09-25 (+ 60 = 2026-11-24) is ignored.
        (True, date(2026, 11, 6)),
        # Independent contractor (C35 rule): the CE discovers when told,
        # 2026-09-25 + 60 = 2026-11-24 (Tuesday).
        (False, date(2026, 11, 24)),
    ],
)
def test_164_404_a_2_covered_entity_clock_in_ba_incident(is_agent: bool, ce_due: date) -> None:
    """docs/law/federal.md, 164.404(a)(2): the CE's F1 (party covered_entity) runs from the BA's
    discovery when the BA is its agent, else from ce_notified_by_ba_on; F6 stays 2026-11-06."""
    result = run(
        **BA,
        flags={"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": is_agent},
        ce_notified_by_ba_on="2026-09-25",
    )
    f1 = owed(result, "F1")
    assert (f1.due, f1.party, f1.status) == (ce_due, Party.COVERED_ENTITY, Status.DATED)
    assert owed(result, "F6").due == date(2026, 11, 6)


def test_164_410_b_independent_contractor_not_yet_told_f1_waits_on_latest_ba_notice() -> None:
    """docs/law/conventions.md "With notice X", §1.3, §1.7: CE not yet told; the latest permitted
    BA notice is
    2026-09-07 + 60 = 2026-11-06, so F1 = 2026-11-06 + 60 = 2027-01-05 (Tuesday), waiting."""
    result = run(
        **BA, flags={"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": False}
    )
    f1 = owed(result, "F1")
    assert f1.due == date(2027, 1, 5)
    assert f1.status is Status.WAITING
    assert f1.party is Party.COVERED_ENTITY


# -- F3 media: 164.406, more than 500 residents of one State -----------------------------------


def test_164_406_media_not_required_at_exactly_500_in_one_state() -> None:
    """164.406(a), docs/law/federal.md; docs/law/federal.md, open questions: "more than 500"; OH
    500 alone is not enough."""
    not_owed(run(affected_by_state={"OH": 500}), "F3")


def test_164_406_media_required_at_501_in_one_state_with_state_set() -> None:
    """164.406: OH 501 -> one media item for OH, due 2026-02-10 + 60 = 2026-04-11 (Saturday)."""
    result = run(affected_by_state={"OH": 501})
    f3 = owed(result, "F3", "OH")
    assert f3.state == "OH"
    assert f3.due == date(2026, 4, 11)
    assert [o.state for o in result.obligations if o.rule_id == "F3"] == ["OH"]


def test_164_406_media_per_state_only_where_that_state_exceeds_500() -> None:
    """164.406, docs/law/federal.md "evaluate each State separately": PA 501 and OH 900 qualify; NJ
    500
    and TX 450 do not, although the total is 2,351. Each due 2026-02-10 + 60 = 2026-04-11."""
    result = run(affected_by_state={"PA": 501, "OH": 900, "NJ": 500, "TX": 450})
    media = sorted((o.state, o.due) for o in result.obligations if o.rule_id == "F3")
    assert media == [("OH", date(2026, 4, 11)), ("PA", date(2026, 4, 11))]
    assert result.find("F3", "NJ") is None
    assert result.find("F3", "TX") is None
    assert any(n.rule_id == "F3" and n.state == "NJ" and n.reason for n in result.not_required)


# -- F4 / F5 HHS: 164.408(b) 500 or more in total, 164.408(c) fewer than 500 --------------------


@pytest.mark.parametrize(
    ("by_state", "report", "not_report"),
    [
        ({"PA": 499}, "F5", "F4"),  # 499 < 500: annual log (164.408(c))
        ({"PA": 500}, "F4", "F5"),  # "500 or more" (164.408(b))
        ({"PA": 300, "NJ": 200}, "F4", "F5"),  # 300 + 200 = 500: all States together (§1.6)
    ],
)
def test_164_408_hhs_threshold_500_counts_all_states_together(
    by_state: dict[str, int], report: str, not_report: str
) -> None:
    """164.408(b)/(c), docs/law/federal.md. Discovered 2026-02-10: F4 is due with F1, 2026-02-10 +
    60 =
    2026-04-11; F5 is due 2026-12-31 + 60 = 2027-03-01. No State exceeds 500, so no F3."""
    result = run(affected_by_state=by_state)
    expected = {"F4": date(2026, 4, 11), "F5": date(2027, 3, 1)}[report]
    assert owed(result, report).due == expected
    not_owed(result, not_report)
    not_owed(result, "F3")


LARGE: dict[str, Any] = {
    "breach_occurred_on": "2026-08-20",
    "discovered_on": "2026-08-24",
    "affected_by_state": {"PA": 750},
}
SENT_0930 = {"individuals": "2026-09-30", "hhs": None}


def test_164_408_b_f4_contemporaneous_with_individual_notice() -> None:
    """164.408(b), docs/law/conventions.md "With notice X": letters unsent -> F4 = the F1 date,
    2026-08-24 + 60 = 2026-10-23 (Friday), waiting. Letters sent 2026-09-30 -> F4 due 2026-09-30
    ("contemporaneously"), outer_limit 2026-10-23."""
    result = run(**LARGE)
    f4 = owed(result, "F4")
    assert owed(result, "F1").due == f4.due == date(2026, 10, 23)
    assert (f4.status, f4.due_basis) == (Status.WAITING, "with_individual_notice")
    sent = owed(run(**LARGE, notices_sent=SENT_0930), "F4")
    assert (sent.due, sent.outer_limit) == (date(2026, 9, 30), date(2026, 10, 23))
    assert sent.status is Status.DATED


@pytest.mark.parametrize(
    ("occurred_on", "discovered_on", "log_due"),
    [
        # Wrong anchor (docs/law/conventions.md, C03 rule): occurred 2025-11-20 but discovered
        # 2026-01-12, so
        # the 2026 log, 2026-12-31 + 60 = 2027-03-01, not the 2025 log's 2026-03-01.
        ("2025-11-20", "2026-01-12", date(2027, 3, 1)),
        # 2027-12-31 + 60 = 2028-02-29 (Tuesday; 2028 is a leap year, docs/law/federal.md, open
        # questions, C31 rule).
        ("2027-06-15", "2027-06-15", date(2028, 2, 29)),
        # Last day of 2026: 2026-12-31 + 60 = 2027-03-01 (Monday).
        ("2026-12-31", "2026-12-31", date(2027, 3, 1)),
        # First day of 2026: still 2026-12-31 + 60 = 2027-03-01, not 2026-01-01 + 60 = 2026-03-02.
        ("2026-01-01", "2026-01-01", date(2027, 3, 1)),
        # First day of 2027: 2027-12-31 + 60 = 2028-02-29, not the "from Jan 1" 2028-03-01.
        ("2027-01-01", "2027-01-01", date(2028, 2, 29)),
    ],
)
def test_164_408_c_annual_log_sixty_days_after_year_of_discovery(
    occurred_on: str, discovered_on: str, log_due: date
) -> None:
    """164.408(c), docs/law/federal.md table and §8.2: Dec 31 of the discovery year + 60 days."""
    result = run(breach_occurred_on=occurred_on, discovered_on=discovered_on)
    assert owed(result, "F5").due == log_due


# -- F2 substitute notice: 164.404(d)(2) -----------------------------------------------------


def test_164_404_d_2_i_nine_unreachable_alternative_means() -> None:
    """164.404(d)(2)(i): 9 < 10 -> alternative means, within F1 (2026-02-10 + 60 = 2026-04-11),
    no 90-day posting, so no keep_until."""
    f2 = owed(run(unreachable_individuals=9, substitute_notice_started_on="2026-03-20"), "F2")
    assert "164.404(d)(2)(i)" in f2.citation
    assert "(ii)" not in f2.citation
    assert f2.keep_until is None
    assert f2.due == date(2026, 4, 11)


def test_164_404_d_2_ii_ten_unreachable_posting_kept_90_days() -> None:
    """164.404(d)(2)(ii): 10 or more -> 90-day posting: 2026-03-20 + 90 = 2026-06-18 (Thursday);
    due within F1, 2026-04-11."""
    f2 = owed(run(unreachable_individuals=10, substitute_notice_started_on="2026-03-20"), "F2")
    assert "164.404(d)(2)(ii)" in f2.citation
    assert f2.keep_until == date(2026, 6, 18)
    assert f2.due == date(2026, 4, 11)


@pytest.mark.parametrize("unreachable", [0, None])
def test_164_404_d_2_no_substitute_notice_when_everyone_is_reachable(
    unreachable: int | None,
) -> None:
    """164.404(d)(2) applies only where contact information is insufficient or out of date."""
    not_owed(run(unreachable_individuals=unreachable), "F2")


# -- F7 law-enforcement holds: 164.412, docs/law/federal.md; docs/law/federal.md, open questions
# -----------------------------------
# Discovered 2026-04-06: strict 60-day date 2026-04-06 + 60 = 2026-06-05 (Friday).

HELD: dict[str, Any] = {"breach_occurred_on": "2026-04-01", "discovered_on": "2026-04-06"}


@pytest.mark.parametrize(
    ("statement", "until", "due", "tolled"),
    [
        # Ends before day 60: max(2026-06-05, 2026-05-01) = 2026-06-05. Hold 2026-04-10 to
        # 2026-05-01 = 20 days left in April + 1 = 21; tolled 2026-06-05 + 21 = 2026-06-26.
        ("2026-04-10", "2026-05-01", date(2026, 6, 5), date(2026, 6, 26)),
        # Ends after day 60: max(2026-06-05, 2026-07-15) = 2026-07-15. Hold 2026-04-20 to
        # 2026-07-15 = 10 + 31 + 30 + 15 = 86 days; tolled 2026-06-05 + 86 = 2026-08-30.
        ("2026-04-20", "2026-07-15", date(2026, 7, 15), date(2026, 8, 30)),
    ],
)
def test_164_412_a_written_hold_later_of_day_60_and_hold_end(
    statement: str, until: str, due: date, tolled: date
) -> None:
    """164.412(a), docs/law/federal.md; docs/law/federal.md, open questions: default due = later of
    the 60-day date and the hold
    end; the tolling reading is shown as alt_due. F7 records the statement."""
    hold = {"form": "written", "statement_date": statement, "delay_until": until}
    result = run(**HELD, law_enforcement_delay=hold)
    f1 = owed(result, "F1")
    assert (f1.due, f1.alt_due) == (due, tolled)
    owed(result, "F7")


ORAL_0408 = {"form": "oral", "statement_date": "2026-04-08"}


@pytest.mark.parametrize(
    ("hold", "due"),
    [
        # Capped before day 60: 2026-04-08 + 30 = 2026-05-08, not the claimed 2026-07-31;
        # max(2026-06-05, 2026-05-08) = 2026-06-05.
        ({**ORAL_0408, "delay_until": "2026-07-31"}, date(2026, 6, 5)),
        # 30 days end after day 60: 2026-05-25 + 30 = 2026-06-24 (Wednesday) > 2026-06-05.
        ({"form": "oral", "statement_date": "2026-05-25"}, date(2026, 6, 24)),
        # Same, with a claimed end of 2026-09-30 capped to 2026-06-24.
        (
            {"form": "oral", "statement_date": "2026-05-25", "delay_until": "2026-09-30"},
            date(2026, 6, 24),
        ),
        # "unless a written statement ... is submitted during that time": oral 2026-04-08 (cap
        # 2026-05-08), written on 2026-04-30 until 2026-07-15 -> 2026-07-15.
        (
            [
                ORAL_0408,
                {"form": "written", "statement_date": "2026-04-30", "delay_until": "2026-07-15"},
            ],
            date(2026, 7, 15),
        ),
    ],
)
def test_164_412_b_oral_hold_no_longer_than_30_days(hold: Any, due: date) -> None:
    """164.412(b), docs/law/federal.md: an oral statement delays notice "no longer than 30 days from
    the date of the oral statement" unless a written one follows; F7 records the statement."""
    result = run(**HELD, law_enforcement_delay=hold)
    assert owed(result, "F1").due == due
    owed(result, "F7")


def test_164_412_hold_also_moves_media_and_hhs_notices() -> None:
    """164.412 applies to 164.406 and 164.408 too: PA 600, written hold to 2026-07-15 (later than
    2026-06-05) -> F3 PA and F4 due 2026-07-15; tolling alt_due 2026-08-30 (86-day hold)."""
    hold = {"form": "written", "statement_date": "2026-04-20", "delay_until": "2026-07-15"}
    result = run(**HELD, affected_by_state={"PA": 600}, law_enforcement_delay=hold)
    for ob in (owed(result, "F3", "PA"), owed(result, "F4")):
        assert ob.due == date(2026, 7, 15)
        assert ob.alt_due == date(2026, 8, 30)


# -- exceptions, safe harbor, low probability; F8 documentation: 164.402, 164.414, 164.530(j) --


def test_164_402_control_without_exception_notices_are_owed() -> None:
    """Control for the exception tests: PA 600 -> F1, F3 (PA) and F4 owed. With no
    law-enforcement statement recorded there is no F7 (docs/law/rules.md)."""
    result = run(affected_by_state={"PA": 600})
    for rule_id in ("F1", "F3", "F4"):
        owed(result, rule_id)
    not_owed(result, "F7")


@pytest.mark.parametrize("exception", ["164.402(1)(i)", "164.402(1)(ii)", "164.402(1)(iii)"])
@pytest.mark.parametrize("count", [100, 600])
def test_164_402_1_exception_removes_notices_leaves_documentation(
    exception: str, count: int
) -> None:
    """164.402(1)(i)-(iii): not a breach, so no F1/F3/F4/F5; F8 remains, kept 6 years
    (164.530(j)(2))."""
    result = run(
        affected_by_state={"PA": count},
        exception=exception,
        risk_assessment="not_required_exception",
    )
    for rule_id in HIPAA_NOTICES:
        not_owed(result, rule_id)
    f8 = owed(result, "F8")
    assert f8.retain_years == 6
    assert f8.due is None


def test_164_402_encrypted_with_key_intact_is_not_unsecured_phi() -> None:
    """docs/law/federal.md (C08 rule): encrypted to the guidance, key not compromised -> no
    notice."""
    result = run(phi_encrypted=True, encryption_key_compromised=False, risk_assessment=None)
    for rule_id in ("F1", "F5"):
        not_owed(result, rule_id)
    assert owed(result, "F8").retain_years == 6
    # docs/law/federal.md (C09 rule): key compromised -> unsecured; F1 2026-02-10 + 60 = 2026-04-11.
    leaked = run(phi_encrypted=True, encryption_key_compromised=True)
    assert owed(leaked, "F1").due == date(2026, 4, 11)


def test_164_402_2_documented_low_probability_removes_notices() -> None:
    """164.402(2), docs/law/federal.md: a documented low probability removes every HIPAA notice."""
    result = run(affected_by_state={"PA": 600}, risk_assessment="low_probability_documented")
    for rule_id in HIPAA_NOTICES:
        not_owed(result, rule_id)
    assert owed(result, "F8").retain_years == 6


@pytest.mark.parametrize(
    "over",
    [
        {},
        {"affected_by_state": {"PA": 600}},
        {"exception": "164.402(1)(ii)"},
        {"phi_encrypted": True, "encryption_key_compromised": False},
        {"risk_assessment": "low_probability_documented"},
        {"entity_type": "business_associate", "flags": {"hipaa_covered_entity": False}},
        {"flags": {"hipaa_covered_entity": False}},
    ],
)
def test_164_414_b_f8_record_for_every_incident(over: dict[str, Any]) -> None:
    """164.414(b), 164.530(j)(2), docs/law/rules.md F8 "every incident": a record kept 6 years."""
    f8 = owed(run(**over), "F8")
    assert f8.retain_years == 6
    assert f8.status is Status.RECORD


# -- P2: 42 CFR Part 2 separate report (docs/law/federal.md), same clocks as F4/F5
# -------------------


def test_part2_large_breach_separate_report_on_f4_clock() -> None:
    """docs/law/federal.md: PA 750 Part 2 records -> P2 alongside F4, both waiting on F1:
    2026-08-24 + 60 = 2026-10-23. Once letters go out 2026-09-30, P2 is due that day with
    outer_limit 2026-10-23 (164.408(b))."""
    result = run(**LARGE, flags={"part2_program": True})
    p2, f4 = owed(result, "P2"), owed(result, "F4")
    assert p2.due == f4.due == date(2026, 10, 23)
    assert p2.status is Status.WAITING
    sent = owed(run(**LARGE, flags={"part2_program": True}, notices_sent=SENT_0930), "P2")
    assert (sent.due, sent.outer_limit) == (date(2026, 9, 30), date(2026, 10, 23))


def test_part2_small_breach_on_annual_log_clock_leap_year() -> None:
    """docs/law/federal.md + 164.408(c): 100 Part 2 records discovered 2027-03-10 -> P2 and F5 both
    2027-12-31 + 60 = 2028-02-29."""
    result = run(
        breach_occurred_on="2027-03-08", discovered_on="2027-03-10", flags={"part2_program": True}
    )
    assert owed(result, "P2").due == owed(result, "F5").due == date(2028, 2, 29)


def test_part2_not_owed_when_records_are_not_part2() -> None:
    """docs/law/federal.md: flags.part2_program false -> no P2 report."""
    not_owed(run(), "P2")


def test_part2_not_in_force_for_discovery_before_2026_02_16() -> None:
    """docs/law/federal.md: compliance date 2026-02-16; discovered 2026-02-15 -> P2 not required
    (not in force), while F5 stays (2026-12-31 + 60 = 2027-03-01). Discovered 2026-02-16 (the
    boundary) -> P2 owed, also 2027-03-01."""
    before = run(discovered_on="2026-02-15", flags={"part2_program": True})
    assert "not in force" in not_owed(before, "P2").reason
    assert owed(before, "F5").due == date(2027, 3, 1)
    on_date = run(discovered_on="2026-02-16", flags={"part2_program": True})
    assert owed(on_date, "P2").due == date(2027, 3, 1)


def test_164_402_encrypted_with_key_status_unknown_is_not_presumed_secured() -> None:
    """164.402 and 74 FR 19006: PHI is secured only if encrypted AND the key was not breached; the
    entity bears the burden of proof (164.414(b)), so an unrecorded key status is not a safe
    harbor. 2026-02-10 + 60 days = 2026-04-11."""
    result = run(phi_encrypted=True, encryption_key_compromised=None)
    assert owed(result, "F1").due == date(2026, 4, 11)
    assert owed(result, "F8").recipient.startswith("Internal record: breach documentation")
    secured = run(phi_encrypted=True, encryption_key_compromised=False)
    not_owed(secured, "F1")
