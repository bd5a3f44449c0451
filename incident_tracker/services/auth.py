"""Sign-in, server-side sessions and sign-out (HIPAA 164.312(a)(2)(iii), (d); ASVS 5.0 V6-V7).

The cookie carries a random token; the database keeps its SHA-256 and decides on every request
whether the session still stands (signed out, idle, too old, user disabled). Failed sign-ins are
counted per account (lock-out) and per client address (throttle, services/auth_failures.py), both
in the database, so the limits hold across workers and restarts.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import col, func, select

from incident_tracker.config import Settings
from incident_tracker.db import prepared
from incident_tracker.db.models import DataGeneration, User, UserMfa, UserSession
from incident_tracker.db.prepared import as_datetime
from incident_tracker.services import auth_failures, passwords, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.users import normalise_email

SIGN_IN_REFUSED = "The e-mail or password is not correct, or the account is locked or disabled."
THROTTLED = "Too many failed sign-ins from this address. Wait a few minutes and try again."
THROTTLED_CHANGE = "too many wrong passwords from this address: wait a few minutes and try again"
LOCKED_CHANGE = "too many wrong passwords: this account is locked for a few minutes"
SSO_ONLY = (
    "This site uses single sign-on: use the single sign-on button. A password signs in only an "
    "emergency local account."
)
LAST_SEEN_GRANULARITY = timedelta(seconds=15)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str = ""
    token: str | None = None
    user: User | None = None
    throttled: bool = False
    # The password was right and the account has a second factor: no session yet, the sign-in
    # continues at the code step (services/mfa.py), then `open_session`.
    second_factor: bool = False


def has_second_factor(call: Call, user_id: int) -> bool:
    """A confirmed authenticator: an enrolment not yet proven by a code does not count."""
    found = call.session.exec(
        select(UserMfa.user_id).where(
            UserMfa.user_id == user_id, col(UserMfa.confirmed_at).is_not(None)
        )
    ).first()
    return found is not None


def throttled(call: Call, settings: Settings, address: str) -> bool:
    """Too many failed password checks from this address lately (ASVS 5.0 6.3.1)."""
    since = call.now - timedelta(minutes=settings.address_window_minutes)
    found = auth_failures.failures_since(call, address, since)
    return found >= settings.max_failed_logins_per_address


def sign_in(call: Call, settings: Settings, email: str, password: str, user_agent: str) -> SignIn:
    """Same message for an unknown user, a wrong password, a locked or a disabled account.
    Failures are counted in the throttle store and summarised into the audit trail once per
    address per window (services/auth_failures.py); a success and a lock-out get their own row."""
    address = call.actor.client_address or ""
    email = normalise_email(email)
    auth_failures.summarise_closed(call)
    if throttled(call, settings, address):
        auth_failures.record(call, address, email, "throttled", throttled=True)
        return SignIn(False, THROTTLED, throttled=True)
    user = call.session.exec(select(User).where(User.email == email)).first()
    password_ok = passwords.verify(user.password_hash if user else None, password)
    if not may_use_password(settings, user):  # decided before the password is judged
        auth_failures.record(call, address, email, "password refused: single sign-on is on")
        return SignIn(False, SSO_ONLY)
    if user is None:
        auth_failures.record(call, address, email, "unknown account")
        return SignIn(False, SIGN_IN_REFUSED)
    if user.locked_until is not None and user.locked_until > call.now:
        auth_failures.record(call, address, email, "account locked")
        return SignIn(False, SIGN_IN_REFUSED)
    if not user.is_active:
        auth_failures.record(call, address, email, "account disabled")
        return SignIn(False, SIGN_IN_REFUSED)
    if not password_ok:
        wrong_password(call, settings, user, "wrong password")
        return SignIn(False, SIGN_IN_REFUSED)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    if has_second_factor(call, user.id or 0):
        call.session.add(user)  # the lock-out count is reset only once the code is right too
        return SignIn(True, user=user, second_factor=True)
    if settings.sso_enabled:  # an emergency local account signs in with a second factor only
        auth_failures.record(call, address, email, "emergency account without a second factor")
        return SignIn(False, SIGN_IN_REFUSED)
    token = open_session(call, user, user_agent)
    return SignIn(True, token=token, user=user)


def may_use_password(settings: Settings, user: User | None) -> bool:
    """With single sign-on on, a local password signs in only an emergency local account: an
    admin, the way in when the identity provider is down (45 CFR 164.312(a)(2)(ii)); its second
    factor is still asked after the password."""
    if not settings.sso_enabled:
        return True
    return user is not None and user.emergency_local and user.role == "admin"


def open_session(call: Call, user: User, user_agent: str) -> str:
    """The server-side session of a completed sign-in (every factor checked); its token."""
    address = call.actor.client_address or ""
    user.failed_logins, user.locked_until = 0, None
    call.session.add(user)
    token = secrets.token_urlsafe(32)
    row = UserSession(
        token_hash=token_hash(token),
        user_id=user.id or 0,
        created_at=call.now,
        last_seen_at=call.now,
        client_address=address[:64],
        user_agent=user_agent[:255],
    )
    call.session.add(row)
    call.session.flush()
    who = Actor(user.id, user.email, user.role, address)
    _audit_as(call, who, "auth.sign_in", None, object_id=row.id)
    return token


@dataclass(frozen=True)
class PasswordChange:
    """The change-password form's answer: done, or the field errors to show (and whether the
    throttle or a lock-out refused it without checking)."""

    ok: bool
    errors: dict[str, str]
    throttled: bool = False


def change_password(
    call: Call, settings: Settings, user: User, current: str, new: str
) -> PasswordChange:
    """Throttled like sign-in, with the same limits: a wrong current password counts for the
    address and towards the account's lock-out, and is kept (returned, not raised, so the count
    commits). A new password that breaks the policy raises ValidationFailed."""
    address = call.actor.client_address or ""
    auth_failures.summarise_closed(call)
    if throttled(call, settings, address):
        auth_failures.record(call, address, user.email, "throttled", throttled=True)
        return PasswordChange(False, {"current_password": THROTTLED_CHANGE}, throttled=True)
    if user.locked_until is not None and user.locked_until > call.now:
        auth_failures.record(call, address, user.email, "account locked")
        return PasswordChange(False, {"current_password": LOCKED_CHANGE}, throttled=True)
    if not passwords.verify(user.password_hash, current):
        wrong_password(call, settings, user, "wrong current password")
        return PasswordChange(False, {"current_password": "the current password is not correct"})
    user.failed_logins, user.locked_until = 0, None
    users.replace_password(call, user, new)
    return PasswordChange(True, {})


def wrong_password(call: Call, settings: Settings, user: User, reason: str) -> None:
    """A failed password check of a known account: counted for its address, and for the account
    towards its lock-out, which is a security event with its own audit row."""
    address = call.actor.client_address or ""
    auth_failures.record(call, address, user.email, reason)
    user.failed_logins += 1
    if user.failed_logins >= settings.max_failed_logins:
        user.locked_until = call.now + timedelta(minutes=settings.lockout_minutes)
        user.failed_logins = 0
        who = Actor(user.id, user.email, user.role, address)
        _audit_as(call, who, "auth.account_locked", f"locked until {user.locked_until}")
    call.session.add(user)


def _audit_as(
    call: Call, who: Actor, action: str, detail: str | None, object_id: object = None
) -> None:
    Call(call.session, who, call.now, call.audit_key).audit(
        action, object_type="session" if object_id else None, object_id=object_id, detail=detail
    )


@dataclass(frozen=True)
class Current:
    """The signed-in user behind a valid session, or why the session ended."""

    user: User | None
    session: UserSession | None
    ended: str | None = None


def _ends_because(
    settings: Settings, now: datetime, active: bool, last_seen_at: datetime, created_at: datetime
) -> str | None:
    """Why a standing session must end now, or None: its user disabled or gone, idle too long,
    or past the absolute limit. `load` and `check` both ask this."""
    if not active:
        return "disabled"
    if now - last_seen_at > timedelta(minutes=settings.idle_timeout_minutes):
        return "idle"
    if now - created_at > timedelta(hours=settings.absolute_timeout_hours):
        return "absolute"
    return None


def load(call: Call, settings: Settings, token: str | None) -> Current:
    """The session check's write path (`check` says when it is due): ends a session that must
    end, with its audit row, and moves last_seen_at at most every LAST_SEEN_GRANULARITY."""
    if not token:
        return Current(None, None)
    found = call.session.execute(_SESSION_AND_USER, {"token_hash": token_hash(token)}).first()
    row, user = found if found else (None, None)
    if row is None or row.ended_at is not None:
        return Current(None, None, row.end_reason if row else None)
    active = user is not None and user.is_active
    reason = _ends_because(settings, call.now, active, row.last_seen_at, row.created_at)
    if reason is not None:
        _end(call, row, reason, user)
        return Current(None, None, reason)
    if call.now - row.last_seen_at >= LAST_SEEN_GRANULARITY:
        row.last_seen_at = call.now
        call.session.add(row)
    return Current(user, row)


@dataclass(frozen=True)
class SignedInUser:
    """Who a valid session belongs to: what every request needs, without an ORM object."""

    id: int
    email: str
    role: str
    second_factor: bool = False  # a confirmed authenticator (MFA_REQUIRED_ROLES asks for one)


@dataclass(frozen=True)
class Check:
    """`check`'s answer: the user, or why the session ended, or that a write is due."""

    user: SignedInUser | None
    ended: str | None = None
    needs_write: bool = False
    generation: int | None = None  # the data generation, read in the same statement


