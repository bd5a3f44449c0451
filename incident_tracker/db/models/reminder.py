"""The reminder ledger: the durable state of every reminder (architecture.md §1.8).

APScheduler only ticks; which reminders are due, claimed, sent or cancelled lives here, written in
the same transaction as the obligations they belong to.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class Reminder(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("obligation_id", "offset", "due_for", name="uq_reminder_step"),
        Index("ix_reminder_due", "status", "send_at"),
        # /healthz and the home page count the unsent reminders that keep failing on every call
        Index("ix_reminder_failing", "status", "attempts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: int = Field(foreign_key="obligation.id", index=True)
    offset: str = Field(max_length=20)  # d-14 ... d0, o+1, o+w2, n1, h-24, created, soon
    due_for: str = Field(max_length=40)  # the due date/time (and outcome) it was computed for
    kind: str = Field(max_length=20)  # due_soon | due | overdue | nudge
    send_at: datetime
    status: str = Field(default="pending", max_length=12)  # pending|claimed|sent|cancelled
    attempts: int = Field(default=0)
    claimed_at: datetime | None = Field(default=None)
    sent_at: datetime | None = Field(default=None)
    last_error: str = Field(default="", max_length=500)
    created_at: datetime
    # A hand-off message (kind "handoff": a notice submitted, sent back, approved ...) goes to
    # this one person; a deadline reminder (None) goes to the duty's people.
    recipient_id: int | None = Field(default=None, foreign_key="app_user.id")


class SentEmail(SQLModel, table=True):
    """What left the machine, for the outbox page and the paper trail (never PHI)."""

    __tablename__ = "sent_email"

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    message_id: str = Field(max_length=200)
    sent_at: datetime = Field(index=True)


class Notification(SQLModel, table=True):
    """The in-app copy of a reminder for one user."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id")
    incident_id: int | None = Field(default=None, foreign_key="incident.id")
    subject: str = Field(max_length=300)
    created_at: datetime
    read_at: datetime | None = Field(default=None)


class UserPreference(SQLModel, table=True):
    """Per-user reminder options: the daily digest and the calendar feed's secret (hashed)."""

    __tablename__ = "user_preference"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    daily_digest: bool = Field(default=False)
    last_digest_on: date | None = Field(default=None)
    calendar_token_hash: str | None = Field(default=None, max_length=64, index=True)


class SchedulerState(SQLModel, table=True):
    """A single row: the scheduler's last tick and the last tick that raised, for /healthz."""

    __tablename__ = "scheduler_state"

    id: int | None = Field(default=None, primary_key=True)
    last_tick_at: datetime | None = Field(default=None)
    pid: int | None = Field(default=None)
    last_result: str = Field(default="", max_length=200)
    last_error_at: datetime | None = Field(default=None)
    last_error: str = Field(default="", max_length=200)  # the exception's class only
