"""Second factors and one-time account links (45 CFR 164.312(d); ASVS 5.0 V6).

A TOTP seed is kept only encrypted (services/mfa_secrets.py); recovery codes and link tokens
only as keyed or plain hashes, so a copy of the database lets no one sign in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel


class UserMfa(SQLModel, table=True):
    """A user's authenticator: counts only once `confirmed_at` is set (a code proved it)."""

    __tablename__ = "user_mfa"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    secret_encrypted: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    confirmed_at: datetime | None = Field(default=None)
    # The last RFC 6238 time step accepted: a code of that step or earlier is refused (replay).
    last_used_step: int | None = Field(default=None)


class MfaRecoveryCode(SQLModel, table=True):
    """One single-use recovery code, kept as its HMAC under the MFA key."""

    __tablename__ = "mfa_recovery_code"
    __table_args__ = (Index("ix_mfa_recovery_code_lookup", "user_id", "code_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    code_hash: str = Field(max_length=64)
    created_at: datetime
    used_at: datetime | None = Field(default=None)


class AccountToken(SQLModel, table=True):
    """A one-time link: password reset (30 minutes) or invitation (72 hours). Only the SHA-256
    of the token is kept; `used_at` makes it single-use."""

    __tablename__ = "account_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    purpose: str = Field(max_length=16)  # reset | invite
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = Field(default=None)