def check(db: Connection, settings: Settings, token: str | None, now: datetime) -> Check:
    """The read-only session check of every request: one statement, no ORM, no write. A
    session that must end, or whose last_seen_at is LAST_SEEN_GRANULARITY old, comes back with
    `needs_write`: the caller then runs `load` in a write transaction (the same rules)."""
    if not token:
        return Check(None)
    row = prepared.first(db, _CHECK, token_hash=token_hash(token))
    if row is None:
        return Check(None)
    user_id, created, last_seen, ended, end_reason, email, role, active, generation, mfa = row
    if ended is not None:
        return Check(None, end_reason)
    created_at, last_seen_at = as_datetime(created), as_datetime(last_seen)
    assert created_at is not None and last_seen_at is not None
    reason = _ends_because(
        settings, now, email is not None and bool(active), last_seen_at, created_at
    )
    if reason is not None:
        return Check(None, reason, needs_write=True)
    return Check(
        SignedInUser(int(user_id), str(email), str(role), bool(mfa)),
        needs_write=now - last_seen_at >= LAST_SEEN_GRANULARITY,
        generation=int(generation),
    )


_CHECK = (
    core_select(
        col(UserSession.user_id),
        col(UserSession.created_at),
        col(UserSession.last_seen_at),
        col(UserSession.ended_at),
        col(UserSession.end_reason),
        col(User.email),
        col(User.role),
        col(User.is_active),
        select(col(DataGeneration.n))
        .where(col(DataGeneration.id) == 1)
        .scalar_subquery()
        .label("generation"),
        select(func.count(col(UserMfa.user_id)))
        .where(col(UserMfa.user_id) == col(UserSession.user_id))
        .where(col(UserMfa.confirmed_at).is_not(None))
        .correlate(UserSession)
        .scalar_subquery()
        .label("second_factor"),
    )
    .outerjoin(User, col(User.id) == UserSession.user_id)
    .where(col(UserSession.token_hash) == bindparam("token_hash"))
)


