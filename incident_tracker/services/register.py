"""The incident register and the deadline board: lists with a constant number of queries per page,
restricted incidents filtered in SQL so they never reach anyone who may not see them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, exists, or_
from sqlmodel import col, func, select

from incident_tracker.core.permissions import Action, Role
from incident_tracker.db.models import (
    Incident,
    IncidentAssignee,
    ObligationRecord,
    Organisation,
    User,
)
from incident_tracker.services.call import Call

PAGE_SIZE = 25


def local_today(call: Call) -> date:
    """Days left are counted in the organisation's time zone."""
    org = call.session.get(Organisation, 1)
    zone = ZoneInfo(org.time_zone if org else "America/New_York")
    return call.now.astimezone(zone).date()


def visible(call: Call) -> ColumnElement[bool]:
    """Restricted incidents: owner, assignees and admins only (404 for everyone else)."""
    actor = call.actor
    if actor.trusted or actor.role == Role.ADMIN:
        return col(Incident.id).is_not(None)
    assigned = exists().where(
        col(IncidentAssignee.incident_id) == Incident.id,
        col(IncidentAssignee.user_id) == actor.user_id,
    )
    return or_(
        col(Incident.restricted).is_(False), col(Incident.owner_id) == actor.user_id, assigned
    )


@dataclass(frozen=True)
class RegisterFilter:
    status: str = ""
    owner_id: int | None = None
    overdue: bool = False
    due_within: int | None = None
    jurisdiction: str = ""
    search: str = ""


def _open_duty(today: date, *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(
        col(ObligationRecord.incident_id) == Incident.id,
        col(ObligationRecord.live).is_(True),
        col(ObligationRecord.done_on).is_(None),
        col(ObligationRecord.kind) == "legal",
        *conditions,
    )


@dataclass(frozen=True)
class RegisterRow:
    id: int
    number: str
    title: str
    status: str
    owner: str
    discovered_on: date
    total_affected: int
    next_due: date | None
    days_left: int | None
    restricted: bool


def register(call: Call, f: RegisterFilter, page: int) -> tuple[list[RegisterRow], int]:
    call.require(Action.VIEW_INCIDENT)
    today = local_today(call)
    where: list[ColumnElement[bool]] = [visible(call)]
    if f.status:
        where.append(col(Incident.status) == f.status)
    if f.owner_id:
        where.append(col(Incident.owner_id) == f.owner_id)
    if f.overdue:
        where.append(_open_duty(today, col(ObligationRecord.due) < today))
    if f.due_within is not None:
        horizon = today + timedelta(days=f.due_within)
        where.append(
            _open_duty(
                today, col(ObligationRecord.due) >= today, col(ObligationRecord.due) <= horizon
            )
        )
    if f.jurisdiction:
        where.append(_open_duty(today, col(ObligationRecord.jurisdiction) == f.jurisdiction))
    if f.search:
        term = f.search.strip()
        where.append(or_(col(Incident.number) == term.upper(), col(Incident.title).contains(term)))
    next_due = (
        select(func.min(ObligationRecord.due))
        .where(
            col(ObligationRecord.incident_id) == Incident.id,
            col(ObligationRecord.live).is_(True),
            col(ObligationRecord.done_on).is_(None),
            col(ObligationRecord.kind) == "legal",
        )
        .scalar_subquery()
    )
    total = int(
        call.session.exec(select(func.count()).select_from(Incident).where(and_(*where))).one()
    )
    rows = call.session.exec(
        select(Incident, User.email, next_due)
        .join(User, col(User.id) == Incident.owner_id)
        .where(and_(*where))
        .order_by(col(Incident.discovered_on).desc(), col(Incident.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return [
        RegisterRow(
            i.id or 0,
            i.number,
            i.title,
            i.status,
            email,
            i.discovered_on,
            i.total_affected,
            due,
            (due - today).days if due else None,
            i.restricted,
        )
        for i, email, due in rows
    ], total


@dataclass(frozen=True)
class BoardItem:
    incident_id: int
    number: str
    title: str
    rule_id: str
    state: str
    recipient: str
    citation: str
    due: date | None
    days_left: int | None
    standard: str | None
    waiting_for: str | None


@dataclass(frozen=True)
class Board:
    overdue: list[BoardItem]
    this_week: list[BoardItem]
    waiting: list[BoardItem]
    no_fixed_date: list[BoardItem]
    today: date
    totals: dict[str, int]


BOARD_GROUP_LIMIT = 25  # per group; the totals are always exact


def _board_groups(today: date) -> dict[str, ColumnElement[bool]]:
    """Disjoint groups: overdue; waiting on another notice; due within 7 days; no fixed date."""
    due, outcome = col(ObligationRecord.due), col(ObligationRecord.outcome)
    return {
        "overdue": due < today,
        "waiting": and_(outcome == "waiting", due >= today),
        "week": and_(outcome != "waiting", due >= today, due <= today + timedelta(days=7)),
        "none": due.is_(None),
    }


def _board_item(record: ObligationRecord, number: str, title: str, today: date) -> BoardItem:
    terms: dict[str, Any] = json.loads(record.terms)
    return BoardItem(
        record.incident_id,
        number,
        title,
        record.rule_id,
        record.state,
        terms["recipient"],
        terms["citation"],
        record.due,
        (record.due - today).days if record.due else None,
        terms.get("standard"),
        terms.get("waiting_for"),
    )


def board(call: Call) -> Board:
    """Open legal duties of open incidents the user may see, grouped for the home page: one
    count query and one query per group, whatever the number of incidents."""
    call.require(Action.VIEW_INCIDENT)
    today = local_today(call)
    open_duty = and_(
        visible(call),
        col(Incident.status).in_(("intake", "assessment", "notification")),
        col(ObligationRecord.live).is_(True),
        col(ObligationRecord.kind) == "legal",
        col(ObligationRecord.done_on).is_(None),
    )
    groups = _board_groups(today)
    counts = cast(
        tuple[int, ...],
        call.session.exec(
            select(*(func.count(case((condition, 1))) for condition in groups.values()))
            .select_from(ObligationRecord)
            .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
            .where(open_duty)
        ).one(),
    )
    lists: dict[str, list[BoardItem]] = {}
    for name, condition in groups.items():
        rows = call.session.exec(
            select(ObligationRecord, Incident.number, Incident.title)
            .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
            .where(open_duty, condition)
            .order_by(col(ObligationRecord.due), col(ObligationRecord.id))
            .limit(BOARD_GROUP_LIMIT)
        ).all()
        lists[name] = [_board_item(r, number, title, today) for r, number, title in rows]
    totals = dict(zip(groups, (int(n) for n in counts), strict=True))
    return Board(lists["overdue"], lists["week"], lists["waiting"], lists["none"], today, totals)
