"""The scheduler's webhook job: queue the day's due-soon and overdue events, then send what is
due from the ledger, one delivery at a time.

Each delivery is claimed (pending -> claimed, a conditional UPDATE committed before the request
goes out), sent, then recorded (delivered, or pending again with a later attempt) in a
transaction of its own. A claim older than the lease, left by a scheduler killed mid-send, goes
back to pending: at-least-once, duplicates at most the number of crashes (services/dispatch.py
does the same for reminders).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from incident_tracker.db import unit_of_work
from incident_tracker.db.models import WebhookDelivery, WebhookEndpoint
from incident_tracker.services import webhook_transport, webhooks
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from incident_tracker.services.register import local_today

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # longer than one request's timeout
BATCH = 200


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after each failure, at most six hours apart."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


@dataclass
class WebhookResult:
    queued: int = 0
    delivered: int = 0
    failed: int = 0
    requeued: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"queued {self.queued}, delivered {self.delivered}, failed {self.failed}, "
            f"requeued {self.requeued}"
        )


@dataclass(frozen=True)
class WebhookWorker:
    engine: Engine
    audit_key: str
    encryption_key: str
    base_url: str
    now: Callable[[], datetime]
    production: bool = True
    allow_loopback: bool = False
    resolve: webhook_transport.Resolver = webhook_transport.system_resolver
    lease: timedelta = LEASE
    post: Callable[..., webhook_transport.Sent] = webhook_transport.post
    context: Any = None  # an ssl.SSLContext for the tests' local HTTPS server

    def tick(self, batch: int = BATCH) -> WebhookResult:
        result = WebhookResult()
        now = self.now()
        with unit_of_work(self.engine) as session:
            call = Call(session, SYSTEM, now, self.audit_key)
            result.queued = webhooks.scan_due(call, local_today(call))
        with unit_of_work(self.engine) as session:
            stale = session.exec(
                update(WebhookDelivery)
                .where(
                    col(WebhookDelivery.status) == "claimed",
                    col(WebhookDelivery.claimed_at) < now - self.lease,
                )
                .values(status="pending", claimed_at=None)
            )
            result.requeued = int(stale.rowcount or 0)
        for _ in range(batch):
            claimed = self._claim()
            if claimed is None:
                break
            self._send(claimed, result)
        return result

    def _claim(self) -> tuple[WebhookDelivery, WebhookEndpoint] | None:
        now = self.now()
        with unit_of_work(self.engine) as session:
            found = session.exec(
                select(WebhookDelivery, WebhookEndpoint)
                .join(WebhookEndpoint, col(WebhookEndpoint.id) == WebhookDelivery.endpoint_id)
                .where(
                    col(WebhookDelivery.status) == "pending",
                    col(WebhookDelivery.next_attempt_at) <= now,
                )
                .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
                .limit(1)
            ).first()
            if found is None:
                return None
            delivery, endpoint = found
            taken = session.exec(
                update(WebhookDelivery)
                .where(
                    col(WebhookDelivery.id) == delivery.id,
                    col(WebhookDelivery.status) == "pending",
                )
                .values(status="claimed", claimed_at=now)
            )
            if not taken.rowcount:
                return None
            session.expunge(delivery)
            session.expunge(endpoint)
            return delivery, endpoint

    def _body(self, delivery: WebhookDelivery) -> bytes:
        payload = json.loads(delivery.payload)
        links = payload.get("data", {}).get("links", {})
        base = self.base_url.rstrip("/")
        payload["data"]["links"] = {k: base + v for k, v in links.items()}
        return json.dumps(payload, sort_keys=True).encode()

    def _send(self, pair: tuple[WebhookDelivery, WebhookEndpoint], result: WebhookResult) -> None:
        delivery, endpoint = pair
        status: int | None = None
        problem = ""
        if not endpoint.active:
            problem = "endpoint deactivated"
        else:
            body = self._body(delivery)
            stamp = int(self.now().timestamp())
            secret = webhooks.unseal(self.encryption_key, endpoint.secret)
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "incident-tracker-webhooks",
                "X-Incident-Tracker-Event": delivery.event,
                "X-Incident-Tracker-Delivery": delivery.delivery_key,
                "X-Incident-Tracker-Signature": webhook_transport.signature(secret, stamp, body),
            }
            try:
                kwargs: dict[str, Any] = {
                    "production": self.production,
                    "allow_loopback": self.allow_loopback,
                    "resolve": self.resolve,
                }
                if self.context is not None:
                    kwargs["context"] = self.context
                status = self.post(endpoint.url, body, headers, **kwargs).status
                if not 200 <= status < 300:
                    problem = f"answered HTTP {status}"
            except webhook_transport.Refused as refused:
                problem = f"refused: {refused}"
            except OSError as exc:
                problem = f"network error: {type(exc).__name__}"
        self._record(delivery, status, problem, result)

    def _record(
        self, delivery: WebhookDelivery, status: int | None, problem: str, result: WebhookResult
    ) -> None:
        now = self.now()
        with unit_of_work(self.engine) as session:
            row = session.get(WebhookDelivery, delivery.id)
            if row is None or row.status != "claimed":
                return  # requeued under us after a long stall: the other claim records it
            row.attempts += 1
            row.last_status, row.last_error, row.claimed_at = status, problem[:200], None
            if not problem:
                row.status, row.delivered_at = "delivered", now
                result.delivered += 1
            elif row.attempts >= webhooks.MAX_ATTEMPTS or problem == "endpoint deactivated":
                row.status = "failed"
                result.failed += 1
            else:
                row.status, row.next_attempt_at = "pending", now + backoff(row.attempts)
                result.failed += 1
            session.add(row)
