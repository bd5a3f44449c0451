"""One-time account links: password reset (30 minutes) and invitations (72 hours).

The token is 256 random bits plus an HMAC under SECRET_KEY (a forged or mistyped link is refused
before any lookup); only its SHA-256 is stored, and `used_at` makes it single-use, set by a
conditional UPDATE so two requests cannot both use one. A new link of the same kind retires the
user's earlier unused ones (ASVS 5.0 6.4.1-6.4.2; 45 CFR 164.308(a)(5)(ii)(D) password
management).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from incident_tracker.config import Settings
from incident_tracker.db.models import AccountToken, User
from incident_tracker.services import auth, auth_failures, users
from incident_tracker.services.call import Call
from incident_tracker.services.errors import DomainError

RESET = "reset"
INVITE = "invite"
VALID_FOR = {RESET: timedelta(minutes=30), INVITE: timedelta(hours=72)}
PATHS = {RESET: "/password/reset/", INVITE: "/invitation/"}
NOT_VALID = "This link is not valid. Ask for a new one."
EXPIRED = "This link has expired. Ask for a new one."
USED = "This link was already used. Ask for a new one."


class LinkRefused(DomainError):
    """An unknown, forged, expired or spent link: the page says which (the token is random, so
    saying "expired" tells an attacker nothing they could use)."""

    status = 410


def _signature(settings: Settings, purpose: str, raw: str) -> str:
    mac = hmac.new(settings.secret_key.encode(), f"{purpose}:{raw}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(call: Call, settings: Settings, user: User, purpose: str) -> str:
    """A new link token for `user`; earlier unused links of the same kind stop working."""
    call.session.execute(
        update(AccountToken)
        .where(
            col(AccountToken.user_id) == user.id,
            col(AccountToken.purpose) == purpose,
            col(AccountToken.used_at).is_(None),
        )
        .values(used_at=call.now)
    )
    raw = secrets.token_urlsafe(32)
    token = f"{raw}.{_signature(settings, purpose, raw)}"
    call.session.add(
        AccountToken(
            user_id=user.id or 0,
            purpose=purpose,
            token_hash=_hash(token),
            created_at=call.now,
            expires_at=call.now + VALID_FOR[purpose],
        )
    )
    call.audit(
        f"user.{purpose}_link_issued",
        object_type="user",
        object_id=user.id,
        detail=f"valid until {call.now + VALID_FOR[purpose]:%Y-%m-%d %H:%M} UTC",
    )
    return token


def ask_reset(call: Call, settings: Settings, email: str) -> tuple[User | None, str | None]:
    """Forgot password: a reset link for an active account, else nothing; the caller answers
    the same either way. Asking for an address with no account counts against the sign-in
    throttle of the client's address (services/auth_failures.py), and a throttled address
    gets no link at all."""
    address = call.actor.client_address or ""
    email = users.normalise_email(email)[:254]
    if auth.throttled(call, settings, address):
        auth_failures.record(call, address, email, "throttled reset request", throttled=True)
        return None, None
    user = users.find_by_email(call, email)
    if user is None or not user.is_active:
        auth_failures.record(call, address, email, "reset for no active account")
        return None, None
    return user, issue(call, settings, user, RESET)


def link(base_url: str, purpose: str, token: str) -> str:
    return base_url.rstrip("/") + PATHS[purpose] + token


def token_key(token: str) -> str:
    """What a web session may remember of a link (its hash, never the token itself)."""
    return _hash(token)


@dataclass(frozen=True)
class Found:
    row: AccountToken
    user: User


def find(call: Call, settings: Settings, token: str, purpose: str) -> Found:
    """The live link behind `token`, or LinkRefused saying why not."""
    raw, _, signature = token.partition(".")
    expected = _signature(settings, purpose, raw)
    if not raw or len(token) > 200 or not hmac.compare_digest(signature, expected):
        raise LinkRefused(NOT_VALID)
    row = call.session.exec(
        select(AccountToken).where(
            AccountToken.token_hash == _hash(token), AccountToken.purpose == purpose
        )
    ).first()
    user = call.session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.is_active:
        raise LinkRefused(NOT_VALID)
    if row.used_at is not None:
        raise LinkRefused(USED)
    if row.expires_at <= call.now:
        raise LinkRefused(EXPIRED)
    return Found(row, user)


def spend(call: Call, found: Found) -> None:
    """Mark the link used, in the transaction that acts on it; LinkRefused if another request
    used it meanwhile."""
    claimed = call.session.execute(
        update(AccountToken)
        .where(col(AccountToken.id) == found.row.id, col(AccountToken.used_at).is_(None))
        .values(used_at=call.now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise LinkRefused(USED)
