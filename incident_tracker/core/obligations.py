"""What the engine returns: obligations, duties not owed (with why), and States not evaluated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from incident_tracker.core.facts import DeadlineKind
from incident_tracker.core.frozen import quick_init


class Status(StrEnum):
    """The three outcomes of docs/law/conventions.md (plus records, which have no deadline at
    all)."""

    DATED = "dated"
    WAITING = "waiting"  # dated from an anchor notice's latest permitted date until it is sent
    NO_FIXED_DEADLINE = "no_fixed_deadline"
    RECORD = "record"


class Party(StrEnum):
    COVERED_ENTITY = "covered_entity"
    BUSINESS_ASSOCIATE = "business_associate"


@quick_init
@dataclass(frozen=True, slots=True)
class Obligation:
    rule_id: str
    jurisdiction: str
    recipient: str
    citation: str
    reason: str
    due: date | None
    status: Status
    state: str | None = None
    due_at: datetime | None = None
    alt_due: date | None = None
    alt_due_reason: str | None = None
    outer_limit: date | None = None
    not_before: date | None = None
    must_precede: str | None = None
    keep_until: date | None = None
    practical_latest: date | None = None
    # A `Party` value; for a business associate with several covered-entity clients, the
    # covered-entity duties name the client instead.
    party: str | None = None
    kind: DeadlineKind = DeadlineKind.LEGAL
    due_basis: str | None = None
    standard: str | None = None
    waiting_for: str | None = None
    retain_years: int | None = None
    disputed: bool = False
    calendar: str | None = None
    rule_version: int = 1
    # A duty computed from a rule set not yet certified (or a field of it below "two charts
    # agree"): shown as "provisional — confirm with counsel", with what is still open.
    provisional: bool = False
    open_points: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = {k: _jsonable(v) for k, v in asdict(self).items()}
        if self.provisional:
            out["open_points"] = list(self.open_points)
        else:  # settled duties keep their JSON (and stored snapshots) unchanged
            del out["provisional"], out["open_points"]
        return out


@quick_init
@dataclass(frozen=True, slots=True)
class NotRequired:
    rule_id: str
    reason: str
    state: str | None = None
    jurisdiction: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "state": self.state,
            "jurisdiction": self.jurisdiction,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class NotEvaluated:
    state: str
    affected: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "affected": self.affected, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Result:
    obligations: tuple[Obligation, ...]
    not_required: tuple[NotRequired, ...]
    not_evaluated: tuple[NotEvaluated, ...]
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "obligations": [o.to_json() for o in self.obligations],
            "not_required": [n.to_json() for n in self.not_required],
            "not_evaluated": [n.to_json() for n in self.not_evaluated],
            "warnings": list(self.warnings),
        }

    def find(self, rule_id: str, state: str | None = None) -> Obligation | None:
        for o in self.obligations:
            if o.rule_id == rule_id and (state is None or o.state == state):
                return o
        return None


def _jsonable(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value
