"""The API's typed request and response bodies (pydantic): the OpenAPI document is generated from
these, and requests are validated against them before any service runs."""

from __future__ import annotations

import typing
from dataclasses import MISSING, fields
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from incident_tracker.core.parsing import MAX_COUNT, MAX_ID
from incident_tracker.services.incidents import IncidentValues


def _storable(text: str) -> str:
    """No NUL (PostgreSQL text refuses it) and nothing UTF-8 cannot carry (a lone surrogate)."""
    if "\x00" in text:
        raise ValueError("must not contain a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return text


def Text(max_length: int) -> Any:
    return Annotated[str, Field(max_length=max_length), AfterValidator(_storable)]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Word = Text(100)
Words = Annotated[list[Word], Field(max_length=100)]
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]

# Longest text the incident form keeps per field (web/incident_form.py); other strings are
# choices from a list, checked by the service.
_LENGTHS = {
    "title": 200,
    "narrative": 20000,
    "location_other": 200,
    "privacy_office_justification": 2000,
    "sanctions": 2000,
}
_SKIPPED = {"lock_version", "ba_agency_answered"}  # set by the API itself


def _fact_type(name: str, hint: Any) -> Any:
    if name in _LENGTHS:
        return Text(_LENGTHS[name])
    if name in ("client_id", "facility_id", "owner_id"):
        return Id | None
    if name in ("total_affected", "unreachable_individuals"):
        return Count | None
    if name == "states":
        return dict[StateCode, Count]
    if name == "assignee_ids":
        return Annotated[list[Id], Field(max_length=100)]
    if name in ("data_elements", "safeguards", "corrective_actions"):
        return Words
    if typing.get_origin(hint) is dict:  # e.g. a name -> count or name -> date mapping
        _key, value = typing.get_args(hint)
        return Annotated[dict[Word, Count if value is int else value], Field(max_length=200)]
    if hint is str:
        return Word
    if hint == (str | None):
        return Word | None
    return hint


def _facts_model(model_name: str, partial: bool) -> type[BaseModel]:
    hints = typing.get_type_hints(IncidentValues)
    spec: dict[str, Any] = {}
    for f in fields(IncidentValues):
        if f.name in _SKIPPED:
            continue
        kind = _fact_type(f.name, hints[f.name])
        if partial:
            spec[f.name] = (kind | None, None)
        elif f.name in ("title", "discovered_on"):
            spec[f.name] = (kind if f.name == "title" else date, ...)
        elif f.default is not MISSING:
            spec[f.name] = (kind, f.default)
        else:
            factory = f.default_factory
            spec[f.name] = (kind, Field(default_factory=factory))  # type: ignore[arg-type]
    config = ConfigDict(extra="forbid")
    return create_model(model_name, __config__=config, **spec)


IncidentCreate = _facts_model("IncidentCreate", partial=False)
_Changes = _facts_model("IncidentChanges", partial=True)


class IncidentUpdate(_Changes):  # type: ignore[misc, valid-type]
    """The facts to change, and the version read (a concurrent save is a 409)."""

    lock_version: Annotated[int, Field(ge=0, le=MAX_ID)]


class Error(BaseModel):
    error: str
    fields: dict[str, str] = Field(default_factory=dict)


class IncidentPath(BaseModel):
    incident_id: Id


class ObligationPath(BaseModel):
    incident_id: Id
    obligation_id: Id


class WriteHeaders(BaseModel):
    idempotency_key: Text(200) | None = Field(  # type: ignore[valid-type]
        None, description="Send the same key again to get the first answer, not a second write."
    )


class IncidentQuery(BaseModel):
    """The register's filters (services/register.py); a search term goes in a POST body to
    /incidents/search instead, so no title words ever appear in a URL or an access log."""

    status: Word | None = None
    owner_id: Id | None = None
    overdue: bool = False
    due_within: Annotated[int, Field(ge=0, le=3650)] | None = None
    jurisdiction: Text(20) | None = None  # type: ignore[valid-type]
    page: Annotated[int, Field(ge=1, le=100000)] = 1


class IncidentSearch(IncidentQuery):
    model_config = ConfigDict(extra="forbid")
    search: Text(200)  # type: ignore[valid-type]


class RegisterItem(BaseModel):
    id: int
    number: str
    title: str
    status: str
    owner: str
    discovered_on: date
    total_affected: int
    next_due: date | None
    days_left: int | None
    restricted: bool


class IncidentPage(BaseModel):
    items: list[RegisterItem]
    total: int
    page: int


class Incident(BaseModel):
    id: int
    number: str
    status: str
    lock_version: int
    facts: dict[str, Any]
    links: dict[str, str]


class ObligationQuery(BaseModel):
    overdue: bool = False
    due_within: Annotated[int, Field(ge=0, le=3650)] | None = None
    jurisdiction: Text(20) | None = None  # type: ignore[valid-type]
    incident_id: Id | None = None
    include_done: bool = False
    page: Annotated[int, Field(ge=1, le=100000)] = 1


class Obligation(BaseModel):
    id: int
    incident_id: int
    incident_number: str
    rule_id: str
    state: str
    jurisdiction: str
    due: date | None
    outcome: str
    done_on: date | None


class ObligationPage(BaseModel):
    items: list[Obligation]
    total: int
    page: int


class DoneBody(BaseModel):
    """The incident page's "record as done" form (services/sending.py)."""

    model_config = ConfigDict(extra="forbid")
    done_on: date
    method: Word
    recipients: Count | None = None
    reference: Text(200) = ""  # type: ignore[valid-type]


class ApprovedFile(BaseModel):
    format: str
    sha256: str
    size: int


class NoticeItem(BaseModel):
    obligation_id: int
    rule_id: str
    state: str
    title: str
    review_state: str | None
    version: int | None
    due: date | None
    done: bool
    approved_files: list[ApprovedFile]


class Notices(BaseModel):
    items: list[NoticeItem]


class SentItem(BaseModel):
    id: int
    obligation_id: int
    sent_on: date
    method: str
    recipients: int | None
    reference: str
    voided: bool
    recorded_at: datetime


class SentRecords(BaseModel):
    items: list[SentItem]


class DeadlinesBody(BaseModel):
    """The incident JSON of `incident-tracker deadlines` (README.md, Calculator)."""

    model_config = ConfigDict(extra="allow")
    incident: Any = None


class Deadlines(BaseModel):
    """Exactly what `incident-tracker deadlines` prints for the same JSON."""

    model_config = ConfigDict(extra="allow")
