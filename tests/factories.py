"""Small builders for test incidents in the the incident JSON format (README.md, Calculator) input
format."""

from __future__ import annotations

from typing import Any

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.obligations import NotRequired, Obligation, Result


def incident(**over: Any) -> dict[str, Any]:
    """A HIPAA covered entity's electronic breach of 100 PA residents' name + diagnosis,
    discovered 2026-02-10; override any §10 key (flags merge into the default flags)."""
    base: dict[str, Any] = {
        "entity_type": "covered_entity",
        "flags": {
            "hipaa_covered_entity": True,
            "ca_licensed_health_facility": False,
            "nydfs_covered_entity": False,
            "business_associate_is_agent_of_ce": None,
            "part2_program": False,
        },
        "breach_occurred_on": "2026-02-06",
        "discovered_on": "2026-02-10",
        "affected_by_state": {"PA": 100},
        "data_elements": ["name", "diagnosis"],
        "medium": "electronic",
        "acquired": None,
        "phi_encrypted": False,
        "encryption_key_compromised": None,
        "exception": None,
        "risk_assessment": "not_low_probability",
        "law_enforcement_delay": None,
        "notices_sent": {"individuals": None, "hhs": None},
    }
    flags = over.pop("flags", None)
    if flags:
        base["flags"] = {**base["flags"], **flags}
    base.update(over)
    if "total_affected" not in over:
        base["total_affected"] = sum(base["affected_by_state"].values())
    return base


def run(**over: Any) -> Result:
    return compute(parse_incident(incident(**over)))


def owed(result: Result, rule_id: str, state: str | None = None) -> Obligation:
    found = result.find(rule_id, state)
    assert found is not None, f"{rule_id} should be owed; not_required: {why_not(result, rule_id)}"
    return found


def not_owed(result: Result, rule_id: str) -> NotRequired:
    assert all(o.rule_id != rule_id for o in result.obligations), f"{rule_id} must not be owed"
    reasons = [n for n in result.not_required if n.rule_id == rule_id]
    assert reasons, f"{rule_id} must come back in not_required with a reason"
    return reasons[0]


def why_not(result: Result, rule_id: str) -> list[str]:
    return [n.reason for n in result.not_required if n.rule_id == rule_id]
