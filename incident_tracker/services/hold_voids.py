"""Voided law-enforcement statements.

A statement is documentation kept six years (45 CFR 164.412 and 164.530(j)), so a mistaken one
is voided, never deleted: the void is its audit row (action "hold.void", with the reason), which
the audit chain keeps unaltered. A voided statement no longer delays any notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, cast, exists
from sqlmodel import col, select

from incident_tracker.db.models import AuditEvent, LawEnforcementHold
from incident_tracker.services.call import Call

VOID_ACTION = "hold.void"
OBJECT_TYPE = "law_enforcement_hold"


def _void_of(hold_id: ColumnElement[str]) -> ColumnElement[bool]:
    return exists().where(
        col(AuditEvent.action) == VOID_ACTION,
        col(AuditEvent.object_type) == OBJECT_TYPE,
        col(AuditEvent.object_id) == hold_id,
    )


def in_effect() -> ColumnElement[bool]:
    """A `where` condition on LawEnforcementHold: not voided (one statement, no extra query)."""
    return ~_void_of(cast(col(LawEnforcementHold.id), String))


@dataclass(frozen=True)
class Void:
    at: datetime
    by: str
    reason: str


def voids_of(call: Call, hold_ids: list[int]) -> dict[int, Void]:
    """The void of each voided statement among `hold_ids` (one query; none when no ids)."""
    if not hold_ids:
        return {}
    rows = call.session.exec(
        select(AuditEvent).where(
            AuditEvent.action == VOID_ACTION,
            AuditEvent.object_type == OBJECT_TYPE,
            col(AuditEvent.object_id).in_([str(i) for i in hold_ids]),
        )
    )
    return {int(r.object_id or 0): Void(r.at, r.actor_email or "", r.detail or "") for r in rows}
