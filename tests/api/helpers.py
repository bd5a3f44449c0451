"""Tokens for API tests, made through the same service the account page and the CLI use."""

from __future__ import annotations

from datetime import datetime

from flask.testing import FlaskClient

from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.services import api_tokens
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import START


def issue(
    settings: Settings,
    user_id: int,
    scope: str = "write",
    days: int | None = None,
    at: datetime = START,
) -> str:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), at, settings.audit_key)
            return api_tokens.create(call, user_id, scope, days).secret
    finally:
        engine.dispose()


def auth(token: str, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **more}


def create_incident(client: FlaskClient, token: str, **facts: object) -> dict[str, object]:
    body = {"title": "Laptop stolen from car", "discovered_on": "2026-11-20", **facts}
    response = client.post("/api/v1/incidents", json=body, headers=auth(token))
    assert response.status_code == 201, response.get_data(as_text=True)
    created: dict[str, object] = response.get_json()
    return created
