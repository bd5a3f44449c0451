"""Build a `Jurisdiction` from its entry in the project's `states.json`."""

from __future__ import annotations

from dataclasses import replace

from incident_tracker.core.states.model import (
    SETTLED_CONFIDENCE,
    Jurisdiction,
    Overrides,
    duties_of,
    load_data,
)
from incident_tracker.core.states.personal import definition
from incident_tracker.core.states.questions import QUESTIONS
from incident_tracker.core.states.refusals import gate


def build(code: str, overrides: Overrides | None = None) -> Jurisdiction:
    entry = load_data()[code]
    opened = [
        f"{name}: {level}"
        for name, level in entry["confidence"].items()
        if level not in SETTLED_CONFIDENCE
    ]
    opened += [f"open question: {q}" for q in QUESTIONS.get(code, ())]
    overrides = overrides or Overrides()
    scoped = dict(overrides.scoped)
    duties = tuple(
        replace(
            d,
            scope=scoped.get(d.rule_id),
            counts_residents=d.threshold is None
            or d.threshold.counts_residents(entry["jurisdiction"]),
        )
        for d in duties_of(entry)
    )
    pi = definition(entry)
    opened += list(pi.open_points)
    return Jurisdiction(
        code,
        entry["jurisdiction"],
        entry["status"],
        "; ".join(entry["citations"]),
        entry,
        duties,
        tuple(opened),
        pi,
        gate(code, entry, tuple((d.rule_id, d.role) for d in duties)),
        overrides,
    )
