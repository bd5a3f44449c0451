"""The incident register and the deadline board: lists with a constant number of queries per page,
restricted incidents filtered in SQL so they never reach anyone who may not see them."""

from __future__ import annotations

import json
from array import array
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    or_,
)
from sqlalchemy import select as core_select  # sqlmodel's select types at most 4 columns
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
    """Days left are counted in the organisation's time zone (one column, no ORM object: every
    register and incident page asks)."""
    return call.now.astimezone(ZoneInfo(zone_name(call))).date()


def zone_name(call: Call) -> str:
    """The organisation's time zone, kept for the data generation."""
    return call.remember(
        ZONE_KEY, lambda: str(call.session.execute(_TIME_ZONE).scalar() or "America/New_York")
    )


ZONE_KEY = ("time_zone",)


_TIME_ZONE = select(Organisation.time_zone).where(col(Organisation.id) == 1)


def visible_to(viewer: Any) -> ColumnElement[bool]:
    """Restricted incidents: owner and assignees only. `viewer` is a user id or a bind parameter
    (the register's statements are built once and reused)."""
    assigned = exists().where(
        col(IncidentAssignee.incident_id) == Incident.id,
        col(IncidentAssignee.user_id) == viewer,
    )
    return or_(col(Incident.restricted).is_(False), col(Incident.owner_id) == viewer, assigned)


def sees_all(call: Call) -> bool:
    return call.actor.trusted or call.actor.role == Role.ADMIN


def visible(call: Call) -> ColumnElement[bool]:
    """Restricted incidents: owner, assignees and admins only (404 for everyone else)."""
    if sees_all(call):
        return col(Incident.id).is_not(None)
    return visible_to(call.actor.user_id)


@dataclass(frozen=True)
class RegisterFilter:
    status: str = ""
    owner_id: int | None = None
    overdue: bool = False
    due_within: int | None = None
    jurisdiction: str = ""
    search: str = ""


