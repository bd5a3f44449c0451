"""Adding a jurisdiction is one folder plus one registry line, and an amendment is one dated value.

A throw-away jurisdiction "ZZ" (a fictitious regulator, clearly test-only) with one duty of 45
calendar days after discovery is added to the registry's line of jurisdictions; every list the
registry derives, the engine's obligations and `rules --at` then carry it. Dates are counted by
hand: 2026-03-02 + 45 days = 2026-04-16 (March has 31 days: 29 to 03-31, 16 more).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import fields
from datetime import date
from typing import Any

import pytest

from incident_tracker.cli import main
from incident_tracker.core import engine, facts, risk
from incident_tracker.core.assessment.answers import Answers, Situation
from incident_tracker.core.assessment.questions import YES_NO, Question, Step
from incident_tracker.core.engine import compute
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.jurisdictions import registry
from incident_tracker.core.jurisdictions.model import Jurisdiction
from incident_tracker.core.parameters import CALENDAR_DAYS, Parameter, Value, dated
from incident_tracker.core.rules.shapes import DaysAfter
from incident_tracker.core.rules.terms import Terms, duty
from tests.core.test_risk_walks import ELECTRONIC, low_probability
from tests.factories import incident

CITATION = "Test-only Code § 1 (fictitious)"
AMENDED_ON = date(2026, 7, 1)


def _rule_days(*values: Value) -> tuple[Parameter, ...]:
    return dated("zz.regulator_days", "ZZ", CALENDAR_DAYS, *values)


DAYS = _rule_days(Value(None, 45, CITATION))
# The same parameter with one amendment: 30 days for incidents discovered from 2026-07-01.
AMENDED = _rule_days(Value(None, 45, CITATION), Value(AMENDED_ON, 30, f"{CITATION}, as amended"))

STEP = Step(
    "zz_determination",
    "Test jurisdiction: the determination",
    CITATION,
    "A test-only question.",
    (Question("zz_no_harm", "Is harm unlikely?", choices=YES_NO),),
)


def _made(answers: Answers, _decision: risk.Decision, signed_on: date) -> date | None:
    return signed_on if answers.get("zz_no_harm") == "yes" else None


def _reason(made: date | str, _situation: Situation) -> risk.Reason:
    return risk.Reason(f"Test jurisdiction: determination of {made}.", CITATION)


RISK = risk.StateRisk(
    determinations=(risk.Determination("zz_determination", "zz_determined_on", _made, _reason),)
)


def _jurisdiction(days: tuple[Parameter, ...]) -> Jurisdiction:
    """The folder's `Jurisdiction`: one duty whose day count is the dated parameter `days`."""
    terms = Terms(
        rule_id="ZZ1",
        jurisdiction="ZZ",
        citation=CITATION,
        recipient="the Test Regulator",
        trigger="any breach of unsecured PHI",
        shape=DaysAfter(days=days),
        why_not=lambda _ctx: None,
    )
    return Jurisdiction(
        code="ZZ",
        name="Test Jurisdiction",
        law_page="docs/law/federal.md",
        rules=(duty(terms),),
        parameters=days,
        state=False,
        done_feeds=(("ZZ1", "zz_regulator"),),
        assessment=lambda: (STEP,),
        risk=lambda: RISK,
    )


ZZ = _jurisdiction(DAYS)


def _register(monkeypatch: pytest.MonkeyPatch, added: Jurisdiction) -> Iterator[None]:
    """The one registry line: `added` after the others, and every list derived again."""
    line = (*registry.JURISDICTIONS, added)
    derived = registry.derive(line)
    monkeypatch.setattr(registry, "JURISDICTIONS", line)
    for f in fields(registry.Derived):
        monkeypatch.setattr(registry, f.name.upper(), getattr(derived, f.name))
    # The engine and the incident reader keep what they read of the registry at first use.
    monkeypatch.setattr(engine, "RULES", derived.rules)
    engine._rules_for.cache_clear()
    facts._other_sent_keys.cache_clear()
    yield
    engine._rules_for.cache_clear()
    facts._other_sent_keys.cache_clear()


