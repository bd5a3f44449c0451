"""Emergency access to a restricted incident (HIPAA 164.312(a)(2)(ii)): one row per use.

A grant lets its user see one incident until `expires_at`; the incident page lists every grant,
so the row moves the data generation (migration 0017).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel


class BreakGlassGrant(SQLModel, table=True):
    __tablename__ = "break_glass_grant"
    __table_args__ = (
        # the access check: this user's live grant on this incident
        Index("ix_break_glass_grant_lookup", "incident_id", "user_id", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id")
    user_id: int = Field(foreign_key="app_user.id", index=True)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    granted_at: datetime = Field(index=True)
    expires_at: datetime