def _open_duty(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
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


@dataclass(frozen=True)
class _Shape:
    """Which conditions a register query has; their values are bound at execution."""

    all_visible: bool
    status: bool
    owner: bool
    overdue: bool
    due_within: bool
    jurisdiction: bool
    search: bool


def _where(shape: _Shape) -> list[ColumnElement[bool]]:
    today, due = bindparam("today", type_=Date), col(ObligationRecord.due)
    where: list[ColumnElement[bool]] = []
    if not shape.all_visible:
        where.append(visible_to(bindparam("viewer", type_=Integer)))
    if shape.status:
        where.append(col(Incident.status) == bindparam("status", type_=String))
    if shape.owner:
        where.append(col(Incident.owner_id) == bindparam("owner", type_=Integer))
    if shape.overdue:
        where.append(_open_duty(due < today))
    if shape.due_within:
        where.append(_open_duty(due >= today, due <= bindparam("horizon", type_=Date)))
    if shape.jurisdiction:
        where.append(
            _open_duty(
                col(ObligationRecord.jurisdiction) == bindparam("jurisdiction", type_=String)
            )
        )
    if shape.search:
        where.append(
            or_(
                col(Incident.number) == bindparam("number", type_=String),
                col(Incident.title).contains(bindparam("term", type_=String)),
            )
        )
    return where


@cache
def _statements(shape: _Shape) -> tuple[Select[Any], Select[Any]]:
    """Every matching id in register order, and the rows of one page's ids; built once per
    shape of filter (SQLAlchemy's statement construction costs more than SQLite's answer)."""
    where = _where(shape)
    newest_first = (col(Incident.discovered_on).desc(), col(Incident.id).desc())
    ids = select(Incident.id).where(*where).order_by(*newest_first)
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
    page = (
        core_select(
            col(Incident.id),
            col(Incident.number),
            col(Incident.title),
            col(Incident.status),
            col(User.email),
            col(Incident.discovered_on),
            col(Incident.total_affected),
            next_due,
            col(Incident.restricted),
        )
        .join(User, col(User.id) == Incident.owner_id)
        .where(col(Incident.id).in_(bindparam("page_ids", expanding=True)))
        .order_by(*newest_first)
    )
    return ids, page


def register(call: Call, f: RegisterFilter, page: int) -> tuple[list[RegisterRow], int]:
    """One page of the incidents the user may see, newest discovery first, and how many match.

    The ordered ids of every match (one statement on the covering index ix_incident_register)
    are kept for the data generation (services/kept.py): paging through them, and counting them,
    then costs one statement for the page's 25 rows whatever the number of incidents."""
    call.require(Action.VIEW_INCIDENT)
    today = local_today(call)
    term = f.search.strip()
    shape = _Shape(
        sees_all(call),
        bool(f.status),
        bool(f.owner_id),
        f.overdue,
        f.due_within is not None,
        bool(f.jurisdiction),
        bool(term),
    )
    values: dict[str, Any] = {
        "viewer": call.actor.user_id,
        "status": f.status,
        "owner": f.owner_id,
        "today": today,
        "horizon": today + timedelta(days=f.due_within or 0),
        "jurisdiction": f.jurisdiction,
        "number": term.upper(),
        "term": term,
    }
    ids, rows = _statements(shape)
    db = call.session.connection()
    viewer = None if shape.all_visible else call.actor.user_id

    def every_match() -> array[int]:
        return array("q", db.execute(ids, values).scalars())

    # Search terms are not kept, even in memory (titles may carry sensitive words).
    key = ("register", viewer, shape, f, today)
    matching = every_match() if term else call.remember(key, every_match)
    chosen = list(matching[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    found = db.execute(rows, {"page_ids": chosen}).all()
    return [
        RegisterRow(
            key,
            number,
            title,
            status,
            owner,
            discovered,
            affected,
            due,
            (due - today).days if due else None,
            restricted,
        )
        for key, number, title, status, owner, discovered, affected, due, restricted in found
    ], len(matching)


def owner_choices(call: Call) -> list[tuple[int, str]]:
    """Active users for the register's owner filter (id and e-mail only), kept for the data
    generation."""
    return call.remember(
        ("active_users",),
        lambda: [(int(i), e) for i, e in call.session.connection().execute(_ACTIVE_USERS).all()],
    )


_ACTIVE_USERS = (
    select(User.id, User.email).where(col(User.is_active).is_(True)).order_by(col(User.email))
)


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


def _board_groups() -> dict[str, ColumnElement[bool]]:
    """Disjoint groups: overdue; waiting on another notice; due within 7 days; no fixed date."""
    due, outcome = col(ObligationRecord.due), col(ObligationRecord.outcome)
    today, week_end = bindparam("today", type_=Date), bindparam("week_end", type_=Date)
    return {
        "overdue": due < today,
        "waiting": and_(outcome == "waiting", due >= today),
        "week": and_(outcome != "waiting", due >= today, due <= week_end),
        "none": due.is_(None),
    }


@cache
def _board_statements(all_visible: bool) -> tuple[Any, dict[str, Any]]:
    """The board's count and one list per group, built once per visibility (the viewer, today
    and the week's end are bound at execution). Each list picks its 25 ids from the covering
    indexes (migration 0011) and only then reads those rows' columns, no ORM objects."""
    open_duty = and_(
        col(Incident.id).is_not(None)
        if all_visible
        else visible_to(bindparam("viewer", type_=Integer)),
        col(Incident.status).in_(("intake", "assessment", "notification")),
        col(ObligationRecord.live).is_(True),
        col(ObligationRecord.kind) == "legal",
        col(ObligationRecord.done_on).is_(None),
    )
    groups = _board_groups()
    count: Any = (
        core_select(*(func.count(case((condition, 1))) for condition in groups.values()))
        .select_from(ObligationRecord)
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .where(open_duty)
    )
    soonest = (col(ObligationRecord.due), col(ObligationRecord.id))
    lists: dict[str, Any] = {}
    for name, condition in groups.items():
        chosen = (
            select(ObligationRecord.id)
            .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
            .where(open_duty, condition)
            .order_by(*soonest)
            .limit(BOARD_GROUP_LIMIT)
        )
        lists[name] = (
            core_select(
                col(ObligationRecord.incident_id),
                col(Incident.number),
                col(Incident.title),
                col(ObligationRecord.rule_id),
                col(ObligationRecord.state),
                col(ObligationRecord.due),
                col(ObligationRecord.terms),
            )
            .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
            .where(col(ObligationRecord.id).in_(chosen))
            .order_by(*soonest)
        )
    return count, lists


def _board_item(row: Any, today: date) -> BoardItem:
    incident_id, number, title, rule_id, state, due, raw_terms = row
    terms: dict[str, Any] = json.loads(raw_terms)
    return BoardItem(
        incident_id,
        number,
        title,
        rule_id,
        state,
        terms["recipient"],
        terms["citation"],
        due,
        (due - today).days if due else None,
        terms.get("standard"),
        terms.get("waiting_for"),
    )


def board(call: Call) -> Board:
    """Open legal duties of open incidents the user may see, grouped for the home page: one
    count query and one query per group, whatever the number of incidents."""
    call.require(Action.VIEW_INCIDENT)
    today = local_today(call)
    count, lists = _board_statements(sees_all(call))
    values = {"viewer": call.actor.user_id, "today": today, "week_end": today + timedelta(days=7)}
    db = call.session.connection()
    counts = db.execute(count, values).one()
    found = {
        name: [_board_item(row, today) for row in db.execute(statement, values)]
        for name, statement in lists.items()
    }
    totals = dict(
        zip(("overdue", "waiting", "week", "none"), (int(n) for n in counts), strict=True)
    )
    return Board(found["overdue"], found["week"], found["waiting"], found["none"], today, totals)
