"""The second factor: TOTP enrolment, the code step of sign-in, recovery codes and the admin's
reset (45 CFR 164.312(d) person authentication; RFC 6238; ASVS 5.0 6.5, 6.6).

An authenticator is stored, and counts, only once a code from it was accepted. A wrong code
counts like a wrong password (services/auth.py): towards the client address's throttle and the
account's lock-out. A code is accepted for the time step before, at or after now (clock drift),
and never for a step at or before the last one accepted, so a code seen over a shoulder cannot
be used again.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy import delete, update
from sqlmodel import col, select

from incident_tracker.config import Settings
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import MfaRecoveryCode, User, UserMfa
from incident_tracker.services import auth, auth_failures, users
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict
from incident_tracker.services.mfa_secrets import (
    decrypt_seed,
    encrypt_seed,
    new_recovery_code,
    recovery_hash,
)

ISSUER = "Incident tracker"
STEP_SECONDS = 30  # RFC 6238's default, what every authenticator app uses
DRIFT_STEPS = 1
RECOVERY_CODES = 10
WRONG_CODE = "The code is not correct, or it was already used."
THROTTLED_CODE = "Too many wrong codes from this address. Wait a few minutes and try again."
LOCKED_CODE = "Too many wrong codes or passwords: this account is locked for a few minutes."


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the seed in base32 (to type in) and the otpauth URI."""

    secret: str
    uri: str


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str = ""
    throttled: bool = False
    recovery_codes: tuple[str, ...] = ()
    used_recovery_code: bool = False


def _row(call: Call, user_id: int) -> UserMfa | None:
    return call.session.get(UserMfa, user_id)


def new_seed() -> str:
    """A fresh random seed for an enrolment: 32 base32 characters, the 160 bits RFC 4226 §4
    recommends."""
    return pyotp.random_base32()


def is_enrolled(call: Call, user_id: int) -> bool:
    row = _row(call, user_id)
    return row is not None and row.confirmed_at is not None


def enrolment(user: User, secret: str) -> Enrolment:
    """What the enrolment page shows for a seed not yet confirmed. Nothing is stored: the seed
    waits, encrypted, in the visitor's own session (web/mfa.py) until a code proves it, so
    showing the page writes nothing (RFC 9110 §9.2.1, safe methods)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrolment(secret, uri)


def _step(at: datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (now, or one step either side), or None."""
    code = "".join(ch for ch in code if not ch.isspace())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _held(call: Call, settings: Settings, user: User) -> Outcome | None:
    """The throttle and the lock-out, asked before any code is checked."""
    address = call.actor.client_address or ""
    auth_failures.summarise_closed(call)
    if auth.throttled(call, settings, address):
        auth_failures.record(call, address, user.email, "throttled", throttled=True)
        return Outcome(False, THROTTLED_CODE, throttled=True)
    if user.locked_until is not None and user.locked_until > call.now:
        auth_failures.record(call, address, user.email, "account locked")
        return Outcome(False, LOCKED_CODE, throttled=True)
    return None


def confirm_enrolment(
    call: Call, settings: Settings, user: User, secret: str, code: str
) -> Outcome:
    """The first code from the new authenticator for the seed the page showed: the seed is
    stored (encrypted) and counts from now on, and the ten recovery codes are made (returned
    once, kept only hashed)."""
    held = _held(call, settings, user)
    if held is not None:
        return held
    row = _row(call, user.id or 0)
    if row is not None and row.confirmed_at is not None:
        raise Conflict("a second factor is already set up")
    step = _matching_step(secret, code, call.now)
    if step is None:
        auth.wrong_password(call, settings, user, "wrong enrolment code")
        return Outcome(False, WRONG_CODE)
    if row is None:  # a row left unconfirmed by an earlier version is replaced
        row = UserMfa(user_id=user.id or 0, secret_encrypted="", created_at=call.now)
    row.secret_encrypted = encrypt_seed(settings.mfa_encryption_key, secret)
    row.created_at = row.confirmed_at = call.now
    row.last_used_step = step
    call.session.add(row)
    user.failed_logins = 0
    call.session.add(user)
    codes = _new_recovery_codes(call, settings, user.id or 0)
    call.audit("mfa.enrolled", object_type="user", object_id=user.id)
    return Outcome(True, recovery_codes=codes)


