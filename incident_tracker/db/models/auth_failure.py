"""The sign-in throttle's store: failed attempts per client address in ten-minute windows.

Each window is summarised into the audit trail once, after it closes (services/auth_failures.py),
so a flood of failures costs one audit row per address per window instead of one per request
(ASVS 5.0 16.3.1 logs authentication failures; 6.3.1 limits them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class AuthFailureWindow(SQLModel, table=True):
    __tablename__ = "auth_failure_window"
    __table_args__ = (
        UniqueConstraint("client_address", "window_start", name="uq_auth_failure_window_slot"),
        Index("ix_auth_failure_window_address_last", "client_address", "last_at"),
        Index("ix_auth_failure_window_open", "summarised_at", "window_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_address: str = Field(max_length=64)
    window_start: datetime  # aligned to ten minutes, UTC
    first_at: datetime
    last_at: datetime
    attempts: int = Field(default=0)  # every failure, refused-unchecked ones included
    throttled: int = Field(default=0)  # refused by the throttle without checking a password
    reasons: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON counts
    accounts: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON e-mails
    unlisted_attempts: int = Field(default=0)  # for e-mails beyond the ones listed
    summarised_at: datetime | None = Field(default=None)
