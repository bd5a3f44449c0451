"""A user's own sign-ins, and ending them (ASVS 5.0 7.5.2; HIPAA 164.312(a)(2)(iii)).

The server-side session rows (services/auth.py) are the truth: ending one marks it ended, and the
next request with its cookie is refused. An admin ends every session of a user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from incident_tracker.core.access_words import device
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import UserSession
from incident_tracker.services import users
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound


@dataclass(frozen=True)
class SessionRow:
    id: int
    device: str
    address: str
    started: datetime
    last_seen: datetime
    current: bool  # the session this page was asked from


def active(call: Call, current_hash: str, idle: timedelta, absolute: timedelta) -> list[SessionRow]:
    """The actor's sessions that would still be accepted now, newest activity first."""
    if call.actor.user_id is None:
        return []
    rows = call.session.exec(
        select(UserSession)
        .where(
            UserSession.user_id == call.actor.user_id,
            col(UserSession.ended_at).is_(None),
            col(UserSession.last_seen_at) >= call.now - idle,
            col(UserSession.created_at) >= call.now - absolute,
        )
        .order_by(col(UserSession.last_seen_at).desc(), col(UserSession.id).desc())
    ).all()
    return [
        SessionRow(
            r.id or 0,
            device(r.user_agent),
            r.client_address or "unknown",
            r.created_at,
            r.last_seen_at,
            r.token_hash == current_hash,
        )
        for r in rows
    ]


def end_own(call: Call, session_id: int) -> None:
    """End one of the actor's own sessions; anyone else's is "not found"."""
    row = call.session.exec(
        select(UserSession).where(
            UserSession.id == session_id,
            UserSession.user_id == (call.actor.user_id or -1),
            col(UserSession.ended_at).is_(None),
        )
    ).first()
    if row is None:
        raise NotFound("no such session")
    row.ended_at, row.end_reason = call.now, "ended_by_user"
    call.session.add(row)
    call.audit("auth.session_ended", object_type="session", object_id=session_id)


def end_all_of(call: Call, user_id: int) -> int:
    """An admin ends every open session of a user (a lost laptop, a suspected account)."""
    call.require(Action.MANAGE_USERS)
    user = users.get(call, user_id)
    ended = users.end_sessions(call, user_id, "ended_by_admin")
    call.audit(
        "user.sessions_ended", object_type="user", object_id=user.id, new={"sessions": ended}
    )
    return ended
