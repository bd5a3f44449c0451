"""The project's copy of the State rule sets and their use agree; every provisional
jurisdiction's duties appear flagged, with their open points."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import pytest

from incident_tracker.core.jurisdictions.registry import EVALUATED_STATES
from incident_tracker.core.states import JURISDICTIONS
from incident_tracker.core.vocabulary import STATES
from tests.factories import run

DATA = json.loads(
    files("incident_tracker").joinpath("data/states.json").read_text(encoding="utf-8")
)["jurisdictions"]
CERTIFIED = {"AL", "AZ", "DE", "GA", "IA", "KS", "LA", "MA", "ND", "NM", "PR", "TX", "VI"}
PROVISIONAL = sorted(j["code"] for j in DATA if j["code"] not in CERTIFIED)
LOW = {"one chart only", "unsure"}


def test_every_jurisdiction_in_the_data_is_registered_and_nothing_else() -> None:
    codes = [j["code"] for j in DATA]
    assert len(codes) == 51 and set(codes) == set(JURISDICTIONS)
    assert set(codes) | EVALUATED_STATES == STATES - {"AS", "MP"}
    assert {c for c, j in JURISDICTIONS.items() if j.certified} == CERTIFIED
    assert len(PROVISIONAL) == 38


@pytest.mark.parametrize("entry", DATA, ids=[j["code"] for j in DATA])
def test_rule_ids_follow_residents_regulators_cras_owner(entry: dict[str, Any]) -> None:
    """XX1 residents, then each regulator, then the CRAs, then the owner, numbered in order."""
    code = entry["code"]
    roles = ["residents"] + ["regulator"] * len(entry["regulator_notices"])
    if entry["cra_notice"].get("rule_id"):
        roles.append("cra")
    roles.append("owner")
    duties = JURISDICTIONS[code].duties
    assert [(d.rule_id, d.role) for d in duties] == [
        (f"{code}{i}", role) for i, role in enumerate(roles, start=1)
    ]
    assert duties[0].rule_id == entry["resident_notice"]["rule_id"]
    assert [d.rule_id for d in duties[1 : 1 + len(entry["regulator_notices"])]] == [
        r["rule_id"] for r in entry["regulator_notices"]
    ]
    assert duties[-1].rule_id == entry["vendor_to_owner"]["rule_id"]


def test_texas_ids_match_the_specification_example() -> None:
    assert [(d.rule_id, d.role) for d in JURISDICTIONS["TX"].duties] == [
        ("TX1", "residents"),
        ("TX2", "regulator"),
        ("TX3", "cra"),
        ("TX4", "owner"),
    ]
    assert [d.rule_id for d in JURISDICTIONS["DE"].duties] == ["DE1", "DE2", "DE3"]


@pytest.mark.parametrize("code", PROVISIONAL)
def test_provisional_duties_appear_flagged_with_their_open_points(code: str) -> None:
    """A non-HIPAA entity (no deemer applies) with an SSN breach of 20,000 residents: every duty
    the data give is owed or refused with a reason, and every owed one is provisional."""
    entry = next(j for j in DATA if j["code"] == code)
    low = {f"{k}: {v}" for k, v in entry["confidence"].items() if v in LOW}
    result = run(
        affected_by_state={code: 20_000},
        data_elements=["name", "ssn"],
        acquired=True,
        discovered_on="2026-03-02",
        breach_occurred_on="2026-02-27",
        flags={"hipaa_covered_entity": False, "insurance_licensee": True},
    )
    ids = {d.rule_id for d in JURISDICTIONS[code].duties}
    owed = [o for o in result.obligations if o.jurisdiction == code]
    refused = {n.rule_id for n in result.not_required if n.jurisdiction == code}
    assert {o.rule_id for o in owed} | refused == ids
    assert f"{code}1" in {o.rule_id for o in owed}
    for o in owed:
        item = o.to_json()
        assert item["provisional"] is True
        assert low <= set(item["open_points"]), code
    assert result.not_evaluated == ()


@pytest.mark.parametrize("code", ["DC", "CT", "SD", "OR", "RI", "PA", "AR", "MO", "WA", "MI"])
def test_the_open_questions_for_counsel_are_listed(code: str) -> None:
    points = JURISDICTIONS[code].open_points
    assert any(p.startswith("open question: ") for p in points)


@pytest.mark.parametrize("code", PROVISIONAL)
def test_provisional_vendor_notice_is_flagged(code: str) -> None:
    result = run(
        entity_type="business_associate",
        flags={"hipaa_covered_entity": False, "business_associate_is_agent_of_ce": False},
        affected_by_state={code: 5},
        data_elements=["name", "ssn"],
        acquired=True,
    )
    owner = JURISDICTIONS[code].duties[-1].rule_id
    found = result.find(owner)
    if JURISDICTIONS[code].deemer in ("exempt", "full"):
        assert found is None
    else:
        assert found is not None and found.provisional and found.party == "business_associate"


def test_phi_only_triggers_matches_the_definition_mapping() -> None:
    """'yes': name + diagnosis + member ID triggers; 'no': it does not; 'partial': AR and MT
    clinical data yes, an insurance number alone no."""
    phi = frozenset({"name", "diagnosis", "insurance_member_id"})
    for entry in DATA:
        j = JURISDICTIONS[entry["code"]]
        covered = j.pi.covered(phi, government=False)
        if entry["phi_only_triggers"] == "yes":
            assert covered, entry["code"]
        if entry["phi_only_triggers"] == "no":
            assert not covered, entry["code"]
    for code in ("AR", "MT"):
        pi = JURISDICTIONS[code].pi
        assert pi.covered(frozenset({"name", "diagnosis"}), government=False)
        assert not pi.covered(frozenset({"name", "insurance_member_id"}), government=False)
