"""The dated statutory values (each jurisdiction's parameters.py) against the constants the rule
modules compute with, and their dates against the rule versions: the table `rules --at` prints
cannot drift from the engine. Expected dates are the amendments' effective dates
(docs/law/new-york.md, docs/law/california.md), checked by hand."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from incident_tracker.core import facts
from incident_tracker.core.jurisdictions.california import parameters as ca_parameters
from incident_tracker.core.jurisdictions.california import rules as california
from incident_tracker.core.jurisdictions.new_york import dfs, residents
from incident_tracker.core.jurisdictions.new_york import filings as ny_filings
from incident_tracker.core.jurisdictions.new_york import parameters as ny_parameters
from incident_tracker.core.jurisdictions.new_york import rules as new_york
from incident_tracker.core.jurisdictions.registry import PARAMETERS, in_force, value
from tests.factories import owed, run

# Each parameter: the constant(s) of the rule modules that must hold its current value.
USED_AS: dict[str, tuple[Any, ...]] = {
    # Read for each discovery date by F1-F8 and P2 (federal/); the hold window's cap is facts'.
    "federal.individual_days": (),
    "federal.media_threshold": (),
    "federal.hhs_threshold": (),
    "federal.log_days_after_year_end": (),
    "federal.substitute_threshold": (),
    "federal.substitute_posting_days": (),
    "federal.oral_hold_days": (facts.ORAL_HOLD_DAYS,),
    "federal.retain_years": (),
    # Read for each discovery date by NY1 and NY6 (residents.py): no constant to hold.
    "ny.resident_days": (),
    "ny.vendor_days": (),
    # Read for each discovery date by NY2-NY5 (new_york/rules.py) and NY7-NY9 (dfs.py); the
    # AG worksheet states the determination's count.
    "ny.determination_ag_days": (ny_filings.NY_DETERMINATION_DAYS,),
    "ny.determination_ag_threshold": (),
    "ny.determination_retain_years": (),
    "ny.ag_after_hhs_business_days": (),
    "ny.cra_threshold": (),
    "ny.dfs_hours": (),
    "ny.extortion_notice_hours": (),
    "ny.extortion_explanation_days": (),
    # Read for each discovery date by NJ3 (new_jersey/rules.py).
    "nj.cra_threshold": (),
    # Read for each discovery date by CA1, CA2 (california/rules.py), CA4 and CA5 (cdph.py).
    "ca.resident_days": (),
    "ca.ag_days": (),
    "ca.ag_threshold": (),
    "ca.cdph_business_days": (),
    "ca.cdph_written_hold_days": (),
    "ca.cdph_oral_hold_days": (),
}
TODAY_OF_THE_TABLE = date(2026, 12, 2)


# The four rule sets written by hand; a rule built from a deadline shape reads its parameter
# itself (core/rules/shapes.py), so it has no constant to hold.
HAND_WRITTEN = ("Federal", "NY", "NJ", "CA")


def test_every_parameter_names_the_constant_it_holds() -> None:
    assert {p.name for p in PARAMETERS if p.jurisdiction in HAND_WRITTEN} == set(USED_AS)


@pytest.mark.parametrize("name", sorted(USED_AS))
def test_the_current_value_is_the_rule_modules_constant(name: str) -> None:
    current = value(name, TODAY_OF_THE_TABLE)
    assert current is not None
    for constant in USED_AS[name]:
        assert constant == current


def test_one_value_per_name_on_any_day() -> None:
    """The periods of one parameter neither overlap nor leave a gap after they start."""
    for name in USED_AS:
        periods = sorted(
            ((p.effective_from or date.min), (p.effective_to or date.max))
            for p in PARAMETERS
            if p.name == name
        )
        for (_, end), (start, _) in itertools.pairwise(periods):
            assert date.fromordinal(end.toordinal() + 1) == start, name


def test_the_amendment_dates_are_the_rule_versions_dates() -> None:
    assert ny_parameters.THIRTY_DAY_AMENDMENT == residents.FROM_30_DAYS.start == date(2024, 12, 21)
    assert ca_parameters.SB_446 == california.FROM_SB_446.start == date(2026, 1, 1)
    assert ny_parameters.SHIELD_ACT == new_york.SHIELD_ACT == date(2019, 10, 23)
    assert ny_parameters.DFS_SECOND_AMENDMENT_NOTICES == dfs.DFS_SECOND_AMENDMENT_NOTICES
    assert date(2023, 12, 1) == dfs.DFS_SECOND_AMENDMENT_NOTICES


def test_new_york_resident_days_change_on_2024_12_21() -> None:
    """S2659-B / A8872-A, in force 2024-12-21: no day count before, 30 days from that date."""
    assert value("ny.resident_days", date(2024, 12, 20)) is None
    assert value("ny.resident_days", date(2024, 12, 21)) == 30
    assert value("ny.vendor_days", date(2024, 12, 20)) is None
    assert value("ny.vendor_days", date(2024, 12, 21)) == 30


def test_california_day_counts_start_with_sb_446() -> None:
    assert value("ca.resident_days", date(2025, 12, 31)) is None
    assert value("ca.ag_days", date(2025, 12, 31)) is None
    assert value("ca.resident_days", date(2026, 1, 1)) == 30
    assert value("ca.ag_days", date(2026, 1, 1)) == 15


def test_no_value_before_the_law_existed() -> None:
    with pytest.raises(KeyError):
        value("ny.extortion_notice_hours", date(2023, 11, 30))
    assert "ny.extortion_notice_hours" not in {p.name for p in in_force(date(2023, 11, 30))}
    assert value("ny.extortion_notice_hours", date(2023, 12, 1)) == 24


@pytest.mark.parametrize(
    ("discovered", "due"),
    [
        ("2024-12-20", None),  # before the amendment: "most expedient time possible"
        ("2024-12-21", date(2025, 1, 20)),  # Dec 21 + 10 = Dec 31, + 20 = Jan 20
    ],
)
def test_the_engine_follows_the_dated_value(discovered: str, due: date | None) -> None:
    """A NY business (not HIPAA) with 100 NY residents' SSNs: the parameter in force on the
    discovery day is the clock NY1 runs."""
    result = run(
        flags={"hipaa_covered_entity": False},
        affected_by_state={"NY": 100},
        data_elements=["name", "ssn"],
        breach_occurred_on="2024-12-01",
        discovered_on=discovered,
    )
    assert owed(result, "NY1").due == due
