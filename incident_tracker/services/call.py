"""What every use case needs: the transaction, who is acting, when, and the audit key."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.sql import Executable
from sqlmodel import Session

from incident_tracker.core.permissions import Action, can
from incident_tracker.db.driver import Statements
from incident_tracker.services import audit
from incident_tracker.services.audit import Actor
from incident_tracker.services.errors import Forbidden
from incident_tracker.services.kept import Kept

T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    session: Session
    actor: Actor
    now: datetime
    audit_key: str
    kept: Kept | None = None  # results kept for this data generation (web requests only)
    # The unit runs on the driver (db/driver.py; the pages opened most): `rows` and `audit`
    # go through it, in the same transaction as the session's work.
    driver: Statements | None = None

    def rows(self, statement: Executable, values: Mapping[str, Any] | None = None) -> Sequence[Any]:
        """A Core statement's rows (tuples), on the driver when the unit runs there. The session
        is not flushed first: callers read before they write."""
        if self.driver is not None:
            return self.driver.execute(statement, values)
        return self.session.connection().execute(statement, values).all()

    def remember(self, key: Hashable, build: Callable[[], T]) -> T:
        """`build()`, or what it gave for `key` in this data generation (services/kept.py)."""
        return build() if self.kept is None else self.kept.get(key, build)

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
            via=self.driver,
        )
