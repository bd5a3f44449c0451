"""Notices under legal review: one notice per obligation, immutable text versions,
paragraph-anchored comments and the approval that locks a version with its stored files.

A version row is never updated: an edit is a new row. The approval of a version is a row of its
own, holding the SHA-256 of the exact DOCX and PDF rendered at approval (45 CFR 164.530(j)).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class NoticeDetailsRecord(SQLModel, table=True):
    """The incident's notice details, entered once and reused by every draft (JSON in the CLI's
    `notice` shape, read back with core.notices.parse_notice)."""

    __tablename__ = "notice_details"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", unique=True)
    data: str = Field(sa_column=Column(Text, nullable=False))
    revision: int = Field(default=1)  # bumped on each save; versions record the one they used
    updated_by: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime


class Notice(SQLModel, table=True):
    """The notice that discharges one obligation, and where it stands in review."""

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    obligation_id: int = Field(foreign_key="obligation.id", unique=True)
    kind: str = Field(max_length=20)  # core.notices.NoticeKind
    state: str = Field(default="draft", max_length=20)  # core.review.ReviewState
    sent_version_id: int | None = Field(default=None)  # the version recorded as sent
    # The legal reviewer a submitted notice waits for ("My reviews"); kept after the review.
    reviewer_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    # Who submitted it last: the officer told of comments, changes requested and approval.
    submitted_by: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
    updated_at: datetime


class NoticeVersion(SQLModel, table=True):
    """One text of a notice: number n, who wrote it, when and why. Never changed once written."""

    __tablename__ = "notice_version"
    __table_args__ = (UniqueConstraint("notice_id", "number", name="uq_notice_version_number"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    number: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
    cause: str = Field(default="", max_length=200)  # generated | edited | regenerated ...
    details_revision: int | None = Field(default=None)
    # The values this text printed from the facts, the organisation profile and the details when
    # it was drafted (JSON, label -> printed value) and their SHA-256: a later difference from the
    # current values makes an unsent notice stale and a sent one "differs from current facts".
    facts_printed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    facts_fingerprint: str | None = Field(default=None, max_length=64)


class NoticeApproval(SQLModel, table=True):
    """The approval that locks one version, with the exact files rendered from it."""

    __tablename__ = "notice_approval"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    version_id: int = Field(foreign_key="notice_version.id", unique=True)
    approved_by: int | None = Field(default=None, foreign_key="app_user.id")
    approved_at: datetime
    missing: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON at approval
    override_reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    # What the editor of this version attested when approving their own edit (one-lawyer
    # organisations, when the organisation profile allows it); None when someone else approved.
    attestation: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    docx_storage: str = Field(max_length=80, unique=True)
    docx_sha256: str = Field(max_length=64)
    docx_size: int
    pdf_storage: str = Field(max_length=80, unique=True)
    pdf_sha256: str = Field(max_length=64)
    pdf_size: int


class NoticeComment(SQLModel, table=True):
    """A comment anchored to a paragraph (index and a short quote, so the anchor survives edits);
    a reply names its thread's first comment as parent."""

    __tablename__ = "notice_comment"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    version_id: int = Field(foreign_key="notice_version.id")
    parent_id: int | None = Field(default=None, foreign_key="notice_comment.id")
    paragraph: int = Field(default=0)
    quote: str = Field(default="", max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    author_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
    resolved_at: datetime | None = Field(default=None)
    resolved_by: int | None = Field(default=None, foreign_key="app_user.id")


class NoticeContentDecision(SQLModel, table=True):
    """The officer's decision on a sent notice whose printed facts no longer match the current
    ones: whether a correction is owed, and why. It answers one difference (the fingerprint of the
    current facts it was taken against); a later change asks again."""

    __tablename__ = "notice_content_decision"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    version_id: int = Field(foreign_key="notice_version.id")
    fingerprint: str = Field(max_length=64)
    correction_owed: bool
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime
