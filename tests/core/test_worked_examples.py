"""Every worked case of tests/data/worked_cases.json, matched as that file's `about` says.

The expected dates in that file were computed by hand, each with its arithmetic; they are the
oracle.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.obligations import Obligation
from tests.worked_cases import CASES

OPTIONAL_KEYS = (
    "due_at",
    "alt_due",
    "outer_limit",
    "keep_until",
    "must_precede",
    "not_before",
    "practical_latest",
    "party",
    "retain_years",
    "disputed",
)


def _match(obligations: list[dict[str, Any]], item: dict[str, Any]) -> dict[str, Any] | None:
    for o in obligations:
        if (
            o["rule_id"] == item["rule_id"]
            and (item["rule_id"] != "F3" or o["state"] == item.get("state"))
            and ("party" not in item or o["party"] == item["party"])
        ):
            return o
    return None


def test_the_worked_cases_are_all_here() -> None:
    assert len(CASES) >= 28


_SUM = re.compile(r"(\d{4}-\d\d-\d\d)(?: \([^)]*\))? \+ (\d+) days = (?:\w{3} )?(\d{4}-\d\d-\d\d)")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_hand_arithmetic_adds_up_to_the_expected_date(case: dict[str, Any]) -> None:
    """Every dated expectation shows its sum, every "A + N days = B" in it is right, and the
    arithmetic ends on (or, for the later-of and business-day sums, names) the expected date."""
    for item in case["expected"]:
        for key, due in (("arithmetic", item["due"]), ("alt_due_arithmetic", item.get("alt_due"))):
            text = item.get(key)
            if due is None:
                continue
            assert text, f"{case['id']} {item['rule_id']}: {key} missing"
            for start, days, end in _SUM.findall(text):
                assert date.fromisoformat(start) + timedelta(days=int(days)) == (
                    date.fromisoformat(end)
                ), f"{case['id']} {item['rule_id']}: {text}"
            assert due in text, f"{case['id']} {item['rule_id']}: {text} does not reach {due}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_worked_case_expected_obligations(case: dict[str, Any]) -> None:
    result = compute(parse_incident(case["incident"])).to_json()
    for item in case["expected"]:
        found = _match(result["obligations"], item)
        assert found is not None, f"{case['id']}: {item['rule_id']} missing"
        assert found["due"] == item["due"], f"{case['id']} {item['rule_id']}: {item['rule']}"
        assert found["jurisdiction"] == item["jurisdiction"]
        for key in OPTIONAL_KEYS:
            if key in item:
                assert found[key] == item[key], f"{case['id']} {item['rule_id']} {key}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_worked_case_duties_not_required_are_absent(case: dict[str, Any]) -> None:
    result = compute(parse_incident(case["incident"]))
    expected_media_states = {e.get("state") for e in case["expected"] if e["rule_id"] == "F3"}
    for item in case["not_required"]:
        for rule_id in item["rule_ids"]:
            present: list[Obligation] = [
                o
                for o in result.obligations
                if o.rule_id == rule_id
                and (rule_id != "F3" or o.state not in expected_media_states)
            ]
            assert not present, f"{case['id']}: {rule_id} must not be owed: {item['reason']}"
            assert any(n.rule_id == rule_id for n in result.not_required), (
                f"{case['id']}: {rule_id} should come back in not_required with its reason"
            )
