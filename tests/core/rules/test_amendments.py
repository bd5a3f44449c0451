"""An amendment of a hand-written rule's day count is one dated value (docs/law/conventions.md).

Were GBL § 899-aa(2)'s 30 days cut to 20 for discoveries from 2027-01-01 (a fictional amendment),
the value added to new_york/parameters.py alone moves NY1's date from that discovery date on, not
before, and the rule table's clock names both counts: the rules read the parameter for each
discovery date and build their words from it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import date

import pytest

from incident_tracker.core.context import Context
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.jurisdictions.new_york import parameters as P
from incident_tracker.core.jurisdictions.new_york import residents
from incident_tracker.core.obligations import Obligation
from incident_tracker.core.parameters import CALENDAR_DAYS, Value, dated
from incident_tracker.core.rules.base import Rule
from tests.factories import incident

AMENDED = dated(
    "ny.resident_days",
    "NY",
    CALENDAR_DAYS,
    *(Value(p.effective_from, p.value, p.citation, p.note) for p in P.RESIDENT_DAYS),
    Value(date(2027, 1, 1), 20, "fictional amendment of 899-aa(2)"),
)


@pytest.fixture
def amended_rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Rule, ...]]:
    monkeypatch.setattr(P, "RESIDENT_DAYS", AMENDED)
    yield importlib.reload(residents).RESIDENT_RULES
    monkeypatch.undo()
    importlib.reload(residents)


def resident_notice(rules: tuple[Rule, ...], discovered: str) -> Obligation:
    """NY1 for 10 NY residents' names and SSNs, held by a business that is not a HIPAA entity."""
    facts = parse_incident(
        incident(
            discovered_on=discovered,
            breach_occurred_on="2026-12-01",
            flags={"hipaa_covered_entity": False},
            affected_by_state={"NY": 10},
            data_elements=["name", "ssn"],
        )
    )
    ctx = Context.build(facts)
    (rule,) = [r for r in rules if r.applies_on(facts.discovered_on)]
    (outcome,) = rule.evaluate(ctx)
    assert isinstance(outcome, Obligation)
    return outcome


def test_the_old_count_before_the_amendment(amended_rules: tuple[Rule, ...]) -> None:
    """Discovered 2026-12-31: 30 days, Dec 31 + 31 = Jan 31, less one = 2027-01-30."""
    ob = resident_notice(amended_rules, "2026-12-31")
    assert (ob.due, ob.due_basis) == (date(2027, 1, 30), "30 calendar days after discovery")


def test_the_new_count_from_the_amendment(amended_rules: tuple[Rule, ...]) -> None:
    """Discovered 2027-01-04: 20 days = 2027-01-24, in the reason too."""
    ob = resident_notice(amended_rules, "2027-01-04")
    assert (ob.due, ob.due_basis) == (date(2027, 1, 24), "20 calendar days after discovery")
    assert "within 20 days after discovery on 2027-01-04" in ob.reason


def test_the_clock_names_both_counts(amended_rules: tuple[Rule, ...]) -> None:
    assert amended_rules[-1].clock == (
        "30 (20 from 2027-01-01) calendar days after discovery (HIPAA entity: the HIPAA date)"
    )
