"""The `incident-tracker` command-line contract: other tools depend on it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from incident_tracker.cli import main
from tests.factories import incident

OBLIGATION_KEYS = {
    "rule_id",
    "state",
    "jurisdiction",
    "recipient",
    "due",
    "due_at",
    "alt_due",
    "alt_due_reason",
    "outer_limit",
    "not_before",
    "must_precede",
    "keep_until",
    "party",
    "kind",
    "citation",
    "reason",
}


def _run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "incident.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_deadlines_prints_the_three_lists_with_every_contract_key(tmp_path: Path) -> None:
    data = incident(affected_by_state={"NY": 600, "PA": 501, "TX": 3, "AS": 2})
    code, out, err = _run(["deadlines", _write(tmp_path, data)])
    assert code == 0 and err == ""
    result = json.loads(out)
    assert {"obligations", "not_required", "not_evaluated"} <= set(result)
    for item in result["obligations"]:
        assert set(item) >= OBLIGATION_KEYS
        assert item["kind"] in {"legal", "record", "internal", "contractual"}
    for item in result["not_required"]:
        assert {"rule_id", "state", "reason"} <= set(item)
    # Every State, DC, PR, GU and VI is evaluated; American Samoa has no rule set and is named.
    assert {(n["state"], n["affected"]) for n in result["not_evaluated"]} == {("AS", 2)}
    # Tex. Bus. & Com. Code § 521.053(b): name + diagnosis is sensitive personal information;
    # 2026-02-10 + 60 days = 2026-04-11.
    tx1 = next(o for o in result["obligations"] if o["rule_id"] == "TX1")
    assert tx1["jurisdiction"] == "TX" and tx1["due"] == "2026-04-11"
    # 73 P.S. § 2302 (Act 33 of 2024): clinical data alone are not a private entity's PA
    # personal information, so PA's duties are listed as not required, with why.
    pa = [n for n in result["not_required"] if n["rule_id"] == "PA1"]
    assert pa and "does not cover these data elements" in pa[0]["reason"]
    media = sorted(o["state"] for o in result["obligations"] if o["rule_id"] == "F3")
    assert media == ["NY", "PA"]
    f1 = next(o for o in result["obligations"] if o["rule_id"] == "F1")
    # 45 CFR 164.404(b): 2026-02-10 + 60 calendar days = 2026-04-11.
    assert f1["due"] == "2026-04-11" and f1["state"] is None


def test_deadlines_accepts_an_object_with_the_incident_key_on_stdin() -> None:
    code, out, _ = _run(["deadlines", "-"], json.dumps({"incident": incident(), "id": "X"}))
    assert code == 0
    assert any(o["rule_id"] == "F5" for o in json.loads(out)["obligations"])


def test_deadlines_ignores_unknown_keys() -> None:
    code, _, err = _run(["deadlines", "-"], json.dumps(incident(favourite_colour="blue")))
    assert code == 0 and err == ""


def test_hour_based_clock_carries_a_timestamp_with_offset() -> None:
    """23 NYCRR 500.17(a): 72 hours from 2026-06-12T15:00-04:00 is 2026-06-15T15:00-04:00."""
    data = incident(
        affected_by_state={"NY": 10},
        flags={"nydfs_covered_entity": True},
        dfs_determined_at="2026-06-12T15:00:00-04:00",
    )
    _, out, _ = _run(["deadlines", "-"], json.dumps(data))
    ny7 = next(o for o in json.loads(out)["obligations"] if o["rule_id"] == "NY7")
    assert ny7["due_at"] == "2026-06-15T15:00:00-04:00" and ny7["due"] == "2026-06-15"


def test_dfs_extortion_payment_clocks_in_new_york_time() -> None:
    """23 NYCRR 500.17(c): paid 14:00 PDT Tue 2026-07-14 = 17:00 EDT. NY8: + 24 h = 17:00 EDT
    Wed 2026-07-15 (given in New York time). NY9: 2026-07-14 + 30 = 2026-08-13."""
    data = incident(
        affected_by_state={"NY": 10},
        flags={"nydfs_covered_entity": True},
        dfs_ransom_paid_at="2026-07-14T14:00:00-07:00",
    )
    _, out, _ = _run(["deadlines", "-"], json.dumps(data))
    items = {o["rule_id"]: o for o in json.loads(out)["obligations"]}
    assert items["NY8"]["due_at"] == "2026-07-15T17:00:00-04:00"
    assert items["NY8"]["due"] == "2026-07-15"
    assert (items["NY9"]["due"], items["NY9"]["due_at"]) == ("2026-08-13", None)


def test_warnings_come_back_in_json_and_in_the_table() -> None:
    """Cal. Health & Safety Code 1280.15(c): a 74-day written hold at a CDPH facility is used but
    warned about (2026-03-02 + 60 = 2026-05-01 is the cap)."""
    data = incident(
        entity_type="ca_licensed_health_facility",
        affected_by_state={"CA": 3},
        breach_occurred_on="2026-02-27",
        discovered_on="2026-03-02",
        law_enforcement_delay={
            "form": "written",
            "statement_date": "2026-03-02",
            "delay_until": "2026-05-15",
        },
    )
    _, out, _ = _run(["deadlines", "-"], json.dumps(data))
    (warning,) = json.loads(out)["warnings"]
    assert "2026-05-01" in warning
    _, table, _ = _run(["deadlines", "-", "--format", "table"], json.dumps(data))
    assert "Warnings:" in table and "1280.15(c)" in table


def test_rules_catalogue_shows_the_dfs_extortion_payment_rules() -> None:
    _, out, _ = _run(["rules", "--format", "json"])
    rules = {r["rule_id"]: r for r in json.loads(out)}
    assert rules["NY8"]["citation"] == "23 NYCRR 500.17(c)(1)"
    assert rules["NY9"]["clock"] == "30 calendar days after the payment"
    _, table, _ = _run(["rules"])
    assert "500.17(c)(1)" in table and "500.17(c)(2)" in table


def test_internal_and_contractual_deadlines_are_labelled_never_legal() -> None:
    """docs/law/federal.md: internal targets and BAA windows never replace the legal date."""
    data = incident(
        internal_targets=[{"label": "Notify within 30 days", "days": 30}],
        contractual_deadlines=[{"label": "BAA: tell the client", "days": 5, "business_days": True}],
    )
    _, out, _ = _run(["deadlines", "-"], json.dumps(data))
    items = json.loads(out)["obligations"]
    kinds = {o["kind"]: o for o in items if o["kind"] in {"internal", "contractual"}}
    # 2026-02-10 + 30 = 2026-03-12. Five federal business days after Tue 2026-02-10:
    # 11, 12, 13, (14-15 weekend, 16 Washington's Birthday), 17, 18 -> 2026-02-18.
    assert kinds["internal"]["due"] == "2026-03-12"
    assert kinds["contractual"]["due"] == "2026-02-18"
    f1 = next(o for o in items if o["rule_id"] == "F1")
    assert f1["due"] == "2026-04-11" and f1["kind"] == "legal"


def test_table_format_sorts_by_due_date_and_lists_why_not() -> None:
    data = incident(affected_by_state={"NY": 600})
    code, out, _ = _run(["deadlines", "-", "--format", "table"], json.dumps(data))
    assert code == 0
    lines = [line for line in out.splitlines() if line[:4].isdigit()]
    dates = [line.split()[0] for line in lines]
    assert dates == sorted(dates) and len(dates) >= 4
    assert "Not required:" in out and "F5" in out


def test_provisional_state_duties_are_flagged_in_json_and_table() -> None:
    """9 V.S.A. § 2435(b)(1): Vermont residents within 45 days: 2026-02-10 + 45 = 2026-03-27;
    Vermont's rule set is provisional, so the duty says so and lists what is open."""
    data = incident(affected_by_state={"VT": 4, "TX": 4})
    _, out, _ = _run(["deadlines", "-"], json.dumps(data))
    found = {o["rule_id"]: o for o in json.loads(out)["obligations"]}
    assert found["VT1"]["due"] == "2026-03-27" and found["VT1"]["provisional"] is True
    assert "hipaa: one chart only" in found["VT1"]["open_points"]
    assert "provisional" not in found["TX1"] and "provisional" not in found["F1"]
    _, table, _ = _run(["deadlines", "-", "--format", "table"], json.dumps(data))
    vt1 = next(line for line in table.splitlines() if " VT1 " in line)
    assert "PROVISIONAL" in vt1
    tx1 = next(line for line in table.splitlines() if " TX1 " in line)
    assert "PROVISIONAL" not in tx1


