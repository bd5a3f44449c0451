"""Accounts: create, invite, disable, change role, change password. Every change is audited."""

from __future__ import annotations

import re

from sqlmodel import col, select

from incident_tracker.core.parsing import ONE_LINE, has_control_characters
from incident_tracker.core.permissions import Action, Role
from incident_tracker.db.models import User, UserSession
from incident_tracker.services import api_tokens, passwords
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, NotFound, ValidationFailed

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_email(email: str) -> str:
    email = normalise_email(email)
    if len(email) > 254 or not EMAIL.match(email) or has_control_characters(email):
        raise ValidationFailed({"email": "enter a valid e-mail address"})
    return email


def _check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationFailed({"role": f"choose one of: {allowed}"}) from None


def _check_password(password: str, email: str) -> None:
    problems = passwords.problems(password, email)
    if problems:
        raise ValidationFailed({"password": "Password " + "; ".join(problems) + "."})


def public(user: User) -> dict[str, object]:
    """What the audit trail records of a user: never the password hash."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "is_active": user.is_active,
    }


def create_user(
    call: Call, email: str, role: str, password: str, display_name: str = "", demo: bool = False
) -> User:
    call.require(Action.MANAGE_USERS)
    _check_password(password, _check_email(email))
    return _create(call, email, role, passwords.hash_password(password), display_name, demo)


def _create(
    call: Call, email: str, role: str, password_hash: str, display_name: str, demo: bool = False
) -> User:
    email = _check_email(email)
    checked_role = _check_role(role)
    if has_control_characters(display_name):  # it can end up in an e-mail header
        raise ValidationFailed({"display_name": f"enter the name {ONE_LINE}"})
    if call.session.exec(select(User).where(User.email == email)).first():
        raise Conflict(f"a user with the e-mail {email} already exists")
    user = User(
        email=email,
        display_name=display_name.strip()[:120],
        role=checked_role.value,
        password_hash=password_hash,
        is_demo=demo,
        created_at=call.now,
        password_changed_at=call.now,
    )
    call.session.add(user)
    call.session.flush()
    call.audit("user.create", object_type="user", object_id=user.id, new=public(user))
    return user


def invite(call: Call, email: str, role: str, display_name: str = "") -> User:
    """Create the account with no usable password: the invitee chooses one through the one-time
    link the caller sends (services/account_links.py), so no password is ever shown or sent."""
    call.require(Action.MANAGE_USERS)
    return _create(call, email, role, passwords.UNUSABLE, display_name)


def find_by_email(call: Call, email: str) -> User | None:
    return call.session.exec(select(User).where(User.email == normalise_email(email))).first()


def get(call: Call, user_id: int) -> User:
    user = call.session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


def end_sessions(call: Call, user_id: int, reason: str) -> int:
    """Revoke every open session of a user (ASVS 7.4.2: disabling ends sessions)."""
    open_sessions = call.session.exec(
        select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.ended_at).is_(None)
        )
    ).all()
    for row in open_sessions:
        row.ended_at, row.end_reason = call.now, reason
        call.session.add(row)
    return len(open_sessions)


OWN_ACCOUNT = "Not disabled: you cannot disable your own account; another admin can."
OWN_ADMIN_ROLE = "Not changed: you cannot remove your own admin role; another admin can."
LAST_ADMIN = "Not changed: this is the last active admin; make another user admin first."


def _last_active_admin(call: Call, user: User) -> bool:
    """Whether `user` is the only active admin: without one, nobody could manage users (the
    command line's create-user is then the only way back in)."""
    if user.role != Role.ADMIN.value or not user.is_active:
        return False
    admins = call.session.exec(
        select(User.id).where(User.role == Role.ADMIN.value, col(User.is_active).is_(True))
    ).all()
    return list(admins) == [user.id]


def set_active(call: Call, user_id: int, active: bool) -> User:
    call.require(Action.MANAGE_USERS)
    user = get(call, user_id)
    if not active and call.actor.user_id == user_id:
        raise ValidationFailed({"is_active": OWN_ACCOUNT})
    if not active and _last_active_admin(call, user):
        raise ValidationFailed({"is_active": LAST_ADMIN})
    before = public(user)
    user.is_active = active
    if active:
        user.failed_logins, user.locked_until = 0, None
    call.session.add(user)
    ended = 0 if active else end_sessions(call, user_id, "disabled")
    if not active:
        api_tokens.revoke_all_of(call, user_id, "disabled")
    call.audit(
        "user.enable" if active else "user.disable",
        object_type="user",
        object_id=user_id,
        old=before,
        new=public(user),
        detail=f"{ended} session(s) ended" if ended else None,
    )
    return user


def set_role(call: Call, user_id: int, role: str) -> User:
    call.require(Action.MANAGE_USERS)
    user = get(call, user_id)
    checked = _check_role(role)
    if checked is not Role.ADMIN and call.actor.user_id == user_id:
        raise ValidationFailed({"role": OWN_ADMIN_ROLE})
    if checked is not Role.ADMIN and _last_active_admin(call, user):
        raise ValidationFailed({"role": LAST_ADMIN})
    before = public(user)
    user.role = checked.value
    call.session.add(user)
    end_sessions(call, user_id, "role_changed")
    api_tokens.revoke_all_of(call, user_id, "role_changed")
    call.audit(
        "user.role_change", object_type="user", object_id=user_id, old=before, new=public(user)
    )
    return user


def change_password(call: Call, user: User, current: str, new: str) -> None:
    if not passwords.verify(user.password_hash, current):
        raise ValidationFailed({"current_password": "the current password is not correct"})
    replace_password(call, user, new)


def replace_password(
    call: Call, user: User, new: str, action: str = "user.password_change"
) -> None:
    """Set a new password once the current one, or a one-time link (and the second factor), is
    proven (services/auth.py, services/account_links.py); every session of the user ends and a
    lock-out is lifted."""
    _check_password(new, user.email)
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = call.now
    user.failed_logins, user.locked_until = 0, None
    call.session.add(user)
    end_sessions(call, user.id or 0, "password_changed")
    call.audit(action, object_type="user", object_id=user.id)


def list_users(call: Call) -> list[User]:
    call.require(Action.MANAGE_USERS)
    return list(call.session.exec(select(User).order_by(col(User.email))).all())
