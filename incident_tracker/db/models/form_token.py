"""One-time form tokens: a form submitted twice (Back and submit again, a double click) saves
once, and the second submission is told where the first one went."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class FormToken(SQLModel, table=True):
    __tablename__ = "form_token"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)  # random, rendered in the form
    purpose: str = Field(max_length=20)  # incident.create | sent.record
    incident_id: int = Field(foreign_key="incident.id", index=True)
    object_id: int  # the incident or the sent record the submission created
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
