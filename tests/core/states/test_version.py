"""The rule-set version counsel's review is recorded against: it changes when the jurisdiction's
data entry, its code overrides or its open questions change, and only then."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import pytest

from incident_tracker.core.states import JURISDICTIONS
from incident_tracker.core.states import version as version_module
from incident_tracker.core.states.model import Overrides
from incident_tracker.core.states.version import fingerprint, version


def _reordered(value: Any) -> Any:
    """The same JSON value with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


def test_every_jurisdiction_has_its_own_version() -> None:
    versions = {code: version(j) for code, j in JURISDICTIONS.items()}
    assert len(set(versions.values())) == 51
    assert all(len(v) == 12 and int(v, 16) >= 0 for v in versions.values())


def test_the_version_is_stable_for_an_equal_entry_in_any_key_order() -> None:
    tx = JURISDICTIONS["TX"]
    same = replace(tx, data=_reordered(json.loads(json.dumps(tx.data))))
    assert list(same.data) != list(tx.data)
    assert version(same) == version(tx)
    assert version(tx) == version(JURISDICTIONS["TX"])


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e["regulator_notices"][0]["threshold"].update(count=251),
        lambda e: e["resident_notice"]["deadline"].update(days=45),
        lambda e: e["personal_information"].update(medical=False),
        lambda e: e.update(status="provisional"),
    ],
    ids=["threshold", "clock", "definition", "status"],
)
def test_a_change_to_the_data_entry_gives_a_new_version(
    change: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tx = JURISDICTIONS["TX"]
    before = version(tx)
    entry = copy.deepcopy(tx.data)
    change(entry)
    monkeypatch.setitem(JURISDICTIONS, "TX", replace(tx, data=entry))
    assert version(JURISDICTIONS["TX"]) != before
    assert version(tx) == before  # the registered copy is untouched


def test_a_change_to_the_code_overrides_gives_a_new_version() -> None:
    tx = JURISDICTIONS["TX"]
    assert tx.overrides.roll_forward is True  # Tex. Gov't Code 311.014(b)
    without = replace(tx, overrides=replace(tx.overrides, roll_forward=False))
    assert version(without) != version(tx)
    ma = JURISDICTIONS["MA"]
    shorter = replace(ma.overrides, letter_prohibitions=ma.overrides.letter_prohibitions[:1])
    assert version(replace(ma, overrides=shorter)) != version(ma)


def test_a_change_to_the_open_questions_gives_a_new_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ia = JURISDICTIONS["IA"]
    before = version(ia)
    monkeypatch.setitem(version_module.QUESTIONS, "IA", ("another question for counsel",))
    assert version(ia) != before


def test_the_fingerprint_reads_every_part() -> None:
    entry: dict[str, Any] = {"code": "XX", "status": "certified"}
    base = fingerprint(entry, Overrides(), ())
    assert fingerprint({**entry, "status": "provisional"}, Overrides(), ()) != base
    assert fingerprint(entry, Overrides(roll_forward=True), ()) != base
    assert fingerprint(entry, Overrides(), ("q",)) != base
    assert fingerprint(dict(reversed(list(entry.items()))), Overrides(), ()) == base
