"""What was sent, returned and filed after: the proof behind every obligation marked done
(45 CFR 164.414(b), 164.530(j)). Rows are history: a mistake is voided, never edited away."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel


class SentRecord(SQLModel, table=True):
    """One submission of a notice: each mailing, posting or filing is a row; the obligation's
    done_* columns show the earliest one still standing (the date the clocks run from)."""

    __tablename__ = "sent_record"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    obligation_id: int = Field(foreign_key="obligation.id", index=True)
    sent_on: date
    method: str = Field(max_length=40)
    recipients: int | None = Field(default=None)
    reference: str = Field(default="", max_length=200)  # tracking or portal transaction number
    attachment_id: int | None = Field(default=None, foreign_key="attachment.id")
    notice_version_id: int | None = Field(default=None, foreign_key="notice_version.id")
    deemed_from_id: int | None = Field(default=None, foreign_key="sent_record.id")
    note: str = Field(default="", max_length=500)
    # Why it went before a notice that must precede it (N.J.S.A. 56:8-163(c)(1)), when it did.
    order_reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # Why a stale approved version was sent without re-approval (the officer's override).
    stale_reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    recorded_by: int | None = Field(default=None, foreign_key="app_user.id")
    recorded_at: datetime
    voided_at: datetime | None = Field(default=None)
    voided_by: int | None = Field(default=None, foreign_key="app_user.id")


class ReturnedMail(SQLModel, table=True):
    """A batch of letters returned undeliverable: the running total is the number of people the
    incident could not reach (164.404(d)(2))."""

    __tablename__ = "returned_mail"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    returned_on: date
    count: int
    total_after: int
    note: str = Field(default="", max_length=500)
    recorded_by: int | None = Field(default=None, foreign_key="app_user.id")
    recorded_at: datetime


class HhsAddendum(SQLModel, table=True):
    """A follow-up submission to HHS after an estimate (the OCR portal addendum,
    docs/law/federal.md)."""

    __tablename__ = "hhs_addendum"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    obligation_id: int = Field(foreign_key="obligation.id", index=True)
    submitted_on: date
    affected_count: int
    reference: str = Field(default="", max_length=200)  # the addendum's transaction number
    note: str = Field(default="", max_length=500)
    recorded_by: int | None = Field(default=None, foreign_key="app_user.id")
    recorded_at: datetime
