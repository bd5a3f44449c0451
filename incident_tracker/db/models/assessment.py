"""The guided risk assessment: one draft per incident, then immutable signed records.

A signed record is never updated or deleted (database triggers refuse it, migration 0006): a
reopened assessment is signed as the next version, whose `supersedes_id` names the one it
replaces, so the old one stays readable as it was signed (45 CFR 164.530(j)).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class AssessmentDraft(SQLModel, table=True):
    """The answers so far, saved after every step so no work is lost (idle sign-out included)."""

    __tablename__ = "assessment_draft"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", unique=True)
    step: str = Field(max_length=40)  # where the walk resumes
    answers: str = Field(sa_column=Column(Text, nullable=False))  # JSON object
    based_on_version: int | None = Field(default=None)  # the signed version it reopens
    started_by: int | None = Field(default=None, foreign_key="app_user.id")
    started_at: datetime
    updated_by: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime


class AssessmentRecord(SQLModel, table=True):
    """A signed assessment, version 1, 2, ... of its incident. Append-only."""

    __tablename__ = "assessment_record"
    __table_args__ = (
        UniqueConstraint("incident_id", "version", name="uq_assessment_record_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    version: int
    supersedes_id: int | None = Field(default=None, foreign_key="assessment_record.id", unique=True)
    approach: str = Field(max_length=20)  # assess | notify (without an assessment)
    proposed_outcome: str = Field(max_length=20)  # core.risk.Outcome
    outcome: str = Field(max_length=20)  # the officer's conclusion
    exception: str | None = Field(default=None, max_length=20)
    override_reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    answers: str = Field(sa_column=Column(Text, nullable=False))  # JSON: every answer given
    reasons: str = Field(sa_column=Column(Text, nullable=False))  # JSON: [{text, citation}]
    facts: str = Field(sa_column=Column(Text, nullable=False))  # JSON: before and after signing
    signer_id: int = Field(foreign_key="app_user.id")
    signer_name: str = Field(max_length=200)
    signed_on: date  # the organisation's local date; the determination date (NY2 runs from it)
    signed_at: datetime
    attestation: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    # The incident facts the record prints, as they were when it was signed (JSON): the record
    # shows these, never the live incident (164.530(j)). Null on records signed before 0016.
    snapshot: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AssessmentComment(SQLModel, table=True):
    """A reviewer's (or officer's) comment on a signed version, or on the draft (version null)."""

    __tablename__ = "assessment_comment"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    version: int | None = Field(default=None)
    author_id: int = Field(foreign_key="app_user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