def _new_recovery_codes(call: Call, settings: Settings, user_id: int) -> tuple[str, ...]:
    call.session.execute(delete(MfaRecoveryCode).where(col(MfaRecoveryCode.user_id) == user_id))
    codes = tuple(new_recovery_code() for _ in range(RECOVERY_CODES))
    for code in codes:
        call.session.add(
            MfaRecoveryCode(
                user_id=user_id,
                code_hash=recovery_hash(settings.mfa_encryption_key, code),
                created_at=call.now,
            )
        )
    return codes


def verify(call: Call, settings: Settings, user: User, code: str) -> Outcome:
    """The code step of sign-in (and of a password reset): a TOTP code of a step not used yet,
    or an unused recovery code, which is then spent."""
    held = _held(call, settings, user)
    if held is not None:
        return held
    row = _row(call, user.id or 0)
    if row is None or row.confirmed_at is None:
        raise Conflict("this account has no second factor")
    secret = decrypt_seed(settings.mfa_encryption_key, row.secret_encrypted)
    step = _matching_step(secret, code, call.now)
    if step is not None and (row.last_used_step is None or step > row.last_used_step):
        row.last_used_step = step
        call.session.add(row)
        return Outcome(True)
    if step is None and _spend_recovery_code(call, settings, user, code):
        return Outcome(True, used_recovery_code=True)
    reason = "replayed second-factor code" if step is not None else "wrong second-factor code"
    auth.wrong_password(call, settings, user, reason)
    return Outcome(False, WRONG_CODE)


def _spend_recovery_code(call: Call, settings: Settings, user: User, code: str) -> bool:
    """Single use even against a concurrent request: the conditional UPDATE claims it."""
    found = call.session.exec(
        select(MfaRecoveryCode).where(
            MfaRecoveryCode.user_id == user.id,
            MfaRecoveryCode.code_hash == recovery_hash(settings.mfa_encryption_key, code),
            col(MfaRecoveryCode.used_at).is_(None),
        )
    ).first()
    if found is None:
        return False
    claimed = call.session.execute(
        update(MfaRecoveryCode)
        .where(col(MfaRecoveryCode.id) == found.id, col(MfaRecoveryCode.used_at).is_(None))
        .values(used_at=call.now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return False
    left = recovery_codes_left(call, user.id or 0)
    call.audit(
        "mfa.recovery_code_used",
        object_type="user",
        object_id=user.id,
        detail=f"{left} recovery code(s) left",
    )
    return True


def recovery_codes_left(call: Call, user_id: int) -> int:
    return len(
        call.session.exec(
            select(MfaRecoveryCode.id).where(
                MfaRecoveryCode.user_id == user_id, col(MfaRecoveryCode.used_at).is_(None)
            )
        ).all()
    )


def enrolled_users(call: Call) -> set[int]:
    """Users with a confirmed authenticator (the users page shows who has one)."""
    call.require(Action.MANAGE_USERS)
    rows = call.session.exec(
        select(UserMfa.user_id).where(col(UserMfa.confirmed_at).is_not(None))
    ).all()
    return set(rows)


def reset(call: Call, user_id: int) -> User:
    """An admin removes a user's authenticator and recovery codes (a lost phone): the user's
    sessions end, and at the next sign-in they enrol again where MFA is required. The caller
    tells the user by e-mail."""
    call.require(Action.MANAGE_USERS)
    user = users.get(call, user_id)
    row = _row(call, user_id)
    if row is None:
        raise Conflict(f"{user.email} has no second factor to reset")
    call.session.delete(row)
    call.session.execute(delete(MfaRecoveryCode).where(col(MfaRecoveryCode.user_id) == user_id))
    ended = users.end_sessions(call, user_id, "mfa_reset")
    call.audit(
        "mfa.reset",
        object_type="user",
        object_id=user_id,
        detail=f"second factor removed; {ended} session(s) ended",
    )
    return user
