"""Personal API tokens, their use counters, idempotent writes, webhooks and their delivery ledger.

A token is stored only as its SHA-256 (it is a 256-bit random value, not a password); its counters
live in a row of their own, untracked by the data generation, because every API call moves them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(default="", max_length=120)
    prefix: str = Field(max_length=16)  # the first characters, shown to recognise it
    token_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(max_length=8)  # read | write
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = Field(default=None)
    revoke_reason: str | None = Field(default=None, max_length=32)


class ApiTokenUse(SQLModel, table=True):
    """The rate-limit window and last use of one token, shared by every worker."""

    __tablename__ = "api_token_use"

    token_id: int = Field(foreign_key="api_token.id", primary_key=True)
    window_start: datetime
    window_count: int = Field(default=0)
    last_used_at: datetime | None = Field(default=None)


class ApiIdempotency(SQLModel, table=True):
    """The answer given to a write sent with an Idempotency-Key: the same key gets it again."""

    __tablename__ = "api_idempotency"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_api_idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(foreign_key="api_token.id")
    key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    status: int
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=500)
    events: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of event names
    secret: str = Field(sa_column=Column(Text, nullable=False))  # Fernet-encrypted
    active: bool = Field(default=True)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint: pending -> claimed -> delivered, or back to pending with a
    later attempt; a claim older than the lease (a scheduler killed mid-send) is taken again."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    delivery_key: str = Field(max_length=64, unique=True)  # X-Incident-Tracker-Delivery
    event: str = Field(max_length=40)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=16)  # pending|claimed|delivered|failed
    attempts: int = Field(default=0)
    next_attempt_at: datetime
    claimed_at: datetime | None = Field(default=None)
    last_status: int | None = Field(default=None)
    last_error: str = Field(default="", max_length=200)
    delivered_at: datetime | None = Field(default=None)
    created_at: datetime
