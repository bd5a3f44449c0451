"""Obligations with a stable identity and immutable versions (architecture.md §1.5)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class ObligationRecord(SQLModel, table=True):
    """One duty of one incident, identified by (incident, rule id, State, party) for its whole life.

    The current terms are copied here for listing and filtering; every computation that changed
    something is also kept as an `ObligationVersion`.
    """

    __tablename__ = "obligation"
    __table_args__ = (
        UniqueConstraint("incident_id", "rule_id", "state", "party", name="uq_obligation_identity"),
        # The deadline board reads open legal duties by due date (services/register.board).
        Index("ix_obligation_open_due", "incident_id", "kind", "live", "done_on", "due", "outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    rule_id: str = Field(max_length=20)
    state: str = Field(default="", max_length=2)
    # "covered_entity", "business_associate", or a business associate's covered-entity client.
    party: str = Field(default="", max_length=200)
    jurisdiction: str = Field(max_length=20)
    kind: str = Field(max_length=20)
    due: date | None = Field(default=None, index=True)
    outcome: str = Field(max_length=20)  # dated | waiting | no_fixed_deadline | record
    live: bool = Field(default=True)  # false once a recompute no longer finds the duty
    terms: str = Field(sa_column=Column(Text, nullable=False))  # JSON of the latest version
    version: int = Field(default=1)
    done_on: date | None = Field(default=None)
    done_method: str | None = Field(default=None, max_length=40)
    done_recipients: int | None = Field(default=None)
    done_reference: str = Field(default="", max_length=200)
    done_by: int | None = Field(default=None, foreign_key="app_user.id")
    done_at: datetime | None = Field(default=None)
    created_at: datetime
    # The person this duty is given to: its reminders go to them ("My duties"); the owner and
    # the privacy officers are told as well once it is overdue.
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)


class ObligationVersion(SQLModel, table=True):
    """An immutable computation of one obligation: the rule's terms and dates at that time."""

    __tablename__ = "obligation_version"
    __table_args__ = (
        UniqueConstraint("obligation_id", "version", name="uq_obligation_version_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    obligation_id: int = Field(foreign_key="obligation.id", index=True)
    version: int
    computed_at: datetime
    live: bool
    terms: str = Field(sa_column=Column(Text, nullable=False))
    cause: str = Field(default="", max_length=200)
