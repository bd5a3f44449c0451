"""Single sign-on accounts: who a verified ID token signs in, and the emergency local accounts.

An account is linked by issuer + subject (OpenID Connect Core 1.0 §5.7: only that pair is stable
and unique; an e-mail can be reassigned). The first sign-in links only an account an admin made
beforehand, and only when the provider says it verified the e-mail: no self-sign-up, and roles
stay managed here (45 CFR 164.308(a)(4) access authorization).

The second factor: single sign-on proves the first factor only. A user with the app's own second
factor is asked for it after the provider (the same code step as after a password), and
MFA_REQUIRED_ROLES holds a user without one at enrolment, whatever the provider's `amr` claim
says. `amr` (RFC 8176) is advisory, providers differ in what they send, and a provider policy
changed or compromised would otherwise remove the second factor silently (45 CFR 164.312(d)).
The `amr` values are recorded in the audit trail.
"""

from __future__ import annotations

from sqlmodel import select

from incident_tracker.core.permissions import Action, Role
from incident_tracker.db.models import OidcLink, User
from incident_tracker.services import auth, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.services.oidc_client import Identity

NOT_SET_UP = (
    "Single sign-on did not sign you in: this account is not set up for it here. "
    "Ask an administrator to add your e-mail address."
)
FAILED = "Single sign-on did not complete. Please try again."


def refused(call: Call, reason: str, email: str = "") -> auth.SignIn:
    """Every refusal of a single sign-on has its audit row (ASVS 5.0 16.3.1)."""
    detail = f"{reason} ({email})" if email else reason
    call.audit("auth.sso_refused", detail=detail[:500])
    return auth.SignIn(False, NOT_SET_UP)


def _linked(call: Call, identity: Identity) -> OidcLink | None:
    return call.session.exec(
        select(OidcLink).where(
            OidcLink.issuer == identity.issuer, OidcLink.subject == identity.subject
        )
    ).first()


def _link(call: Call, identity: Identity) -> OidcLink | str:
    """The first sign-in of this identity: a pre-registered account with a verified e-mail, or
    why not (for the audit row)."""
    if not identity.email:
        return "the provider sent no e-mail"
    if not identity.email_verified:
        return "e-mail not verified by the provider"
    user = users.find_by_email(call, identity.email)
    if user is None:
        return "no account with this e-mail (no self-sign-up)"
    taken = call.session.exec(
        select(OidcLink).where(OidcLink.user_id == user.id, OidcLink.issuer == identity.issuer)
    ).first()
    if taken is not None:
        return "the account is linked to another subject of this provider"
    link = OidcLink(
        user_id=user.id or 0,
        issuer=identity.issuer,
        subject=identity.subject,
        linked_at=call.now,
        last_used_at=call.now,
    )
    call.session.add(link)
    call.session.flush()
    who = Actor(user.id, user.email, user.role, call.actor.client_address)
    Call(call.session, who, call.now, call.audit_key).audit(
        "auth.sso_linked",
        object_type="user",
        object_id=user.id,
        detail=f"issuer {identity.issuer}, subject {identity.subject}",
    )
    return link


def sign_in(call: Call, identity: Identity, user_agent: str) -> auth.SignIn:
    """A verified identity to a session, or to the app's second-factor step."""
    found = _linked(call, identity)
    link = found if found is not None else _link(call, identity)
    if isinstance(link, str):
        return refused(call, link, identity.email)
    user = call.session.get(User, link.user_id)
    if user is None or not user.is_active:
        return refused(call, "account disabled", identity.email)
    if user.locked_until is not None and user.locked_until > call.now:
        return refused(call, "account locked", identity.email)
    link.last_used_at = call.now
    call.session.add(link)
    who = Actor(user.id, user.email, user.role, call.actor.client_address)
    amr = ",".join(identity.amr) or "none"
    Call(call.session, who, call.now, call.audit_key).audit(
        "auth.sso_verified",
        object_type="user",
        object_id=user.id,
        detail=f"issuer {identity.issuer}, subject {identity.subject}, provider amr {amr}",
    )
    if auth.has_second_factor(call, user.id or 0):
        return auth.SignIn(True, user=user, second_factor=True)
    return auth.SignIn(True, token=auth.open_session(call, user, user_agent), user=user)


def set_emergency_local(call: Call, user_id: int, on: bool) -> User:
    """Only an admin account may be an emergency local account; it must have a second factor
    to sign in with its password (checked at sign-in)."""
    call.require(Action.MANAGE_USERS)
    user = users.get(call, user_id)
    if on and user.role != Role.ADMIN.value:
        raise ValidationFailed({"user": "only an admin account can be an emergency local account"})
    before = user.emergency_local
    user.emergency_local = on
    call.session.add(user)
    call.audit(
        "user.emergency_local",
        object_type="user",
        object_id=user_id,
        old={"emergency_local": before},
        new={"emergency_local": on},
    )
    return user
