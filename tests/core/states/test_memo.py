"""Kept State duties (core/states/memo.py) equal freshly computed ones: incidents one fact apart
must not share an entry unless their duties agree."""

from __future__ import annotations

from typing import Any

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.obligations import Result
from incident_tracker.core.states import JURISDICTIONS, memo
from tests.factories import incident

BA = {
    "entity_type": "business_associate",
    "flags": {"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": False},
}
# One fact changed at a time; each is read by some jurisdiction's rule set.
CHANGES: list[dict[str, Any]] = [
    {},
    {"discovered_on": "2026-02-13", "breach_occurred_on": "2026-02-13"},
    {"determined_on": "2026-03-20"},
    {"medium": "paper"},
    {"flags": {"government_entity": True}},
    {"flags": {"information_broker": True}},
    {"flags": {"insurance_licensee": True}},
    {"flags": {"insurance_licensee": False}},
    {"flags": {"hipaa_covered_entity": False}},
    {"total_affected": 20_000},
    {"notices_sent": {"individuals": "2026-02-20", "hhs": None}},
    {"notices_sent": {"individuals": None, "hhs": "2026-02-24"}},
    {"risk_assessment": "low_probability_documented"},
    {
        "law_enforcement_delay": {
            "form": "written",
            "statement_date": "2026-02-11",
            "delay_until": "2026-04-30",
        }
    },
    {"acquired": False},
    {"phi_encrypted": True, "encryption_key_compromised": False},
    {"data_elements": ["name", "diagnosis"]},
    BA,
    {**BA, "ce_notified_by_ba_on": "2026-02-19"},
]
NOT_HIPAA = {"flags": {"hipaa_covered_entity": False}}
# The same changes where no HIPAA letter (F1) carries them: only the State facts differ.
CHANGES += [
    {**NOT_HIPAA, "discovered_on": "2026-02-13", "breach_occurred_on": "2026-02-13"},
    {**NOT_HIPAA, **CHANGES[13]},
    {"risk_assessment": "low_probability_documented", **NOT_HIPAA},
]
COUNTS = (1, 250, 501, 1_001, 10_001)


def cases() -> list[dict[str, Any]]:
    out = []
    for code in JURISDICTIONS:
        for count in COUNTS:
            for change in CHANGES:
                over = {
                    "affected_by_state": {code: count},
                    "data_elements": ["name", "diagnosis", "ssn"],
                    "acquired": True,
                    **change,
                }
                if "flags" in change:
                    over["flags"] = {**(BA["flags"] if change is BA else {}), **change["flags"]}
                out.append(incident(**over))
    return out


def test_kept_duties_equal_fresh_ones_for_incidents_one_fact_apart() -> None:
    incidents = [parse_incident(raw) for raw in cases()]
    memo.forget()
    kept = [compute(facts) for facts in incidents]  # later incidents may meet earlier entries
    again = [compute(facts) for facts in incidents]  # every one from the store
    fresh: list[Result] = []
    for facts in incidents:
        memo.forget()
        fresh.append(compute(facts))
    mismatched = [i for i, (k, f) in enumerate(zip(kept, fresh, strict=True)) if k != f]
    assert mismatched == []
    assert again == fresh


def test_a_second_computation_reads_the_store() -> None:
    facts = parse_incident(incident(affected_by_state={"TX": 300}, data_elements=["name", "ssn"]))
    memo.forget()
    first = compute(facts)
    kept_entries = len(memo._KEPT)
    assert kept_entries == 1
    assert compute(facts) == first and len(memo._KEPT) == kept_entries
