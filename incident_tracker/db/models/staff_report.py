"""A possible incident reported by any signed-in user (a coder, a biller, read-only included).

Under 45 CFR 164.404(a)(2) a breach is discovered on the first day any workforce member knows of
it, so the reporter's "when I first knew" is kept here and proposed as the incident's discovery
date until the privacy office confirms or changes it. The reporter's "My reports" page reads this
table (never the incident), so it moves the data generation (migration 0020).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class StaffReport(SQLModel, table=True):
    __tablename__ = "staff_report"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", unique=True)
    reporter_id: int = Field(foreign_key="app_user.id", index=True)
    first_knew_on: date
    created_at: datetime
    discovery_confirmed_at: datetime | None = Field(default=None)
    discovery_confirmed_by: int | None = Field(default=None, foreign_key="app_user.id")
