"""The incident register and the deadline board: lists with a constant number of queries per page,
restricted incidents filtered in SQL so they never reach anyone who may not see them."""

from __future__ import annotations

import json
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, replace
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

from incident_tracker.core import lifecycle
from incident_tracker.core.next_action import STEP_WORDS, Step, party_words, step_for
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import (
    Incident,
    IncidentAssignee,
    Notice,
    ObligationRecord,
    Organisation,
    User,
)
from incident_tracker.services import stale_notices
from incident_tracker.services.call import Call

PAGE_SIZE = 25
# Incidents whose duties the board lists: every status short of closed or void.
BOARD_STATUSES = lifecycle.OPEN_STATUSES


def local_today(call: Call) -> date:
    """Days left are counted in the organisation's time zone (one column, no ORM object: every
    register and incident page asks)."""
    return call.now.astimezone(ZoneInfo(zone_name(call))).date()


def zone_name(call: Call) -> str:
    """The organisation's time zone, kept for the data generation."""

    def stored() -> str:
        found = call.rows(_TIME_ZONE)
        return str(found[0][0] if found and found[0][0] else "America/New_York")

    return call.remember(ZONE_KEY, stored)


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
    """Only the system itself (the scheduler, an operator's command) lists every incident: no
    role does by standing access, admins included (minimum necessary, 45 CFR 164.502(b));
    emergency access is one incident at a time (services/break_glass.py)."""
    return call.actor.trusted


def visible(call: Call) -> ColumnElement[bool]:
    """Restricted incidents: owner and assignees only (404 for everyone else)."""
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
                # lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not
                col(Incident.title).icontains(bindparam("term", type_=String)),
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
    obligation_id: int
    incident_id: int
    number: str
    title: str
    rule_id: str
    state: str
    party: str
    recipient: str
    citation: str
    due: date | None
    days_left: int | None
    standard: str | None
    waiting_for: str | None
    step: Step
    stale: bool = False  # its unsent notice no longer prints the current facts

    @property
    def party_words(self) -> str:
        return party_words(self.party)

    @property
    def step_words(self) -> str:
        return STEP_WORDS[self.step]


BOARD_GROUPS = ("overdue", "week", "later", "waiting", "none")
BOARD_GROUP_LIMIT = 25  # per page of a group; the totals are always exact


@dataclass(frozen=True)
class BoardGroup:
    name: str
    items: list[BoardItem]
    total: int
    page: int

    @property
    def first(self) -> int:
        return (self.page - 1) * BOARD_GROUP_LIMIT + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * BOARD_GROUP_LIMIT + len(self.items)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // BOARD_GROUP_LIMIT))


@dataclass(frozen=True)
class Board:
    groups: dict[str, BoardGroup]
    today: date

    @property
    def totals(self) -> dict[str, int]:
        return {name: group.total for name, group in self.groups.items()}


def _board_groups() -> dict[str, ColumnElement[bool]]:
    """Disjoint groups that together hold every open duty once: overdue; due within 7 days;
    later (every other dated duty); waiting on another notice; no fixed date."""
    due, outcome = col(ObligationRecord.due), col(ObligationRecord.outcome)
    today, week_end = bindparam("today", type_=Date), bindparam("week_end", type_=Date)
    return {
        "overdue": due < today,
        "week": and_(outcome != "waiting", due >= today, due <= week_end),
        "later": and_(outcome != "waiting", due > week_end),
        "waiting": and_(outcome == "waiting", due >= today),
        "none": due.is_(None),
    }


@cache
def _board_statements(all_visible: bool) -> tuple[Any, dict[str, Any]]:
    """The board's count and one page per group, built once per visibility (the viewer, today,
    the week's end and each group's offset are bound at execution). Each page picks its 25 ids
    from the covering indexes (migrations 0011 and 0015) and only then reads those rows' columns
    and their notices' review states, no ORM objects."""
    open_duty = and_(
        col(Incident.id).is_not(None)
        if all_visible
        else visible_to(bindparam("viewer", type_=Integer)),
        col(Incident.status).in_(BOARD_STATUSES),
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
            .offset(bindparam(f"{name}_offset", type_=Integer))
        )
        lists[name] = (
            core_select(
                col(ObligationRecord.id),
                col(ObligationRecord.incident_id),
                col(Incident.number),
                col(Incident.title),
                col(ObligationRecord.rule_id),
                col(ObligationRecord.state),
                col(ObligationRecord.party),
                col(ObligationRecord.due),
                col(ObligationRecord.terms),
                col(Incident.risk_assessment).is_not(None),
                col(Notice.state),
            )
            .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
            .outerjoin(Notice, col(Notice.obligation_id) == ObligationRecord.id)
            .where(col(ObligationRecord.id).in_(chosen))
            .order_by(*soonest)
        )
    return count, lists


def _board_item(row: Any, today: date) -> BoardItem:
    (
        obligation_id,
        incident_id,
        number,
        title,
        rule_id,
        state,
        party,
        due,
        raw_terms,
        assessed,
        notice_state,
    ) = row
    terms: dict[str, Any] = json.loads(raw_terms)
    return BoardItem(
        obligation_id,
        incident_id,
        number,
        title,
        rule_id,
        state,
        party,
        terms["recipient"],
        terms["citation"],
        due,
        (due - today).days if due else None,
        terms.get("standard"),
        terms.get("waiting_for"),
        step_for(bool(assessed), notice_state),
    )


def board(call: Call, pages: Mapping[str, int] | None = None) -> Board:
    """Open legal duties of open incidents the user may see, grouped for the home page, one page
    of 25 per group (`pages`: group name -> page, 1 when absent): one count query and one query
    per group, whatever the number of incidents."""
    call.require(Action.VIEW_INCIDENT)
    today = local_today(call)
    count, lists = _board_statements(sees_all(call))
    counts = dict(
        zip(
            BOARD_GROUPS,
            (
                int(n)
                for n in call.session.connection()
                .execute(
                    count,
                    {
                        "viewer": call.actor.user_id,
                        "today": today,
                        "week_end": today + timedelta(days=7),
                    },
                )
                .one()
            ),
            strict=True,
        )
    )
    chosen = {
        name: min(max(1, (pages or {}).get(name, 1)), max(1, -(-counts[name] // BOARD_GROUP_LIMIT)))
        for name in BOARD_GROUPS
    }
    values: dict[str, Any] = {
        "viewer": call.actor.user_id,
        "today": today,
        "week_end": today + timedelta(days=7),
        **{f"{name}_offset": (page - 1) * BOARD_GROUP_LIMIT for name, page in chosen.items()},
    }
    db = call.session.connection()
    groups = {
        name: BoardGroup(
            name,
            [_board_item(row, today) for row in db.execute(lists[name], values)],
            counts[name],
            chosen[name],
        )
        for name in BOARD_GROUPS
    }
    shown = [item.obligation_id for group in groups.values() for item in group.items]
    stale = stale_notices.stale_obligations(call, shown)
    if stale:
        for group in groups.values():
            group.items[:] = [
                replace(item, stale=True) if item.obligation_id in stale else item
                for item in group.items
            ]
    return Board(groups, today)
