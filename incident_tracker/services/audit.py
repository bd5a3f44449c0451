"""The audit trail: one row per change, in the same transaction as the change, HMAC-chained.

Each row's `mac` is HMAC-SHA256(AUDIT_KEY, previous mac + the row's content), so someone who can
write the database but does not hold the key cannot re-forge the chain after editing or deleting a
row; the database triggers refuse UPDATE and DELETE outright (architecture.md §1.4).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, text
from sqlmodel import Session, SQLModel, col, select

from incident_tracker.db.driver import Statements
from incident_tracker.db.models import AuditEvent

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did it, from where. `user_id` is None for anonymous events (failed sign-ins)."""

    user_id: int | None
    email: str | None
    role: str | None = None
    client_address: str | None = None
    # The operator at the command line or the system itself, outside any role: its commands are
    # run by whoever holds the server, so no role check applies.
    trusted: bool = False


SYSTEM = Actor(None, "system", trusted=True)


def _canonical(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)


_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_email",
    "action",
    "object_type",
    "object_id",
    "old_values",
    "new_values",
    "client_address",
    "detail",
)


def _content(row: AuditEvent | Mapping[str, Any]) -> bytes:
    values = row if isinstance(row, Mapping) else {f: getattr(row, f) for f in _FIELDS}
    fields = [values[f] for f in _FIELDS]
    fields[1] = fields[1].isoformat() if fields[1] else ""
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def compute_mac(key: str, prev_mac: str, row: AuditEvent | Mapping[str, Any]) -> str:
    return hmac.new(
        key.encode(), prev_mac.encode() + b"\n" + _content(row), hashlib.sha256
    ).hexdigest()


_AUDIT = SQLModel.metadata.tables[str(AuditEvent.__tablename__)]
# Built once: the dispatcher appends one row per e-mail, so statement construction shows up.
_HEAD = select(_AUDIT.c.id, _AUDIT.c.mac).order_by(_AUDIT.c.id.desc()).limit(1)
_APPEND = insert(_AUDIT)
_PG_LOCK = text("SELECT pg_advisory_xact_lock(7261123)")


def record(
    session: Session,
    key: str,
    actor: Actor,
    action: str,
    at: datetime,
    *,
    object_type: str | None = None,
    object_id: object = None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    detail: str | None = None,
    via: Statements | None = None,
) -> None:
    """Append one row in the caller's transaction, committed with the change itself; `via` the
    driver when the unit runs there (db/driver.py)."""
    session.flush()  # the caller's pending rows go first, as the ORM would before a query
    append(
        via or session.connection(),
        key,
        actor,
        action,
        at,
        object_type=object_type,
        object_id=object_id,
        old=old,
        new=new,
        detail=detail,
    )


def append(
    connection: Connection | Statements,
    key: str,
    actor: Actor,
    action: str,
    at: datetime,
    *,
    object_type: str | None = None,
    object_id: object = None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    detail: str | None = None,
) -> None:
    """`record` on a Core connection already inside a write transaction: a plain INSERT after
    reading the head inside that transaction (the reminder dispatcher writes one per e-mail).

    Writers are serialised, so the head read here is still the head at commit: SQLite runs
    writes under BEGIN IMMEDIATE, PostgreSQL takes a transaction-scoped advisory lock. The head
    is the last primary key (an index seek), never cached across transactions, because the web
    processes append to the same chain."""
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_LOCK)
    head = connection.execute(_HEAD).first()
    values: dict[str, Any] = {
        "id": (head[0] or 0) + 1 if head else 1,
        "at": at.astimezone(UTC),
        "actor_id": actor.user_id,
        "actor_email": actor.email,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "old_values": _canonical(old),
        "new_values": _canonical(new),
        "client_address": actor.client_address,
        "detail": detail,
        "prev_mac": head[1] if head else GENESIS,
    }
    values["mac"] = compute_mac(key, values["prev_mac"], values)
    connection.execute(_APPEND, values)


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    head: str
    message: str
    first_bad_id: int | None = None


def verify(session: Session, key: str, checkpoint: str | None = None) -> Verification:
    """Walk the chain from the first row: ids without gaps, each prev_mac the previous mac, each
    mac recomputed. A checkpoint "COUNT:MAC" taken earlier detects a cut tail."""
    prev, expected_id, count = GENESIS, 1, 0
    for row in session.exec(select(AuditEvent).order_by(col(AuditEvent.id))):
        if row.id != expected_id:
            return Verification(False, count, prev, f"row {expected_id} is missing", expected_id)
        if row.prev_mac != prev or compute_mac(key, prev, row) != row.mac:
            return Verification(
                False, count, prev, f"row {row.id} does not match the chain", row.id
            )
        prev, expected_id, count = row.mac, expected_id + 1, count + 1
    if checkpoint:
        problem = _check_checkpoint(session, checkpoint, count)
        if problem:
            return Verification(False, count, prev, problem, None)
    return Verification(True, count, prev, f"audit chain intact: {count} rows, head {prev}")


def _check_checkpoint(session: Session, checkpoint: str, count: int) -> str | None:
    try:
        want_count_text, want_mac = checkpoint.strip().split(":", 1)
        want_count = int(want_count_text)
    except ValueError:
        return f"checkpoint {checkpoint!r} is not in the form COUNT:MAC"
    if count < want_count:
        return f"the trail has {count} rows but the checkpoint recorded {want_count}: tail cut"
    if want_count == 0:
        return None
    row = session.get(AuditEvent, want_count)
    if row is None or row.mac != want_mac:
        return f"row {want_count} does not carry the checkpoint's mac"
    return None


def checkpoint(session: Session) -> str:
    """ "COUNT:MAC" of the head, to keep outside the database."""
    count = session.exec(select(func.count()).select_from(AuditEvent)).one()
    head = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    return f"{count}:{head.mac if head else GENESIS}"


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    """One event prepared for display: old -> new values per field."""

    id: int
    at: str
    actor: str
    action: str
    object: str
    changes: tuple[Change, ...]
    detail: str | None
    client_address: str | None


def _changes(row: AuditEvent) -> tuple[Change, ...]:
    old = json.loads(row.old_values) if row.old_values else {}
    new = json.loads(row.new_values) if row.new_values else {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ()
    shown = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name, ""), new.get(name, "")
        if before != after:
            shown.append(
                Change(
                    name, "" if before is None else str(before), "" if after is None else str(after)
                )
            )
    return tuple(shown)


def search(session: Session, f: AuditFilter, page: int, size: int) -> tuple[list[AuditRow], int]:
    """Newest first; a constant number of queries per page (one count, one page)."""
    query = select(AuditEvent)
    if f.action:
        query = query.where(col(AuditEvent.action).startswith(f.action))
    if f.actor:
        query = query.where(col(AuditEvent.actor_email).contains(f.actor.lower()))
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id:
        query = query.where(AuditEvent.object_id == f.object_id)
    if f.since:
        query = query.where(AuditEvent.at >= f.since)
    if f.until:
        query = query.where(AuditEvent.at <= f.until)
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    events = session.exec(
        query.order_by(col(AuditEvent.id).desc()).offset((page - 1) * size).limit(size)
    ).all()
    rows = [
        AuditRow(
            e.id or 0,
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_email or "—",
            e.action,
            f"{e.object_type or ''} {e.object_id or ''}".strip(),
            _changes(e),
            e.detail,
            e.client_address,
        )
        for e in events
    ]
    return rows, total
