"""Accounts and their server-side sessions (HIPAA 164.312(a)(2)(iii), (d); ASVS 5.0 V6-V7)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-cased
    display_name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=32)
    is_active: bool = Field(default=True)
    is_demo: bool = Field(default=False)
    # May sign in with its local password while single sign-on is on (an admin with a second
    # factor; set by an admin): the way in when the identity provider is down.
    emergency_local: bool = Field(default=False)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)
    created_at: datetime
    password_changed_at: datetime


class UserSession(SQLModel, table=True):
    """One sign-in. The cookie carries a random token; only its SHA-256 is stored here."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = Field(default=None)
    end_reason: str | None = Field(default=None, max_length=32)
    client_address: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=255)
