"""Break-glass: emergency access to a restricted incident (HIPAA 164.312(a)(2)(ii)).

No role sees a restricted incident by standing access (minimum necessary, 164.502(b)). An admin
or a privacy officer who is not on one may open it with a reason: a grant for four hours, every
view in it audited with that reason (164.312(b)), the owner and the other privacy officers told
at once, in the app and by e-mail, and the incident page lists every use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from incident_tracker.core.permissions import Action, Role, can_see_incident
from incident_tracker.db.models import (
    BreakGlassGrant,
    Incident,
    IncidentAssignee,
    Notification,
    SentEmail,
    User,
)
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed

DURATION = timedelta(hours=4)
MAX_REASON = 1000
NEED_REASON = "say why you need this incident now (the owner and privacy officers will see it)"


def live_grant(call: Call, incident_id: int) -> BreakGlassGrant | None:
    """The actor's grant on the incident that is live at `call.now` (one indexed lookup)."""
    if call.actor.user_id is None:
        return None
    return call.session.exec(
        select(BreakGlassGrant)
        .where(
            col(BreakGlassGrant.incident_id) == incident_id,
            col(BreakGlassGrant.user_id) == call.actor.user_id,
            col(BreakGlassGrant.granted_at) <= call.now,
            col(BreakGlassGrant.expires_at) > call.now,
        )
        .order_by(col(BreakGlassGrant.expires_at).desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class Target:
    """The incident a break-glass form is about: its number only (a title may be sensitive)."""

    incident_id: int
    number: str
    already_visible: bool


def target(call: Call, incident_id: int) -> Target:
    """What the break-glass form shows; `already_visible` when the actor needs no grant."""
    call.require(Action.BREAK_GLASS)
    incident = call.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound("no such incident")
    return Target(incident_id, incident.number, _sees_without(call, incident))


def _sees_without(call: Call, incident: Incident) -> bool:
    """True when the actor already sees the incident (not restricted, owner, assignee or a
    live grant): no new grant is needed."""
    user = call.actor.user_id
    assigned = (
        call.session.exec(
            select(IncidentAssignee.user_id).where(
                IncidentAssignee.incident_id == incident.id, IncidentAssignee.user_id == user
            )
        ).first()
        is not None
    )
    owner = user == incident.owner_id
    if can_see_incident(call.actor.role, incident.restricted, owner, assigned):
        return True
    return live_grant(call, incident.id or 0) is not None


@dataclass(frozen=True)
class Opened:
    """A new grant, and the people told about it (for the e-mail after the commit)."""

    grant_id: int
    number: str
    expires_at: datetime
    told: list[tuple[int, str]]  # (user id, e-mail)


def open_incident(call: Call, incident_id: int, reason: str) -> Opened:
    """Grant the actor four hours on a restricted incident they are not on, with their reason;
    audit it and notify the owner and every other active privacy officer in the same
    transaction."""
    found = target(call, incident_id)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationFailed({"reason": NEED_REASON})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": f"keep the reason under {MAX_REASON} characters"})
    incident = call.session.get(Incident, incident_id)
    assert incident is not None
    if found.already_visible:
        raise ValidationFailed({"reason": "you can already open this incident"})
    grant = BreakGlassGrant(
        incident_id=incident_id,
        user_id=call.actor.user_id or 0,
        reason=reason,
        granted_at=call.now,
        expires_at=call.now + DURATION,
    )
    call.session.add(grant)
    call.session.flush()
    call.audit(
        "incident.break_glass",
        object_type="incident",
        object_id=incident_id,
        new={"reason": reason, "expires_at": grant.expires_at.isoformat()},
    )
    told = _people_to_tell(call, incident)
    subject = f"Break-glass: {call.actor.email} opened {incident.number}"
    for user_id, _ in told:
        call.session.add(
            Notification(
                user_id=user_id, incident_id=incident_id, subject=subject, created_at=call.now
            )
        )
    return Opened(grant.id or 0, incident.number, grant.expires_at, told)


def _people_to_tell(call: Call, incident: Incident) -> list[tuple[int, str]]:
    """The owner and every other active privacy officer, never the actor."""
    rows = call.session.exec(
        select(User.id, User.email)
        .where(
            col(User.is_active).is_(True),
            (col(User.id) == incident.owner_id) | (col(User.role) == Role.PRIVACY_OFFICER.value),
            col(User.id) != (call.actor.user_id or 0),
        )
        .order_by(col(User.email))
    ).all()
    return [(int(user_id or 0), email) for user_id, email in rows]


def mail(number: str, by: str, link: str, expires_at: datetime) -> tuple[str, str]:
    """The e-mail to the owner and the privacy officers: no patient information, no reason (it
    is in the audit trail and on the incident page, behind sign-in)."""
    return (
        f"Break-glass: {by} opened {number}",
        f"{by} used emergency access (break-glass) to open the restricted incident {number}. "
        f"The access lasts until {expires_at:%Y-%m-%d %H:%M} UTC; every view is audited with "
        f"the reason given, which the incident page shows:\n\n{link}",
    )


def record_mail(call: Call, to: list[tuple[int, str, str, str, str]]) -> None:
    """The sent e-mails in the outbox ledger: (user id, address, subject, body, message id)."""
    for user_id, address, subject, body, message_id in to:
        call.session.add(
            SentEmail(
                user_id=user_id,
                to_address=address,
                subject=subject[:300],
                body=body,
                message_id=message_id[:200],
                sent_at=call.now,
            )
        )


@dataclass(frozen=True)
class Use:
    by: str
    granted_at: datetime
    expires_at: datetime
    reason: str


def uses(call: Call, incident_id: int) -> list[Use]:
    """Every break-glass use of the incident, newest first, for its page (one query)."""
    rows = call.session.exec(
        select(
            User.email,
            BreakGlassGrant.granted_at,
            BreakGlassGrant.expires_at,
            BreakGlassGrant.reason,
        )
        .join(User, col(User.id) == BreakGlassGrant.user_id)
        .where(col(BreakGlassGrant.incident_id) == incident_id)
        .order_by(col(BreakGlassGrant.granted_at).desc(), col(BreakGlassGrant.id).desc())
    ).all()
    return [Use(*row) for row in rows]
