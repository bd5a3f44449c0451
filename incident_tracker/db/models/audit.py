"""The append-only audit trail (45 CFR 164.312(b), 164.530(j); ASVS 5.0 V16).

UPDATE and DELETE are refused by database triggers (see the migration); each row carries an HMAC
over its content and the previous row's HMAC, keyed from the environment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_action_address_at", "action", "client_address", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor_email: str | None = Field(default=None, max_length=254)
    action: str = Field(max_length=64)
    object_type: str | None = Field(default=None, max_length=40)
    object_id: str | None = Field(default=None, max_length=64)
    old_values: str | None = Field(default=None, sa_column=Column(Text))
    new_values: str | None = Field(default=None, sa_column=Column(Text))
    client_address: str | None = Field(default=None, max_length=64)
    detail: str | None = Field(default=None, sa_column=Column(Text))
    prev_mac: str = Field(max_length=64)
    mac: str = Field(max_length=64)
