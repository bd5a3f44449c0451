"""`incident-tracker rules --at DATE`: the rule versions and statutory values in force for an
incident discovered on DATE. Expectations are the amendments' effective dates, checked by hand
(NY S2659-B from 2024-12-21; CA SB 446 from 2026-01-01; 42 CFR Part 2 reports from 2026-02-16;
23 NYCRR 500.17(c) from 2023-12-01)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from incident_tracker.cli import main


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


def _law(day: str) -> dict[str, Any]:
    code, out, _ = _run(["rules", "--at", day, "--format", "json"])
    assert code == 0
    law: dict[str, Any] = json.loads(out)
    assert law["at"] == day
    return law


def _versions(law: dict[str, Any], rule_id: str) -> list[int]:
    return [r["version"] for r in law["rules"] if r["rule_id"] == rule_id]


def _value(law: dict[str, Any], name: str) -> Any:
    found = [p for p in law["parameters"] if p["name"] == name]
    assert len(found) == 1, name
    return found[0]


def test_new_york_the_day_before_and_the_day_of_the_30_day_amendment() -> None:
    before, after = _law("2024-12-20"), _law("2024-12-21")
    assert _versions(before, "NY1") == [1] and _versions(after, "NY1") == [2]
    assert _versions(before, "NY6") == [1] and _versions(after, "NY6") == [2]
    assert _value(before, "ny.resident_days")["value"] is None
    resident = _value(after, "ny.resident_days")
    assert resident["value"] == 30 and resident["unit"] == "calendar days"
    assert resident["effective_from"] == "2024-12-21"
    assert "899-aa(2)" in resident["citation"]


def test_california_1798_82_before_and_after_sb_446() -> None:
    before, after = _law("2025-12-31"), _law("2026-01-01")
    assert _versions(before, "CA1") == [1] and _versions(after, "CA1") == [2]
    assert _versions(before, "CA2") == [1] and _versions(after, "CA2") == [2]
    assert _value(before, "ca.resident_days")["value"] is None
    assert _value(after, "ca.resident_days")["value"] == 30
    assert _value(after, "ca.ag_days")["value"] == 15
    assert _value(after, "ca.ag_days")["citation"].startswith("Cal. Civ. Code 1798.82(f)")


def test_rules_without_a_version_change_are_in_force_on_both_days() -> None:
    before, after = _law("2025-12-31"), _law("2026-01-01")
    for rule_id in ("F1", "F4", "NJ2", "CA4", "NY5"):
        assert _versions(before, rule_id) == [1] == _versions(after, rule_id)


def test_later_rules_appear_from_their_start() -> None:
    assert _versions(_law("2026-02-15"), "P2") == []
    assert _versions(_law("2026-02-16"), "P2") == [1]
    assert _versions(_law("2023-11-30"), "NY8") == []
    assert _versions(_law("2023-12-01"), "NY8") == [1]
    assert _versions(_law("2019-10-22"), "NY5") == []


def test_the_table_shows_values_with_citations() -> None:
    code, out, _ = _run(["rules", "--at", "2026-03-01"])
    assert code == 0
    assert "in force for an incident discovered on 2026-03-01" in out
    assert "ny.dfs_hours" in out and "72 hours" in out and "23 NYCRR 500.17(a)(1)" in out
    assert "nj.cra_threshold" in out and "more than 1,000" in out
    assert "federal.hhs_threshold" in out and "500 or more" in out
    assert "discovered on or before 2024-12-20" not in out  # NY1 v1 is not in force


def test_the_catalogue_lists_each_rule_with_its_effective_dates() -> None:
    code, out, _ = _run(["rules"])
    assert code == 0
    assert "discovered on or before 2024-12-20" in out  # NY1 v1, NY6 v1
    assert "discovered on or after 2024-12-21" in out  # NY1 v2, NY6 v2
    assert "discovered on or before 2025-12-31" in out  # CA1 v1, CA2 v1
    assert "discovered on or after 2026-02-16" in out  # P2
    code, out, _ = _run(["rules", "--format", "json"])
    ny1 = [r for r in json.loads(out) if r["rule_id"] == "NY1"]
    assert [(r["effective_from"], r["effective_to"]) for r in ny1] == [
        (None, "2024-12-20"),
        ("2024-12-21", None),
    ]


@pytest.mark.parametrize("bad", ["2024-13-01", "2025-02-29", "yesterday", ""])
def test_a_bad_date_exits_2_with_a_message(bad: str) -> None:
    code, out, err = _run(["rules", "--at", bad])
    assert code == 2 and out == ""
    assert f"--at {bad!r} is not a date" in err and "YYYY-MM-DD" in err
