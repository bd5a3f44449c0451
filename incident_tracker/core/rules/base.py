"""The shape every jurisdiction module fills in: a `Rule` value per obligation.

A rule carries what a lawyer checks against the statute (id from docs/law/rules.md, citation,
trigger and
clock in words, the dates it is in force) and a small function that applies it to one incident.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.obligations import NotRequired, Obligation

Outcome = Obligation | NotRequired
Evaluate = Callable[[Context], Iterable[Outcome]]


@dataclass(frozen=True, slots=True)
class Effective:
    """The discovery dates a rule version governs (docs/law/conventions.md: the discovery date
    decides)."""

    start: date | None = None
    end: date | None = None  # inclusive

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def describe(self) -> str:
        if self.start and self.end:
            return f"discovered {self.start} to {self.end}"
        if self.start:
            return f"discovered on or after {self.start}"
        if self.end:
            return f"discovered on or before {self.end}"
        return "always"


ALWAYS = Effective()


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    jurisdiction: str
    citation: str
    recipient: str
    trigger: str
    clock: str
    evaluate: Evaluate
    effective: Effective = ALWAYS
    version: int = 1

    def applies_on(self, discovered_on: date) -> bool:
        return self.effective.contains(discovered_on)
