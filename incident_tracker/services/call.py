"""What every use case needs: the transaction, who is acting, when, and the audit key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from incident_tracker.core.permissions import Action, can
from incident_tracker.services import audit
from incident_tracker.services.audit import Actor
from incident_tracker.services.errors import Forbidden


@dataclass(frozen=True)
class Call:
    session: Session
    actor: Actor
    now: datetime
    audit_key: str

    def require(self, action: Action) -> None:
        """The same `can()` the views ask: services refuse on their own too (defence in depth)."""
        if self.actor.trusted or can(self.actor.role, action):
            return
        self.audit("security.permission_refused", detail=f"{action} in a service")
        raise Forbidden("you do not have permission to do that", f"{action} in a service")

    def audit(
        self,
        action: str,
        *,
        object_type: str | None = None,
        object_id: object = None,
        old: Mapping[str, Any] | None = None,
        new: Mapping[str, Any] | None = None,
        detail: str | None = None,
    ) -> None:
        audit.record(
            self.session,
            self.audit_key,
            self.actor,
            action,
            self.now,
            object_type=object_type,
            object_id=object_id,
            old=old,
            new=new,
            detail=detail,
        )