@pytest.fixture
def with_zz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _register(monkeypatch, ZZ)


@pytest.fixture
def with_amended_zz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _register(monkeypatch, _jurisdiction(AMENDED))


def _due(discovered_on: str) -> date | None:
    result = compute(parse_incident(incident(discovered_on=discovered_on)))
    found = [o for o in result.obligations if o.rule_id == "ZZ1"]
    assert len(found) == 1
    return found[0].due


def _law(day: str) -> dict[str, Any]:
    out = io.StringIO()
    code = main(
        ["rules", "--at", day, "--format", "json"], out=out, err=io.StringIO(), stdin=io.StringIO()
    )
    assert code == 0
    law: dict[str, Any] = json.loads(out.getvalue())
    return law


def _days_in_force(day: str) -> list[int]:
    return [p["value"] for p in _law(day)["parameters"] if p["name"] == "zz.regulator_days"]


def test_without_the_line_the_jurisdiction_is_nowhere() -> None:
    """Guard against a test that cannot fail: the lists below are the registry's own."""
    assert "ZZ" not in registry.codes()
    assert "ZZ1" not in {r.id for r in registry.RULES}
    assert _days_in_force("2026-03-02") == []


@pytest.mark.usefixtures("with_zz")
def test_the_engine_owes_the_new_duty_on_the_hand_counted_date() -> None:
    assert _due("2026-03-02") == date(2026, 4, 16)


@pytest.mark.usefixtures("with_zz")
def test_rules_at_lists_its_rule_and_dated_value() -> None:
    law = _law("2026-03-02")
    assert [r["rule_id"] for r in law["rules"]][-1] == "ZZ1"
    assert _days_in_force("2026-03-02") == [45]


@pytest.mark.usefixtures("with_zz")
def test_every_derived_list_carries_it() -> None:
    assert registry.codes()[-1] == "ZZ"
    assert registry.BY_CODE["ZZ"] is ZZ
    assert registry.DONE_FEEDS["ZZ1"] == "zz_regulator"
    assert registry.value("zz.regulator_days", date(2026, 3, 2)) == 45
    assert "ZZ" not in registry.EVALUATED_STATES  # a regulator, not a State
    assert registry.assessment_steps()[-1] is STEP
    assert registry.in_words("Federal").endswith(" and Test Jurisdiction")
    # Its done feed is read from the incident's `notices_sent` under its own key.
    parsed = parse_incident(incident(notices_sent={"zz_regulator": "2026-03-20"}))
    assert parsed.notices_sent.get("zz_regulator") == date(2026, 3, 20)


@pytest.mark.usefixtures("with_zz")
def test_its_determination_is_a_signed_fact_with_its_reason() -> None:
    answers = {**low_probability(), "zz_no_harm": "yes"}
    signed = risk.signed_facts(answers, ELECTRONIC, date(2026, 3, 9), {"zz_determination"})
    assert signed.to_json()["zz_determined_on"] == "2026-03-09"
    decision = risk.decision_of(answers, risk.assess(answers, ELECTRONIC))
    reasons = risk.state_reasons(signed, ELECTRONIC, decision)
    assert [r.text for r in reasons] == ["Test jurisdiction: determination of 2026-03-09."]
    # Not asked (the walk did not show its step): not set.
    unasked = risk.signed_facts(answers, ELECTRONIC, date(2026, 3, 9), ())
    assert unasked.to_json()["zz_determined_on"] is None


@pytest.mark.usefixtures("with_amended_zz")
@pytest.mark.parametrize(
    ("discovered_on", "days", "due"),
    [
        # 2026-06-30 + 45 = 2026-08-14 (July has 31 days: 31 to 07-31, 14 more).
        ("2026-06-30", 45, date(2026, 8, 14)),
        # 2026-07-01 + 30 = 2026-07-31.
        ("2026-07-01", 30, date(2026, 7, 31)),
    ],
)
def test_an_amendment_is_one_dated_value(discovered_on: str, days: int, due: date) -> None:
    assert _due(discovered_on) == due
    assert _days_in_force(discovered_on) == [days]
