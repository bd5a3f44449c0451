"""Webhooks: endpoints an admin registers, events queued in a ledger in the transaction of the
change that caused them, sent by the scheduler process with retries and backoff.

Payloads carry no PHI: the event, the incident number, the rule id, the due date and links.
Delivery is at-least-once, like the reminders (services/dispatch.py): a delivery is claimed,
sent, then recorded as delivered; a scheduler killed in between leaves a claim that goes back to
pending when its lease ends, so it is sent again with the same X-Incident-Tracker-Delivery id
(receivers drop repeats by that id): duplicates at most the number of crashes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import col, select

from incident_tracker.core import lifecycle
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import Incident, ObligationRecord, WebhookDelivery, WebhookEndpoint
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed
from incident_tracker.services.webhook_transport import Refused, check_url

EVENTS = (
    "incident.created",
    "obligation.due_soon",
    "obligation.overdue",
    "notice.approved",
    "notice.sent",
)
DUE_SOON_DAYS = 7
MAX_ATTEMPTS = 10
LOG_SIZE = 50


def _fernet(key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"incident-tracker webhook secret"
    ).derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(key: str, secret: str) -> str:
    return _fernet(key).encrypt(secret.encode()).decode("ascii")


def unseal(key: str, sealed: str) -> str:
    return _fernet(key).decrypt(sealed.encode("ascii")).decode()


@dataclass(frozen=True)
class Registered:
    endpoint: WebhookEndpoint
    secret: str  # shown once, to configure the receiver


def register(
    call: Call, url: str, events: list[str], production: bool, encryption_key: str
) -> Registered:
    call.require(Action.MANAGE_USERS)
    url = url.strip()
    errors: dict[str, str] = {}
    if len(url) > 500:
        errors["url"] = "at most 500 characters"
    else:
        try:
            check_url(url, production)
        except Refused as refused:
            errors["url"] = str(refused)
    chosen = sorted(set(events))
    if not chosen or any(e not in EVENTS for e in chosen):
        errors["events"] = "choose one or more of: " + ", ".join(EVENTS)
    if errors:
        raise ValidationFailed(errors)
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(
        url=url,
        events=json.dumps(chosen),
        secret=seal(encryption_key, secret),
        created_by=call.actor.user_id,
        created_at=call.now,
    )
    call.session.add(endpoint)
    call.session.flush()
    call.audit(
        "webhook.register",
        object_type="webhook_endpoint",
        object_id=endpoint.id,
        new={"url": url, "events": chosen},
    )
    return Registered(endpoint, secret)


def deactivate(call: Call, endpoint_id: int) -> None:
    call.require(Action.MANAGE_USERS)
    endpoint = call.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound("no such webhook")
    endpoint.active = False
    call.session.add(endpoint)
    call.audit("webhook.deactivate", object_type="webhook_endpoint", object_id=endpoint_id)


def endpoints(call: Call) -> list[WebhookEndpoint]:
    call.require(Action.MANAGE_USERS)
    return list(call.session.exec(select(WebhookEndpoint).order_by(col(WebhookEndpoint.id))))


def log(call: Call) -> list[WebhookDelivery]:
    """The newest deliveries, for the admin page."""
    call.require(Action.MANAGE_USERS)
    query = select(WebhookDelivery).order_by(col(WebhookDelivery.id).desc()).limit(LOG_SIZE)
    return list(call.session.exec(query))


def _links(incident_id: int) -> dict[str, str]:
    """Paths: the sender puts BASE_URL in front (services/webhook_worker.py)."""
    return {"incident": f"/incidents/{incident_id}", "api": f"/api/v1/incidents/{incident_id}"}


def enqueue(call: Call, event: str, once: str, data: Mapping[str, Any]) -> int:
    """One delivery per active endpoint that wants `event`; `once` names the occurrence, so the
    same occurrence is queued once however often it is seen (the delivery id derives from it)."""
    queued = 0
    for endpoint in call.session.exec(
        select(WebhookEndpoint).where(col(WebhookEndpoint.active).is_(True))
    ):
        if event not in json.loads(endpoint.events):
            continue
        key = hashlib.sha256(f"{endpoint.id}:{event}:{once}".encode()).hexdigest()[:40]
        exists = call.session.exec(
            select(WebhookDelivery.id).where(WebhookDelivery.delivery_key == key)
        ).first()
        if exists is not None:
            continue
        payload = {"event": event, "id": key, "created": call.now.isoformat(), "data": data}
        call.session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id or 0,
                delivery_key=key,
                event=event,
                payload=json.dumps(payload, default=str, sort_keys=True),
                next_attempt_at=call.now,
                created_at=call.now,
            )
        )
        queued += 1
    call.session.flush()
    return queued


def incident_created(call: Call, incident: Incident) -> None:
    data = {"incident": incident.number, "links": _links(incident.id or 0)}
    enqueue(call, "incident.created", f"incident:{incident.id}", data)


def _duty(incident: Incident, record: ObligationRecord) -> dict[str, Any]:
    return {
        "incident": incident.number,
        "rule_id": record.rule_id,
        "due": record.due.isoformat() if record.due else None,
        "links": _links(incident.id or 0),
    }


def notice_approved(call: Call, incident: Incident, record: ObligationRecord, version: int) -> None:
    enqueue(call, "notice.approved", f"approved:{record.id}:{version}", _duty(incident, record))


def notice_sent(call: Call, incident: Incident, record: ObligationRecord, sent_id: int) -> None:
    enqueue(call, "notice.sent", f"sent:{sent_id}", _duty(incident, record))


def scan_due(call: Call, today: date) -> int:
    """Open legal duties of open incidents due within DUE_SOON_DAYS, or past due: queued once per
    duty and due date (a due date that moves is a new occurrence)."""
    wanted = {"obligation.due_soon", "obligation.overdue"}
    if not any(
        wanted & set(json.loads(events))
        for events in call.session.exec(
            select(WebhookEndpoint.events).where(col(WebhookEndpoint.active).is_(True))
        )
    ):
        return 0  # nobody listens: no scan every tick
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    rows = call.session.exec(
        select(ObligationRecord, Incident)
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .where(
            col(ObligationRecord.live).is_(True),
            col(ObligationRecord.kind) == "legal",
            col(ObligationRecord.done_on).is_(None),
            col(ObligationRecord.due).is_not(None),
            col(ObligationRecord.due) <= horizon,
            col(Incident.status).in_(lifecycle.OPEN_STATUSES),
        )
    ).all()
    queued = 0
    for record, incident in rows:
        due = record.due or today
        event = "obligation.overdue" if due < today else "obligation.due_soon"
        data = {
            "incident": incident.number,
            "rule_id": record.rule_id,
            "due": due.isoformat(),
            "links": _links(incident.id or 0),
        }
        queued += enqueue(call, event, f"{event}:{record.id}:{due}", data)
    return queued