# The session and its user in one statement, built once: this runs on every request.
_SESSION_AND_USER = (
    select(UserSession, User)
    .outerjoin(User, col(User.id) == UserSession.user_id)
    .where(col(UserSession.token_hash) == bindparam("token_hash"))
)


def _end(call: Call, row: UserSession, reason: str, user: User | None) -> None:
    row.ended_at, row.end_reason = call.now, reason
    call.session.add(row)
    who = Actor(
        row.user_id,
        user.email if user else None,
        user.role if user else None,
        call.actor.client_address,
    )
    action = "auth.sign_out" if reason == "sign_out" else "auth.session_expired"
    _audit_as(call, who, action, reason, object_id=row.id)


def sign_out(call: Call, token: str | None) -> None:
    if not token:
        return
    row = call.session.exec(
        select(UserSession).where(
            UserSession.token_hash == token_hash(token), col(UserSession.ended_at).is_(None)
        )
    ).first()
    if row is not None:
        _end(call, row, "sign_out", call.session.get(User, row.user_id))


def touch(call: Call, token: str) -> None:
    """ "Stay signed in" from the idle warning: counts as activity."""
    row = call.session.exec(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    ).first()
    if row is not None and row.ended_at is None:
        row.last_seen_at = call.now
        call.session.add(row)