@pytest.mark.parametrize(
    ("over", "message"),
    [
        (
            {"discovered_on": "2026-01-05", "breach_occurred_on": "2026-02-01"},
            "discovered_on: 2026-01-05 is before breach_occurred_on 2026-02-01",
        ),
        ({"discovered_on": "2026-02-30"}, "discovered_on: 2026-02-30 is not a real calendar date"),
        ({"affected_by_state": {"PA": -3}}, "affected_by_state.PA: -3 is not a non-negative"),
        ({"affected_by_state": {"PA": 2.5}}, "affected_by_state.PA: 2.5 is not a non-negative"),
        ({"affected_by_state": {"XX": 5}}, "affected_by_state.XX: 'XX' is not a U.S. State"),
        ({"data_elements": ["name", "shoe_size"]}, "data_elements: 'shoe_size' is not in"),
        (
            {"affected_by_state": {"PA": 10}, "total_affected": 9},
            "total_affected: 9 is less than the sum of affected_by_state (10)",
        ),
        ({"medium": "carrier pigeon"}, "medium: 'carrier pigeon' is not one of"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(
    over: dict[str, Any], message: str
) -> None:
    code, out, err = _run(["deadlines", "-"], json.dumps(incident(**over)))
    assert code == 2 and out == ""
    assert any(line.startswith(message) for line in err.splitlines()), err
    assert "Traceback" not in err


def test_every_problem_is_reported_at_once() -> None:
    data = incident(
        discovered_on="2026-13-01", affected_by_state={"ZZ": 1, "NY": "x"}, total_affected=None
    )
    code, _, err = _run(["deadlines", "-"], json.dumps(data))
    assert code == 2
    assert [line.split(":")[0] for line in err.splitlines()] == [
        "discovered_on",
        "affected_by_state.ZZ",
        "affected_by_state.NY",
    ]


def test_not_json_and_missing_file_exit_2(tmp_path: Path) -> None:
    assert _run(["deadlines", "-"], "{not json")[0] == 2
    code, _, err = _run(["deadlines", str(tmp_path / "missing.json")])
    assert code == 2 and "cannot read" in err


def test_rules_catalogue_lists_every_rule_id_of_rules_md_section_7() -> None:
    code, out, _ = _run(["rules", "--format", "json"])
    assert code == 0
    ids = {r["rule_id"] for r in json.loads(out)}
    assert ids == {
        "F1",
        "F2",
        "F3",
        "F4",
        "F5",
        "F6",
        "F7",
        "F8",
        "P2",
        "NY1",
        "NY2",
        "NY3-AG",
        "NY3-DOS",
        "NY3-SP",
        "NY4",
        "NY5",
        "NY6",
        "NY7",
        "NY8",
        "NY9",
        "NJ1",
        "NJ2",
        "NJ3",
        "NJ4",
        "CA1",
        "CA2",
        "CA3",
        "CA4",
        "CA5",
    }
    code, table, _ = _run(["rules"])
    assert "1798.82(a)(2)" in table and "discovered on or after 2026-01-01" in table


def test_console_script_runs_as_a_process(tmp_path: Path) -> None:
    path = _write(tmp_path, {"discovered_on": "2026-02-10", "breach_occurred_on": "2026-02-12"})
    proc = subprocess.run(
        [sys.executable, "-m", "incident_tracker", "deadlines", path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == "discovered_on: 2026-02-10 is before breach_occurred_on 2026-02-12"
    )
