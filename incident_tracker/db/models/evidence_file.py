"""Incident evidence files (the ZIP an auditor or OCR investigator is handed): one row per
request, built by the scheduler in the background with its progress, then kept under a random
name outside the web root with its SHA-256 (45 CFR 164.414(b), 164.530(j))."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class EvidenceFile(SQLModel, table=True):
    __tablename__ = "evidence_file"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    status: str = Field(default="queued", max_length=20)  # queued | running | done | failed
    include_privileged: bool = Field(default=False)
    total: int = Field(default=0)  # files to put in the ZIP, known once running
    done: int = Field(default=0)
    storage_name: str | None = Field(default=None, max_length=80)
    sha256: str = Field(default="", max_length=64)
    size: int = Field(default=0)
    error: str = Field(default="", max_length=500)
    requested_by: int | None = Field(default=None, foreign_key="app_user.id")
    requested_at: datetime
    finished_at: datetime | None = Field(default=None)
