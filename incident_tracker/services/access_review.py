"""The access review (HIPAA 164.308(a)(3)(ii)(B)-(C), (a)(4)(ii)(C); 164.312(a)(2)(ii)): every
user, their role, second factor, last sign-in, how many incidents they can see by standing
access, and their break-glass uses in a period. Six queries whatever the number of users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import literal, union
from sqlmodel import col, func, select

from incident_tracker.core.permissions import Action, can
from incident_tracker.core.spreadsheet import csv_text
from incident_tracker.db.models import (
    BreakGlassGrant,
    Incident,
    IncidentAssignee,
    User,
    UserMfa,
    UserSession,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed

DEFAULT_DAYS = 90
COLUMNS = (
    "email",
    "role",
    "active",
    "mfa",
    "last_sign_in",
    "incidents_visible",
    "break_glass_uses",
)


@dataclass(frozen=True)
class ReviewRow:
    email: str
    role: str
    active: bool
    mfa: bool
    last_sign_in: datetime | None
    incidents_visible: int
    break_glass_uses: int


def period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """From/to, inclusive; the last 90 days by default. A start after the end is refused."""
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise ValidationFailed({"from": "the start must be on or before the end"})
    return start, end


def review(call: Call, start: date, end: date) -> list[ReviewRow]:
    call.require(Action.REVIEW_ACCESS)
    people = call.session.exec(select(User).order_by(col(User.email))).all()
    with_mfa = set(
        call.session.exec(select(UserMfa.user_id).where(col(UserMfa.confirmed_at).is_not(None)))
    )
    last = dict(
        call.session.exec(
            select(UserSession.user_id, func.max(UserSession.created_at)).group_by(
                col(UserSession.user_id)
            )
        ).all()
    )
    since = datetime.combine(start, time.min, UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, UTC)
    uses = dict(
        call.session.exec(
            select(BreakGlassGrant.user_id, func.count())
            .where(
                col(BreakGlassGrant.granted_at) >= since,
                col(BreakGlassGrant.granted_at) < until,
            )
            .group_by(col(BreakGlassGrant.user_id))
        ).all()
    )
    unrestricted, restricted = _counts(call)

    def visible(user: User) -> int:
        """By standing access (core.permissions.can_see_incident): every unrestricted incident
        and the restricted ones the user owns or is assigned to; none once disabled."""
        if not user.is_active or not can(user.role, Action.VIEW_INCIDENT):
            return 0
        return unrestricted + restricted.get(user.id or 0, 0)

    return [
        ReviewRow(
            u.email,
            u.role,
            u.is_active,
            u.id in with_mfa,
            last.get(u.id or 0),
            visible(u),
            int(uses.get(u.id or 0, 0)),
        )
        for u in people
    ]


def _counts(call: Call) -> tuple[int, dict[int, int]]:
    unrestricted = int(
        call.session.exec(
            select(func.count()).select_from(Incident).where(col(Incident.restricted).is_(False))
        ).one()
    )
    owned: Any = select(
        col(Incident.owner_id).label("user_id"), col(Incident.id).label("incident")
    ).where(col(Incident.restricted).is_(True))
    assigned = (
        select(col(IncidentAssignee.user_id), col(IncidentAssignee.incident_id))
        .join(Incident, col(Incident.id) == IncidentAssignee.incident_id)
        .where(col(Incident.restricted).is_(True))
    )
    both = union(owned, assigned).subquery()  # UNION drops an owner who is also assigned
    rows = call.session.connection().execute(
        select(both.c.user_id, func.count(literal(1))).group_by(both.c.user_id)
    )
    return unrestricted, {int(user_id): int(n) for user_id, n in rows}


def to_csv(rows: list[ReviewRow], start: date, end: date) -> str:
    """The review as CSV: a header row, one row per user; no cell can start a formula."""
    return csv_text(
        [*COLUMNS, "period"],
        (
            (
                r.email,
                r.role,
                "yes" if r.active else "no",
                "yes" if r.mfa else "no",
                r.last_sign_in.isoformat() if r.last_sign_in else "",
                r.incidents_visible,
                r.break_glass_uses,
                f"{start.isoformat()} to {end.isoformat()}",
            )
            for r in rows
        ),
    )
