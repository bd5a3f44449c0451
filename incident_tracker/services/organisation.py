"""The organisation profile (a single row), its CDPH-licensed facilities and its covered-entity
clients. Incidents take their entity defaults from here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import available_timezones

from sqlalchemy import ColumnElement
from sqlmodel import col, func, select

from incident_tracker.core.parsing import ONE_LINE, has_control_characters, whole_number
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import CoveredEntityClient, Facility, Incident, Organisation
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed

CE_TYPES = ("health_plan", "clearinghouse", "provider")
LICENCE_TYPES = (
    "general acute care hospital",
    "skilled nursing facility",
    "clinic",
    "home health agency",
    "hospice",
    "other licensed health facility",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^[0-9+()\-. ]{7,40}$")
PROFILE_FIELDS = (
    "legal_name",
    "address",
    "time_zone",
    "is_covered_entity",
    "covered_entity_type",
    "is_business_associate",
    "nydfs_covered_entity",
    "toll_free_number",
    "contact_email",
    "website",
    "postal_address",
    "internal_target_days",
)


def get(call: Call) -> Organisation:
    org = call.session.get(Organisation, 1)
    return org if org is not None else Organisation(id=1)


def snapshot(org: Organisation) -> dict[str, object]:
    return {f: getattr(org, f) for f in PROFILE_FIELDS}


@dataclass(frozen=True)
class ProfileInput:
    legal_name: str
    address: str
    time_zone: str
    is_covered_entity: bool
    covered_entity_type: str | None
    is_business_associate: bool
    nydfs_covered_entity: bool
    toll_free_number: str
    contact_email: str
    website: str
    postal_address: str
    internal_target_days: str


def _validate(data: ProfileInput) -> tuple[dict[str, str], int | None]:
    errors: dict[str, str] = {}
    if not data.legal_name.strip():
        errors["legal_name"] = "enter the organisation's legal name"
    elif has_control_characters(data.legal_name):
        errors["legal_name"] = f"enter the legal name {ONE_LINE}"
    if data.time_zone not in available_timezones():
        errors["time_zone"] = "choose a time zone such as America/New_York"
    if not (data.is_covered_entity or data.is_business_associate):
        errors["is_covered_entity"] = (
            "the organisation is a covered entity, a business associate or both"
        )
    if data.is_covered_entity and data.covered_entity_type not in CE_TYPES:
        errors["covered_entity_type"] = "choose health plan, clearinghouse or provider"
    if data.contact_email and not _EMAIL.match(data.contact_email.strip()):
        errors["contact_email"] = "enter a valid e-mail address"
    if data.toll_free_number and not _PHONE.match(data.toll_free_number.strip()):
        errors["toll_free_number"] = "enter a telephone number"
    if data.website and not data.website.strip().lower().startswith(("https://", "http://")):
        errors["website"] = "enter a web address starting with https://"
    target: int | None = None
    if data.internal_target_days.strip():
        target = whole_number(data.internal_target_days, 1, 60)
        if target is None:
            errors["internal_target_days"] = "enter a whole number of days from 1 to 60"
    return errors, target


def update(call: Call, data: ProfileInput) -> Organisation:
    call.require(Action.EDIT_ORGANISATION)
    errors, target = _validate(data)
    if errors:
        raise ValidationFailed(errors)
    org = get(call)
    before = snapshot(org) if org.updated_at else None
    for name in PROFILE_FIELDS:
        if name != "internal_target_days":
            value = getattr(data, name)
            setattr(org, name, value.strip() if isinstance(value, str) else value)
    if not org.is_covered_entity:
        org.covered_entity_type = None
    org.internal_target_days = target
    org.updated_at = call.now
    call.session.add(org)
    call.session.flush()
    call.audit(
        "organisation.update",
        object_type="organisation",
        object_id=1,
        old=before,
        new=snapshot(org),
    )
    return org


def facilities(call: Call) -> list[Facility]:
    return list(call.session.exec(select(Facility).order_by(col(Facility.name))).all())


def clients(call: Call) -> list[CoveredEntityClient]:
    query = select(CoveredEntityClient).order_by(col(CoveredEntityClient.name))
    return list(call.session.exec(query).all())


def _ensure_org(call: Call) -> None:
    if call.session.get(Organisation, 1) is None:
        call.session.add(Organisation(id=1))
        call.session.flush()


def add_facility(call: Call, name: str, licence_type: str) -> Facility:
    call.require(Action.EDIT_ORGANISATION)
    errors = {}
    if not name.strip():
        errors["facility_name"] = "enter the facility's name"
    elif has_control_characters(name):
        errors["facility_name"] = f"enter the facility's name {ONE_LINE}"
    if licence_type not in LICENCE_TYPES:
        errors["licence_type"] = "choose a licence type"
    if errors:
        raise ValidationFailed(errors)
    _ensure_org(call)
    facility = Facility(organisation_id=1, name=name.strip()[:200], licence_type=licence_type)
    call.session.add(facility)
    call.session.flush()
    call.audit(
        "facility.create",
        object_type="facility",
        object_id=facility.id,
        new={"name": facility.name, "licence_type": licence_type},
    )
    return facility


def _refuse_if_used(call: Call, using: ColumnElement[bool], key: str, what: str) -> None:
    """An incident keeps its client or facility (they decide its deadlines): removing one still
    in use is refused with the count, beside its row (`key`)."""
    used = int(call.session.exec(select(func.count()).select_from(Incident).where(using)).one())
    if used:
        plural = "" if used == 1 else "s"
        message = f"not removed: used by {used} incident{plural}; choose another {what} there first"
        raise ValidationFailed({key: message})


def remove_facility(call: Call, facility_id: int) -> None:
    call.require(Action.EDIT_ORGANISATION)
    facility = call.session.get(Facility, facility_id)
    if facility is None:
        raise NotFound("no such facility")
    using = col(Incident.facility_id) == facility_id
    _refuse_if_used(call, using, f"facility-{facility_id}", "facility")
    call.audit(
        "facility.delete",
        object_type="facility",
        object_id=facility_id,
        old={"name": facility.name, "licence_type": facility.licence_type},
    )
    call.session.delete(facility)


def add_client(
    call: Call, name: str, window_days: str, business_days: bool, reference: str
) -> CoveredEntityClient:
    errors = {}
    if not name.strip():
        errors["client_name"] = "enter the covered entity's name"
    elif has_control_characters(name):
        errors["client_name"] = f"enter the covered entity's name {ONE_LINE}"
    days: int | None = None
    if window_days.strip():
        days = whole_number(window_days, 0, 60)
        if days is None:
            errors["notice_window_days"] = "enter a whole number of days from 0 to 60"
    if errors:
        raise ValidationFailed(errors)
    _ensure_org(call)
    client = CoveredEntityClient(
        organisation_id=1,
        name=name.strip()[:200],
        notice_window_days=days,
        notice_window_business_days=business_days,
        agreement_reference=reference.strip()[:200],
    )
    call.session.add(client)
    call.session.flush()
    call.audit(
        "client.create",
        object_type="covered_entity_client",
        object_id=client.id,
        new={
            "name": client.name,
            "notice_window_days": days,
            "business_days": business_days,
            "agreement_reference": client.agreement_reference,
        },
    )
    return client


def remove_client(call: Call, client_id: int) -> None:
    call.require(Action.EDIT_ORGANISATION)
    client = call.session.get(CoveredEntityClient, client_id)
    if client is None:
        raise NotFound("no such client")
    _refuse_if_used(call, col(Incident.client_id) == client_id, f"client-{client_id}", "client")
    call.audit(
        "client.delete",
        object_type="covered_entity_client",
        object_id=client_id,
        old={"name": client.name, "notice_window_days": client.notice_window_days},
    )
    call.session.delete(client)
