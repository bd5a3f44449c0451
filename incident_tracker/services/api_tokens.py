"""Personal API tokens: opaque random values with a recognisable prefix, shown once, kept as a
SHA-256 (a 256-bit random value needs no slow hash: nobody can guess one), sent as
`Authorization: Bearer it_...`.

A token acts as its user with the user's current role, never more: the role is read on every
call, and a token is revoked when its user is disabled or changes role (ASVS 5.0 7.4.2). Writes
need the `write` scope. Each token's calls are counted in a one-minute window kept in the
database, so the limit holds across every worker.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from incident_tracker.db.models import ApiToken, ApiTokenUse, User
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed

PREFIX = "it_"
SCOPES = ("read", "write")
DEFAULT_DAYS = 30
MAX_DAYS = 90
RATE_WINDOW = timedelta(minutes=1)
RATE_LIMIT = 120  # calls per token per window


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    """A new token: `secret` is shown once and never stored."""

    token: ApiToken
    secret: str


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
    last_used_at: datetime | None


def check_days(days: int | None) -> int:
    if days is None:
        return DEFAULT_DAYS
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed({"expires": f"a token lasts 1 to {MAX_DAYS} days"})
    return days


def create(call: Call, user_id: int, scope: str, days: int | None, name: str = "") -> Issued:
    """A token for `user_id` (the caller's own, or any user's from the operator's command)."""
    if not call.actor.trusted and call.actor.user_id != user_id:
        raise NotFound("no such user")
    if scope not in SCOPES:
        raise ValidationFailed({"scope": "choose read or write"})
    lasting = check_days(days)
    user = call.session.get(User, user_id)
    if user is None or not user.is_active:
        raise ValidationFailed({"user": "no such active user"})
    name = " ".join(name.split())[:120]
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user_id,
        name=name,
        prefix=secret[:10],
        token_hash=token_hash(secret),
        scope=scope,
        created_at=call.now,
        expires_at=call.now + timedelta(days=lasting),
    )
    call.session.add(token)
    call.session.flush()
    call.session.add(ApiTokenUse(token_id=token.id or 0, window_start=call.now, window_count=0))
    call.audit(
        "api_token.create",
        object_type="api_token",
        object_id=token.id,
        new={"user_id": user_id, "scope": scope, "expires_at": token.expires_at.isoformat()},
    )
    return Issued(token, secret)


def list_own(call: Call, user_id: int) -> list[TokenRow]:
    rows = call.session.exec(
        select(ApiToken, ApiTokenUse)
        .join(ApiTokenUse, col(ApiTokenUse.token_id) == ApiToken.id, isouter=True)
        .where(ApiToken.user_id == user_id)
        .order_by(col(ApiToken.id).desc())
    ).all()
    return [
        TokenRow(
            t.id or 0,
            t.name,
            t.prefix,
            t.scope,
            t.created_at,
            t.expires_at,
            t.revoked_at,
            t.revoke_reason,
            use.last_used_at if use else None,
        )
        for t, use in rows
    ]


def revoke(call: Call, token_id: int) -> None:
    """The owner revokes their own token (another's is 404); the operator any."""
    token = call.session.get(ApiToken, token_id)
    if token is None or (not call.actor.trusted and token.user_id != call.actor.user_id):
        raise NotFound("no such token")
    if token.revoked_at is None:
        token.revoked_at, token.revoke_reason = call.now, "revoked"
        call.session.add(token)
        call.audit("api_token.revoke", object_type="api_token", object_id=token_id)


def revoke_all_of(call: Call, user_id: int, reason: str) -> int:
    """Every live token of a user (disabled, role changed): called in that change's transaction."""
    live = call.session.exec(
        select(ApiToken).where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
    ).all()
    for token in live:
        token.revoked_at, token.revoke_reason = call.now, reason
        call.session.add(token)
    if live:
        call.audit(
            "api_token.revoke",
            object_type="user",
            object_id=user_id,
            detail=f"{len(live)} token(s): {reason}",
        )
    return len(live)


@dataclass(frozen=True)
class Bearer:
    """Who a valid token speaks for, read afresh on each call."""

    token_id: int
    scope: str
    user_id: int
    email: str
    role: str


class Unauthenticated(Exception):
    """No token, an unknown one, or a revoked or expired one (401)."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("too many requests")
        self.retry_after = retry_after


def authenticate(call: Call, secret: str, limit: int = RATE_LIMIT) -> Bearer:
    """The token's user if the token is live, counting the call in its rate window (the
    counter is one atomic UPDATE, so concurrent workers never lose a count)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        raise Unauthenticated()
    found = call.session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(secret))
    ).first()
    if found is None:
        raise Unauthenticated()
    token, user = found
    expires = token.expires_at
    now = call.now if expires.tzinfo else call.now.replace(tzinfo=None)
    if token.revoked_at is not None or expires <= now or not user.is_active:
        raise Unauthenticated()
    token_id = token.id or 0
    window_start = call.now - RATE_WINDOW
    table = ApiTokenUse.__table__  # type: ignore[attr-defined]
    session = call.session
    # A window that has ended starts again at this call; otherwise this call is counted in it.
    session.execute(
        update(table)
        .where(table.c.token_id == token_id, table.c.window_start <= window_start)
        .values(window_start=call.now, window_count=0)
    )
    session.execute(
        update(table)
        .where(table.c.token_id == token_id)
        .values(window_count=table.c.window_count + 1, last_used_at=call.now)
    )
    use = session.execute(
        select(table.c.window_start, table.c.window_count).where(table.c.token_id == token_id)
    ).first()
    if use is not None and use[1] > limit:
        started = (
            use[0]
            if use[0].tzinfo or not call.now.tzinfo
            else use[0].replace(tzinfo=call.now.tzinfo)
        )
        left = (started + RATE_WINDOW - call.now).total_seconds()
        raise RateLimited(max(1, int(left) + 1))
    return Bearer(token_id, token.scope, user.id or 0, user.email, user.role)
