"""A refused action is in the audit trail even though its use case rolls back (HIPAA 164.312(b)
audit controls; ASVS 16.3.2: log failed authorization).

`Call.require` refuses inside the use case's transaction, which the error then rolls back; the web
runtime writes the refusal again in a transaction of its own, as it does for hidden objects.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from incident_tracker.config import Settings
from incident_tracker.core.permissions import Action
from incident_tracker.services.audit import Actor
from incident_tracker.services.errors import Forbidden
from incident_tracker.web import runtime
from tests.conftest import make_user


def _refusals(app: Flask) -> list[tuple[int | None, str | None]]:
    query = text(
        "SELECT actor_id, detail FROM audit_event WHERE action = 'security.permission_refused'"
    )
    with app.test_request_context("/"), runtime.call(read_only=True) as c:
        return [(row[0], row[1]) for row in c.session.execute(query)]


def test_a_service_refusal_survives_the_rollback_of_its_use_case(
    app: Flask, settings: Settings
) -> None:
    """A read-only user's attempt to edit an incident: Forbidden, nothing the use case wrote is
    kept, and exactly one audit row names the user and the refused action."""
    reader = make_user(settings, "reader@example.org", "read_only")
    who = Actor(reader.id, reader.email, reader.role, "127.0.0.1")
    marker = text("INSERT INTO scheduler_state (pid, last_result) VALUES (777, '')")
    with app.test_request_context("/"), pytest.raises(Forbidden), runtime.call(who) as c:
        c.session.execute(marker)
        c.require(Action.EDIT_INCIDENT)
    assert _refusals(app) == [(reader.id, "edit_incident in a service")]
    with app.test_request_context("/"), runtime.call(read_only=True) as c:
        left = c.session.execute(text("SELECT count(*) FROM scheduler_state WHERE pid = 777"))
        assert left.scalar() == 0
