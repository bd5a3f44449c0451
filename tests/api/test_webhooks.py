"""Webhooks end to end: an admin registers a local receiver on the admin page (the secret shown
once), an incident created through the API queues `incident.created` in the same transaction,
the scheduler's worker sends it to a real HTTP server with a delivery id and a signature the
receiver verifies; failures are retried with backoff under the same id; redirects are not
followed; due-soon and overdue events are queued once per duty; the delivery log is on the
admin page; payloads carry no PHI."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import User, WebhookDelivery
from incident_tracker.services.webhook_worker import WebhookWorker
from tests.api.helpers import create_incident, issue
from tests.api.receiver import Receiver
from tests.conftest import csrf_token, sign_in

BASE = "https://tracker.example.org"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    try:
        yield running
    finally:
        running.stop()


def register(client: FlaskClient, url: str, *events: str) -> str:
    """Through the admin page, as an admin: the signing secret, shown on that answer only."""
    token = csrf_token(client, "/admin/webhooks")
    page = client.post(
        "/admin/webhooks", data={"csrf_token": token, "url": url, "events": list(events)}
    )
    assert page.status_code == 200, page.get_data(as_text=True)
    found = re.search(r"<code data-secret>(whsec_[^<]+)</code>", page.get_data(as_text=True))
    assert found
    return found.group(1)


def worker(settings: Settings, engine: Engine, clock: FixedClock) -> WebhookWorker:
    return WebhookWorker(
        engine,
        settings.audit_key,
        settings.mfa_encryption_key,
        BASE,
        clock.now,
        production=False,
        allow_loopback=True,
    )


def verify(secret: str, header: str, body: bytes) -> int:
    """What a receiver does (README): recompute v1 over TIMESTAMP + "." + body."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"])
    return int(parts["t"])


