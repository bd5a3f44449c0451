"""The affected-individual list (PHI: kept only in the database, under the incident's access
rules and retention) and the merged-letter runs made from it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel


class IndividualList(SQLModel, table=True):
    """One uploaded list: pending until confirmed, then the incident's list until a newer one
    supersedes it. Holds counts only; the people are `AffectedIndividual` rows."""

    __tablename__ = "individual_list"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    status: str = Field(default="pending", max_length=20)  # pending|confirmed|superseded|discarded
    rows_read: int
    people: int
    duplicates: int
    deceased: int
    without_letter: int
    by_state: str = Field(sa_column=Column(Text, nullable=False))  # JSON {"NY": 3, ...}
    duplicate_lines: str = Field(sa_column=Column(Text, nullable=False))  # JSON [[line, first]]
    sha256: str = Field(max_length=64)  # of the uploaded file, to tell which file it was
    uploaded_by: int | None = Field(default=None, foreign_key="app_user.id")
    uploaded_at: datetime
    confirmed_by: int | None = Field(default=None, foreign_key="app_user.id")
    confirmed_at: datetime | None = Field(default=None)
    superseded_at: datetime | None = Field(default=None)


class AffectedIndividual(SQLModel, table=True):
    __tablename__ = "affected_individual"

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="individual_list.id", index=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    line: int  # in the uploaded file
    name: str = Field(max_length=200)
    address_line1: str = Field(max_length=200)
    address_line2: str = Field(default="", max_length=200)
    city: str = Field(max_length=100)
    state: str = Field(max_length=2)
    zip: str = Field(max_length=10)
    email: str = Field(default="", max_length=254)
    deceased: bool = Field(default=False)
    next_of_kin_name: str = Field(default="", max_length=200)
    next_of_kin_address_line1: str = Field(default="", max_length=200)
    next_of_kin_address_line2: str = Field(default="", max_length=200)
    next_of_kin_city: str = Field(default="", max_length=100)
    next_of_kin_state: str = Field(default="", max_length=2)
    next_of_kin_zip: str = Field(default="", max_length=10)


class LetterRun(SQLModel, table=True):
    """Merged letters for one confirmed list, made in chunks by a worker; the files are stored
    outside the web root and handed only to people who may see the incident."""

    __tablename__ = "letter_run"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    list_id: int = Field(foreign_key="individual_list.id")
    status: str = Field(default="queued", max_length=20)  # queued | running | done | failed
    total: int  # letters to make
    done: int = Field(default=0)
    chunk_size: int
    source: str = Field(max_length=200)  # which text: an approved version, or drafted
    notice_version_id: int | None = Field(default=None, foreign_key="notice_version.id")
    text: str = Field(sa_column=Column(Text, nullable=False))  # the letter, with placeholders
    work_dir: str = Field(max_length=80)
    lease_until: datetime | None = Field(default=None)
    lease_token: str | None = Field(default=None, max_length=64)  # the claiming worker's
    pdf_storage: str | None = Field(default=None, max_length=80)
    pdf_sha256: str = Field(default="", max_length=64)
    pdf_size: int = Field(default=0)
    docx_storage: str | None = Field(default=None, max_length=80)
    docx_sha256: str = Field(default="", max_length=64)
    docx_size: int = Field(default=0)
    error: str = Field(default="", max_length=500)
    started_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime
    finished_at: datetime | None = Field(default=None)
