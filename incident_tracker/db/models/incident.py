"""Incidents and the facts the law turns on (the incident JSON format (README.md, Calculator)),
with their States, holds and people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel


class Incident(SQLModel, table=True):
    # The register's order and visibility filter from the index alone: its count and deep pages
    # read no table rows (benchmarks/web.py).
    __table_args__ = (
        Index("ix_incident_register", "discovered_on", "id", "restricted", "owner_id"),
        Index("ix_incident_board", "status", "restricted", "owner_id"),  # the deadline board
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    title: str = Field(max_length=200)
    narrative: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    incident_type: str | None = Field(default=None, max_length=40)
    breach_type: str = Field(default="unknown", max_length=40)
    location: str = Field(default="other", max_length=40)
    location_other: str = Field(default="", max_length=200)
    # occurred: a date, a range (occurred_on .. occurred_until) or unknown (both null)
    occurred_on: date | None = Field(default=None)
    occurred_until: date | None = Field(default=None)
    discovered_on: date = Field(index=True)
    privacy_office_learned_on: date | None = Field(default=None)
    privacy_office_justification: str = Field(default="", max_length=2000)
    entity_type: str = Field(max_length=40)
    hipaa_covered_entity: bool = Field(default=True)
    client_id: int | None = Field(default=None, foreign_key="covered_entity_client.id")
    facility_id: int | None = Field(default=None, foreign_key="facility.id")
    nydfs_covered_entity: bool = Field(default=False)
    dfs_determined_at: datetime | None = Field(default=None)
    # 23 NYCRR 500.17(c): when an extortion payment was made (NY8, NY9).
    dfs_ransom_paid_at: datetime | None = Field(default=None)
    ba_is_agent_of_ce: bool | None = Field(default=None)
    ce_notified_by_ba_on: date | None = Field(default=None)
    # A business associate with several covered-entity clients: JSON {client name: date told as
    # YYYY-MM-DD, or null while not yet told}; "{}" for one client (ce_notified_by_ba_on).
    ce_clients_notified: str = Field(
        default="{}", sa_column=Column(Text, nullable=False, server_default="{}")
    )
    part2_program: bool = Field(default=False)
    total_affected: int = Field(default=0)
    # Residents outside the U.S.: JSON {country name: count}, listed as not evaluated.
    affected_outside_us: str = Field(
        default="{}", sa_column=Column(Text, nullable=False, server_default="{}")
    )
    count_is_estimate: bool = Field(default=False)
    data_elements: str = Field(default="[]", max_length=2000)  # JSON list of element names
    medium: str = Field(default="electronic", max_length=20)
    acquired: bool | None = Field(default=None)
    phi_encrypted: bool | None = Field(default=None)
    encryption_key_compromised: bool | None = Field(default=None)
    # The FIPS validation of the encryption module (140-3, 140-2 or none; null: not recorded).
    fips_validation: str | None = Field(default=None, max_length=10)
    risk_assessment: str | None = Field(default=None, max_length=40)
    exception: str | None = Field(default=None, max_length=20)
    unreachable_individuals: int | None = Field(default=None)
    substitute_notice_started_on: date | None = Field(default=None)
    ny_harm_determination_on: date | None = Field(default=None)
    nj_misuse_determination_on: date | None = Field(default=None)
    cdph_exclusion: str | None = Field(default=None, max_length=1)
    safeguards: str = Field(default="[]", max_length=1000)  # JSON list, core.portal.SAFEGUARDS
    corrective_actions: str = Field(default="[]", max_length=1000)  # JSON list
    sanctions: str = Field(default="", max_length=2000)
    status: str = Field(default="intake", max_length=20, index=True)
    void_reason: str = Field(default="", max_length=2000)
    closing_note: str = Field(default="", max_length=4000)
    restricted: bool = Field(default=False)
    owner_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime
    updated_at: datetime
    lock_version: int = Field(default=1)  # optimistic concurrency for the edit form


class IncidentState(SQLModel, table=True):
    """Affected residents of one State (45 CFR 160.103 "State" includes DC and the territories)."""

    __tablename__ = "incident_state"
    __table_args__ = (UniqueConstraint("incident_id", "state", name="uq_incident_state_state"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    state: str = Field(max_length=2)
    count: int


class IncidentAssignee(SQLModel, table=True):
    __tablename__ = "incident_assignee"
    __table_args__ = (UniqueConstraint("incident_id", "user_id", name="uq_incident_assignee_user"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)


class LawEnforcementHold(SQLModel, table=True):
    """A law-enforcement statement delaying notice (45 CFR 164.412; NY, NJ, CA equivalents)."""

    __tablename__ = "law_enforcement_hold"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    form: str = Field(max_length=10)  # oral | written
    statement_date: date
    delay_until: date | None = Field(default=None)
    official: str = Field(default="", max_length=200)
    agency: str = Field(default="", max_length=200)
    notices_affected: str = Field(default="", max_length=500)
    attachment_id: int | None = Field(default=None, foreign_key="attachment.id")
    created_at: datetime


class Attachment(SQLModel, table=True):
    """A file kept outside the web root under a random name; served only as a download."""

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    kind: str = Field(max_length=40)
    original_name: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    storage_name: str = Field(max_length=80, unique=True)
    uploaded_by: int | None = Field(default=None, foreign_key="app_user.id")
    uploaded_at: datetime
