"""The quicker `__init__` of the engine's frozen results keeps the dataclass's contract."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass
from datetime import date

import pytest

from incident_tracker.core.frozen import quick_init
from incident_tracker.core.obligations import NotRequired, Obligation, Status


@dataclass(frozen=True, slots=True)
class _Plain:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()


@quick_init
@dataclass(frozen=True, slots=True)
class _Quick:
    a: int
    b: str = "x"
    c: tuple[int, ...] = ()


def test_same_signature_defaults_and_values_as_the_generated_init() -> None:
    assert str(inspect.signature(_Quick)) == str(inspect.signature(_Plain))
    q = _Quick(1, c=(2,))
    assert (q.a, q.b, q.c) == (1, "x", (2,))
    assert q == _Quick(1, "x", (2,)) and hash(q) == hash(_Quick(1, "x", (2,)))
    with pytest.raises(TypeError):
        _Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Quick(1, d=3)  # type: ignore[call-arg]


def test_results_stay_frozen_and_replaceable() -> None:
    o = Obligation(
        "F1",
        "federal",
        "Individuals",
        "45 CFR 164.404",
        "why",
        date(2026, 1, 30),
        Status.DATED,
        state=None,
        party="covered_entity",
    )
    assert o.rule_version == 1 and o.open_points == () and o.party == "covered_entity"
    with pytest.raises(dataclasses.FrozenInstanceError):
        o.due = None  # type: ignore[misc]
    moved = dataclasses.replace(o, due=date(2026, 2, 2))
    assert moved.due == date(2026, 2, 2) and moved.reason == "why"
    n = NotRequired("NY1", "no NY residents", jurisdiction="NY")
    assert (n.state, n.jurisdiction) == (None, "NY")
    with pytest.raises(dataclasses.FrozenInstanceError):
        n.reason = "other"  # type: ignore[misc]
    assert inspect.signature(Obligation).parameters["kind"].default.value == "legal"
