"""Pure rules: the next step of an incident, its status moving by itself, and words for people."""

from __future__ import annotations

from datetime import date

from incident_tracker.core import lifecycle
from incident_tracker.core.next_action import OpenDuty, Step, next_action, party_words, step_for
from incident_tracker.core.risk import _concerns as factor_concerns  # the factor's findings
from incident_tracker.core.rule_names import facts_in_words, rule_name, without_file_references


def duty(ident: int, due: date | None, notice: str | None = None) -> OpenDuty:
    return OpenDuty(ident, f"R{ident}", "", "", "someone", due, notice)


def test_the_soonest_dated_duty_comes_first_and_its_notice_decides_the_step() -> None:
    duties = [duty(1, None), duty(2, date(2027, 1, 20), "approved"), duty(3, date(2026, 12, 21))]
    found = next_action(True, duties)
    assert found is not None and (found.duty.obligation_id, found.step) == (3, Step.DRAFT)
    assert next_action(False, duties).step is Step.ASSESS  # type: ignore[union-attr]
    assert next_action(True, [duty(1, None, "in_review")]).step is Step.APPROVE  # type: ignore[union-attr]
    assert next_action(True, []) is None


def test_each_review_state_waits_for_its_step() -> None:
    assert [step_for(True, s) for s in (None, "draft", "changes_requested", "in_review")] == [
        Step.DRAFT,
        Step.SEND_FOR_REVIEW,
        Step.SEND_FOR_REVIEW,
        Step.APPROVE,
    ]
    assert step_for(True, "approved") is Step.RECORD_SENT


def test_business_associate_and_covered_entity_duties_in_words() -> None:
    assert party_words("business_associate") == "business associate's duty"
    assert party_words("") == party_words("covered_entity") == "covered entity's duty"
    assert party_words("Acme Health") == "covered entity's duty (Acme Health)"


def test_status_moves_by_itself_but_never_out_of_closed_or_void() -> None:
    assert lifecycle.after_assessment_started("intake") == "assessment"
    assert lifecycle.after_assessment_started("notification") == "notification"
    assert lifecycle.after_signing("assessment", True, 3) == "notification"
    assert lifecycle.after_signing("assessment", False, 0) == "not_required"
    assert lifecycle.after_signing("assessment", True, 0) == "monitoring"
    assert lifecycle.after_signing("closed", True, 3) == "closed"
    assert lifecycle.after_duties_changed("notification", 4, 0) == "monitoring"
    assert lifecycle.after_duties_changed("monitoring", 4, 1) == "notification"
    assert lifecycle.after_duties_changed("intake", 4, 0) == "intake"
    assert lifecycle.STATUS_LABELS["not_required"] == "no notification required"


def test_rule_ids_are_named_and_file_references_left_out() -> None:
    assert rule_name("NY6") == "vendor's notice to the owner of New York data (GBL 899-aa(3)) [NY6]"
    assert rule_name("F3", "NY") == "notice to the media (45 CFR 164.406), NY [F3]"
    assert rule_name("NY3-AG").endswith("[NY3-AG]") and "agencies" in rule_name("NY3-AG")
    assert without_file_references("notified at one time (default reading, rules.md §8.12).") == (
        "notified at one time (default reading)."
    )
    assert without_file_references("or exported (rules.md §8.11)") == "or exported"
    assert facts_in_words("2026-01-01 is before breach_occurred_on 2026-02-01") == (
        "2026-01-01 is before the date it occurred 2026-02-01"
    )


def test_other_jurisdictions_rules_are_named_from_their_registry_entry() -> None:
    """TX1..TX4 (Tex. Bus. & Com. Code § 521.053) are named by Texas and whom it notifies, not
    shown as "rule TX1"; an id in no registry still shows its id."""
    assert rule_name("TX1", "TX") == "Texas: notice to residents [TX1]"
    assert rule_name("TX2") == "Texas: Attorney General (Consumer Protection Division) [TX2]"
    assert rule_name("TX3") == "Texas: consumer reporting agencies [TX3]"
    assert rule_name("PA4") == "Pennsylvania: vendor's notice to the owner of the data [PA4]"
    assert rule_name("PR1", "PR") == "Puerto Rico: notice to residents [PR1]"
    assert rule_name("ZZ1") == "rule ZZ1"


def test_mitigation_wording_follows_the_steps_ticked() -> None:
    something = {"fiv_steps": ["other"], "fiv_complete": "none"}
    nothing = {"fiv_steps": ["none"], "fiv_complete": "none"}
    assert "nothing was done to mitigate the risk" not in factor_concerns(something, "iv")[0]
    assert "the steps taken did not mitigate the risk" in factor_concerns(something, "iv")[0]
    assert "nothing was done to mitigate the risk" in factor_concerns(nothing, "iv")[0]


def test_reasons_for_people_leave_out_the_docs_law_pointers_too() -> None:
    assert without_file_references(
        "notified at one time (default reading, docs/law/new-jersey.md)."
    ) == ("notified at one time (default reading).")
    assert without_file_references("or exported (docs/law/california.md)") == "or exported"