def deliveries(engine: Engine) -> list[WebhookDelivery]:
    with unit_of_work(engine) as session:
        rows = list(session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        for row in rows:
            session.expunge(row)
        return rows


@pytest.fixture
def admin_client(client: FlaskClient, admin: User) -> FlaskClient:
    sign_in(client, admin.email)
    return client


def test_an_incident_created_through_the_api_is_delivered_signed_to_a_real_server(
    admin_client: FlaskClient,
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    officer: User,
    receiver: Receiver,
) -> None:
    secret = register(admin_client, f"http://127.0.0.1:{receiver.port}/hook", "incident.created")
    api = admin_client.application.test_client()
    created = create_incident(api, issue(settings, officer.id or 0), title="Stolen laptop XYZ")
    result = worker(settings, engine, clock).tick()
    assert result.delivered == 1
    (got,) = receiver.received
    assert got.path == "/hook"
    stamp = verify(secret, got.headers["X-Incident-Tracker-Signature"], got.body)
    assert stamp == int(clock.now().timestamp())
    (row,) = deliveries(engine)
    assert got.headers["X-Incident-Tracker-Delivery"] == row.delivery_key
    assert got.headers["X-Incident-Tracker-Event"] == "incident.created"
    payload: dict[str, Any] = json.loads(got.body)
    assert payload["event"] == "incident.created"
    assert payload["data"] == {
        "incident": created["number"],
        "links": {
            "incident": f"{BASE}/incidents/{created['id']}",
            "api": f"{BASE}/api/v1/incidents/{created['id']}",
        },
    }
    assert b"Stolen laptop" not in got.body  # no title, narrative or counts: no PHI
    assert row.status == "delivered" and row.attempts == 1
    log = admin_client.get("/admin/webhooks").get_data(as_text=True)
    assert f'id="delivery-{row.id}" data-status="delivered"' in log
    assert secret not in log  # shown once, stored encrypted
    assert worker(settings, engine, clock).tick().delivered == 0  # nothing sent twice


def test_a_failed_delivery_is_retried_with_backoff_under_the_same_id(
    admin_client: FlaskClient,
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    officer: User,
    receiver: Receiver,
) -> None:
    secret = register(admin_client, f"http://127.0.0.1:{receiver.port}/hook", "incident.created")
    create_incident(admin_client.application.test_client(), issue(settings, officer.id or 0))
    receiver.answers = [500, 503]
    sender = worker(settings, engine, clock)
    assert sender.tick().failed == 1
    (row,) = deliveries(engine)
    assert (row.status, row.attempts, row.last_status) == ("pending", 1, 500)
    # backoff after the first failure: 1 minute; after the second: 2 minutes
    assert row.next_attempt_at.replace(tzinfo=None) == (clock.now() + timedelta(minutes=1)).replace(
        tzinfo=None
    )
    assert sender.tick().failed == 0 and len(receiver.received) == 1  # not due yet
    clock.advance(minutes=1)
    assert sender.tick().failed == 1
    clock.advance(minutes=2)
    assert sender.tick().delivered == 1
    ids = {r.headers["X-Incident-Tracker-Delivery"] for r in receiver.received}
    assert len(receiver.received) == 3 and ids == {row.delivery_key}
    for got in receiver.received:
        verify(secret, got.headers["X-Incident-Tracker-Signature"], got.body)


def test_a_redirect_is_not_followed(
    admin_client: FlaskClient,
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    officer: User,
    receiver: Receiver,
) -> None:
    elsewhere = Receiver().start()
    try:
        receiver.answers = [302]
        receiver.location = f"http://127.0.0.1:{elsewhere.port}/internal"
        register(admin_client, f"http://127.0.0.1:{receiver.port}/hook", "incident.created")
        create_incident(admin_client.application.test_client(), issue(settings, officer.id or 0))
        worker(settings, engine, clock).tick()
        assert elsewhere.received == []
        (row,) = deliveries(engine)
        assert (row.status, row.last_error) == ("pending", "answered HTTP 302")
    finally:
        elsewhere.stop()


def test_due_soon_and_overdue_events_are_queued_once_per_duty(
    admin_client: FlaskClient,
    settings: Settings,
    engine: Engine,
    clock: FixedClock,
    officer: User,
    receiver: Receiver,
) -> None:
    register(
        admin_client,
        f"http://127.0.0.1:{receiver.port}/hook",
        "obligation.due_soon",
        "obligation.overdue",
    )
    api = admin_client.application.test_client()
    # Discovered 2026-09-01: the HIPAA individual notice (F1) is due 60 days later at the
    # latest, 2026-10-31 (45 CFR 164.404(b)): past due on 2026-11-23, the clock's today.
    created = create_incident(
        api, issue(settings, officer.id or 0), discovered_on="2026-09-01", states={"NY": 600}
    )
    # Discovered 2026-09-28: F1 due 60 days later, 2026-11-27 (2 days to 30 Sep, 31 in October,
    # 27 in November = 60): due in 4 days on 2026-11-23, within the 7 of "due soon".
    soon = create_incident(
        api, issue(settings, officer.id or 0), discovered_on="2026-09-28", states={"NY": 600}
    )
    sender = worker(settings, engine, clock)
    first = sender.tick()
    assert first.queued >= 2 and first.delivered == first.queued
    events = [json.loads(r.body) for r in receiver.received]
    f1 = [e for e in events if e["data"]["rule_id"] == "F1"]
    assert sorted((e["data"]["incident"], e["event"], e["data"]["due"]) for e in f1) == [
        (created["number"], "obligation.overdue", "2026-10-31"),
        (soon["number"], "obligation.due_soon", "2026-11-27"),
    ]
    overdue = [e for e in f1 if e["event"] == "obligation.overdue"]
    assert overdue[0]["data"]["due"] == "2026-10-31"
    assert overdue[0]["data"]["incident"] == created["number"]
    assert set(overdue[0]["data"]) == {"incident", "rule_id", "due", "links"}
    again = sender.tick()
    assert again.queued == 0 and again.delivered == 0


def test_the_webhook_page_is_for_admins_and_refuses_bad_urls_beside_the_field(
    client: FlaskClient, settings: Settings, officer: User, admin: User
) -> None:
    sign_in(client, officer.email)
    assert client.get("/admin/webhooks").status_code == 403
    admin_client = client.application.test_client()
    sign_in(admin_client, admin.email)
    token = csrf_token(admin_client, "/admin/webhooks")
    for url, message in (
        ("http://hooks.example.org/x", "use https://"),
        ("https://user:pw@hooks.example.org/x", "no user name or password"),
        ("ftp://hooks.example.org/x", "use https://"),
    ):
        page = admin_client.post(
            "/admin/webhooks",
            data={"csrf_token": token, "url": url, "events": ["incident.created"]},
        )
        assert page.status_code == 422
        html = page.get_data(as_text=True)
        assert message in html and f'value="{url}"' in html
    none = admin_client.post(
        "/admin/webhooks", data={"csrf_token": token, "url": "https://hooks.example.org/x"}
    )
    assert none.status_code == 422 and "choose one or more of" in none.get_data(as_text=True)
