"""One-time form tokens (db.models.FormToken): the second submission of a form finds the first
one's row instead of saving a duplicate (two incidents, or 4,600 letters for 2,300 people)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from sqlmodel import select

from incident_tracker.db.models import FormToken
from incident_tracker.services.call import Call

CREATE_INCIDENT = "incident.create"
RECORD_SENT = "sent.record"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def usable(raw: str | None) -> str | None:
    """The submitted token, or None when absent or not one of ours (then the form saves as
    before: the token only guards against the same form sent twice)."""
    return raw if raw and _SHAPE.fullmatch(raw) else None


class AlreadySaved(Exception):
    """The form was submitted before; `incident_id` and `object_id` say what it saved."""

    def __init__(self, purpose: str, incident_id: int, object_id: int) -> None:
        super().__init__(purpose)
        self.purpose, self.incident_id, self.object_id = purpose, incident_id, object_id


def check(call: Call, token: str | None, purpose: str) -> None:
    """Raise AlreadySaved when this token has saved something already."""
    if token is None:
        return
    found = call.session.exec(select(FormToken).where(FormToken.token == token)).first()
    if found is not None:
        raise AlreadySaved(found.purpose, found.incident_id, found.object_id)
    del purpose  # a token is one form's; its purpose is kept for the record


def keep(call: Call, token: str | None, purpose: str, incident_id: int, object_id: int) -> None:
    """Store the token with what it saved, in the saving transaction (the unique token refuses
    a second, concurrent save of the same form)."""
    if token is None:
        return
    call.session.add(
        FormToken(
            token=token,
            purpose=purpose,
            incident_id=incident_id,
            object_id=object_id,
            created_by=call.actor.user_id,
            created_at=call.now,
        )
    )
    call.session.flush()


def once(
    call: Call, token: str | None, purpose: str, save: Callable[[], tuple[int, int]]
) -> tuple[int, int]:
    """Run `save` (which returns the incident id and the saved row's id) unless this form's
    token saved something already; the token is kept in the same transaction."""
    check(call, token, purpose)
    incident_id, object_id = save()
    keep(call, token, purpose, incident_id, object_id)
    return incident_id, object_id
