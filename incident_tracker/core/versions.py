"""Stable obligation identity and what a recompute changes (architecture.md §1.5).

An obligation is identified by (rule id, State, party) within its incident; each computation that
differs from the last becomes a new version, and an obligation no longer owed is retired, never
deleted, so the history stays visible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from incident_tracker.core.obligations import Obligation, Result

ObligationKey = tuple[str, str, str]  # (rule_id, state or "", party or "")


def key_of(o: Obligation) -> ObligationKey:
    return (o.rule_id, o.state or "", str(o.party) if o.party else "")


def snapshot(o: Obligation) -> dict[str, Any]:
    """The terms copied onto a version row, as JSON-ready values."""
    return o.to_json()


@dataclass
class Plan:
    new: list[Obligation] = field(default_factory=list)
    changed: list[Obligation] = field(default_factory=list)
    unchanged: list[ObligationKey] = field(default_factory=list)
    retired: list[ObligationKey] = field(default_factory=list)


def plan(previous: Mapping[ObligationKey, Mapping[str, Any] | None], result: Result) -> Plan:
    """Compare the latest live version of each obligation (None if retired) with a new result."""
    out = Plan()
    seen: set[ObligationKey] = set()
    for obligation in result.obligations:
        key = key_of(obligation)
        seen.add(key)
        if key not in previous:
            out.new.append(obligation)
        elif previous[key] != snapshot(obligation):
            out.changed.append(obligation)
        else:
            out.unchanged.append(key)
    out.retired = [k for k, v in previous.items() if v is not None and k not in seen]
    return out
