"""Validation of incident facts (the incident JSON format (README.md, Calculator)): every problem
names its field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from incident_tracker.core.facts import (
    EntityType,
    FactsError,
    HoldForm,
    IncidentFacts,
    LawEnforcementHold,
    parse_incident,
)
from tests.factories import incident


def _problems(**over: Any) -> list[str]:
    with pytest.raises(FactsError) as caught:
        parse_incident(incident(**over))
    return caught.value.problems


def test_a_valid_incident_parses_to_frozen_typed_facts() -> None:
    facts = parse_incident(incident(affected_by_state={"NY": 3, "pa": 2}))
    assert isinstance(facts, IncidentFacts)
    assert facts.discovered_on == date(2026, 2, 10)
    assert facts.affected_by_state == (("NY", 3), ("PA", 2))
    assert facts.total_affected == 5
    with pytest.raises(AttributeError):
        facts.total_affected = 1  # type: ignore[misc]


def test_discovery_on_the_day_of_occurrence_is_allowed() -> None:
    facts = parse_incident(incident(breach_occurred_on="2026-02-10"))
    assert facts.breach_occurred_on == facts.discovered_on


def test_discovery_before_occurrence_is_refused_with_both_dates() -> None:
    assert _problems(breach_occurred_on="2026-02-11") == [
        "discovered_on: 2026-02-10 is before breach_occurred_on 2026-02-11"
    ]


def test_unknown_occurrence_date_is_allowed() -> None:
    assert parse_incident(incident(breach_occurred_on=None)).breach_occurred_on is None


def test_discovery_date_is_required() -> None:
    assert _problems(discovered_on=None) == ["discovered_on: is required"]


@pytest.mark.parametrize("bad", ["2026-02-29", "2026-04-31", "26-02-10", "10/02/2026", 20260210])
def test_dates_must_be_real_calendar_dates_in_iso_form(bad: object) -> None:
    (problem,) = _problems(discovered_on=bad, breach_occurred_on=None)
    assert problem.startswith("discovered_on: ")


@pytest.mark.parametrize("count", [-1, 1.5, "12", True])
def test_counts_are_non_negative_whole_numbers(count: object) -> None:
    problems = _problems(affected_by_state={"PA": count}, total_affected=None)
    assert problems == [f"affected_by_state.PA: {count!r} is not a non-negative whole number"]


def test_total_below_the_sum_of_states_is_refused() -> None:
    assert _problems(affected_by_state={"PA": 5, "NY": 6}, total_affected=10) == [
        "total_affected: 10 is less than the sum of affected_by_state (11)"
    ]


def test_total_above_the_sum_of_states_is_kept() -> None:
    """Individuals whose State is unknown count toward HHS thresholds (164.408)."""
    assert (
        parse_incident(incident(affected_by_state={"PA": 5}, total_affected=600)).total_affected
        == 600
    )


@pytest.mark.parametrize("code", ["DC", "PR", "VI", "GU", "AS", "MP", "WY"])
def test_states_and_territories_of_45_cfr_160_103_are_accepted(code: str) -> None:
    assert parse_incident(incident(affected_by_state={code: 1})).residents(code) == 1


@pytest.mark.parametrize("code", ["XX", "UK", "ON", ""])
def test_other_codes_are_refused(code: str) -> None:
    (problem,) = _problems(affected_by_state={code: 1}, total_affected=None)
    assert problem.startswith(f"affected_by_state.{code}: ")


def test_data_elements_outside_the_vocabulary_are_refused_by_name() -> None:
    (problem,) = _problems(data_elements=["name", "favourite_food"])
    assert problem.startswith(
        "data_elements: 'favourite_food' is not in the incident format's vocabulary"
    )


def test_unknown_extra_keys_are_ignored() -> None:
    parse_incident(
        incident(
            colour="blue",
            law_enforcement_delay={"form": "oral", "statement_date": "2026-02-12", "badge": 7},
        )
    )


def test_enumerations_list_the_allowed_values() -> None:
    (problem,) = _problems(entity_type="hospital")
    assert problem == (
        "entity_type: 'hospital' is not one of: covered_entity, business_associate, "
        "ca_licensed_health_facility"
    )


def test_entity_type_ca_facility_sets_the_flag_and_ba_defaults_to_non_covered_entity() -> None:
    facility = parse_incident(incident(entity_type="ca_licensed_health_facility", flags={}))
    assert facility.ca_licensed_health_facility
    ba = parse_incident({"entity_type": "business_associate", "discovered_on": "2026-02-10"})
    assert ba.entity_type is EntityType.BUSINESS_ASSOCIATE and not ba.hipaa_covered_entity


def test_exception_accepts_the_short_paragraph_form() -> None:
    assert parse_incident(incident(exception="(1)(iii)")).exception is not None


def test_oral_hold_lasts_at_most_30_days_from_the_statement() -> None:
    """45 CFR 164.412(b): 2026-03-01 + 30 days = 2026-03-31, even if a later date was asked."""
    hold = LawEnforcementHold(HoldForm.ORAL, date(2026, 3, 1), date(2026, 6, 1))
    assert hold.end == date(2026, 3, 31)
    assert LawEnforcementHold(HoldForm.ORAL, date(2026, 3, 1), None).end == date(2026, 3, 31)
    assert LawEnforcementHold(HoldForm.ORAL, date(2026, 3, 1), date(2026, 3, 10)).end == date(
        2026, 3, 10
    )


def test_written_hold_needs_its_end_date() -> None:
    problems = _problems(law_enforcement_delay={"form": "written", "statement_date": "2026-02-12"})
    assert problems == ["law_enforcement_delay.delay_until: is required"]


def test_several_holds_are_accepted_as_a_list() -> None:
    facts = parse_incident(
        incident(
            law_enforcement_delay=[
                {"form": "oral", "statement_date": "2026-02-12"},
                {"form": "written", "statement_date": "2026-03-01", "delay_until": "2026-05-01"},
            ]
        )
    )
    assert [h.form for h in facts.holds] == [HoldForm.ORAL, HoldForm.WRITTEN]


def test_a_bare_hold_end_date_is_read_as_a_written_hold() -> None:
    facts = parse_incident(incident(law_enforcement_delay_until="2026-05-01"))
    assert facts.holds[0].end == date(2026, 5, 1)


def test_dates_that_follow_discovery_cannot_precede_it() -> None:
    problems = _problems(
        first_known_to_privacy_office="2026-02-09",
        notices_sent={"individuals": "2026-02-01", "hhs": None},
    )
    assert problems == [
        "first_known_to_privacy_office: 2026-02-09 is before discovered_on 2026-02-10",
        "notices_sent.individuals: 2026-02-01 is before discovered_on 2026-02-10",
    ]


def test_dfs_determination_needs_a_utc_offset() -> None:
    (problem,) = _problems(dfs_determined_at="2026-06-12T15:00:00")
    assert problem.startswith("dfs_determined_at: 2026-06-12T15:00:00 needs a UTC offset")
    facts = parse_incident(incident(dfs_determined_at="2026-06-12T15:00:00-04:00"))
    assert facts.dfs_determined_at == datetime(2026, 6, 12, 19, 0, tzinfo=UTC)
    assert facts.dfs_determined_at.utcoffset() == -timedelta(hours=4)  # type: ignore[union-attr]


def test_the_incident_key_wrapper_is_unwrapped() -> None:
    assert parse_incident({"incident": incident()}).discovered_on == date(2026, 2, 10)


def test_a_non_object_is_refused() -> None:
    with pytest.raises(FactsError) as caught:
        parse_incident([1, 2])
    assert caught.value.problems == ["incident: expected a JSON object"]
