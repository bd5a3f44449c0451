"""The organisation profile: who the entity is, and where incident defaults come from."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class Organisation(SQLModel, table=True):
    """A single row (id 1): one deployment serves one organisation."""

    id: int | None = Field(default=None, primary_key=True)
    legal_name: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=400)
    time_zone: str = Field(default="America/New_York", max_length=64)
    is_covered_entity: bool = Field(default=True)
    covered_entity_type: str | None = Field(default=None, max_length=32)
    is_business_associate: bool = Field(default=False)
    nydfs_covered_entity: bool = Field(default=False)
    toll_free_number: str = Field(default="", max_length=40)
    contact_email: str = Field(default="", max_length=254)
    website: str = Field(default="", max_length=200)
    postal_address: str = Field(default="", max_length=400)
    internal_target_days: int | None = Field(default=None)
    # Notice review: who a submitted notice goes to unless the submitter chooses, and whether the
    # editor of a version may approve it with an attestation (one-lawyer organisations). None
    # until seeded once from NOTICE_APPROVER_MAY_BE_EDITOR (services/review_settings.py).
    default_reviewer_id: int | None = Field(default=None, foreign_key="app_user.id")
    approver_may_be_editor: bool | None = Field(default=None)
    updated_at: datetime | None = Field(default=None)


class Facility(SQLModel, table=True):
    """A CDPH-licensed clinic, facility, home health agency or hospice (H&S 1280.15)."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    licence_type: str = Field(max_length=64)


class CoveredEntityClient(SQLModel, table=True):
    """For a business associate: a covered-entity client and its agreement's notice window."""

    __tablename__ = "covered_entity_client"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    notice_window_days: int | None = Field(default=None)
    notice_window_business_days: bool = Field(default=False)
    agreement_reference: str = Field(default="", max_length=200)
