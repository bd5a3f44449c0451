"""Report a possible incident: any signed-in user (a coder, a biller, read-only included) tells
the privacy office in a few fields.

Under 45 CFR 164.404(a)(2) a breach is treated as discovered on the first day any workforce member
knows of it, so the reporter's "when I first knew" becomes the proposed discovery date and the
day of the report the day the privacy office learned; the officer confirms or changes the
discovery date (with the justification the incident form asks for when the two differ).

The incident is an intake incident owned by the privacy office: restricted to its owner (the
first active privacy officer) and the other privacy officers as assignees, so the reporter, like
anyone outside the privacy office, sees only "My reports": the number, the date, the status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from incident_tracker.core import portal
from incident_tracker.core.parsing import MAX_COUNT, has_control_characters, whole_number
from incident_tracker.core.permissions import Action, Role, can
from incident_tracker.db.models import (
    Incident,
    IncidentAssignee,
    Notification,
    Organisation,
    StaffReport,
    User,
)
from incident_tracker.services import incidents, obligations
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound, ValidationFailed
from incident_tracker.services.register import local_today, visible

KINDS = portal.BREACH_TYPES
STATUS_WORDS = {
    "intake": "Received by the privacy office",
    "assessment": "Being assessed",
    "notification": "Notices under way",
    "not_required": "Assessed: no notice required",
    "monitoring": "Being monitored",
    "closed": "Closed",
    "void": "Closed: not an incident",
}


@dataclass(frozen=True)
class ReportInput:
    what_happened: str
    first_knew_on: date | None
    whose_data: str
    what_kind: str
    number_affected: str  # blank when unknown


def _check(given: ReportInput, today: date) -> tuple[dict[str, str], int | None]:
    errors: dict[str, str] = {}
    if not given.what_happened.strip():
        errors["what_happened"] = "say what happened, in a sentence or two"
    elif len(given.what_happened) > 4000:
        errors["what_happened"] = "keep it under 4000 characters"
    elif "\x00" in given.what_happened:  # PostgreSQL's text cannot hold it
        errors["what_happened"] = "remove the control characters"
    if given.first_knew_on is None:
        errors["first_knew_on"] = "enter the day you first knew, as YYYY-MM-DD"
    elif given.first_knew_on > today:
        errors["first_knew_on"] = f"cannot be in the future (today is {today.isoformat()})"
    if not given.whose_data.strip():
        errors["whose_data"] = "say whose information it was (for example: patients of a clinic)"
    elif len(given.whose_data) > 200 or has_control_characters(given.whose_data):
        errors["whose_data"] = "keep it to one line of at most 200 characters"
    if given.what_kind not in dict(KINDS):
        errors["what_kind"] = "choose what kind of incident it may be"
    count: int | None = None
    raw = given.number_affected.strip().replace(",", "")
    if raw:
        count = whole_number(raw, high=MAX_COUNT)
        if count is None:
            errors["number_affected"] = "enter a whole number, or leave it blank if unknown"
    return errors, count


def _privacy_office(call: Call) -> list[User]:
    return list(
        call.session.exec(
            select(User)
            .where(col(User.role) == Role.PRIVACY_OFFICER.value, col(User.is_active).is_(True))
            .order_by(col(User.id))
        )
    )


def report(call: Call, given: ReportInput) -> StaffReport:
    """Create the intake incident, tell every privacy officer at once, keep the reporter's date."""
    call.require(Action.VIEW_HOME)
    reporter = call.actor.user_id
    if reporter is None:
        raise NotFound("sign in to report")
    today = local_today(call)
    errors, count = _check(given, today)
    office = _privacy_office(call)
    if not office and not errors:
        errors["what_happened"] = (
            "there is no active privacy officer to receive the report; tell your administrator"
        )
    if errors:
        raise ValidationFailed(errors)
    assert given.first_knew_on is not None
    org = call.session.get(Organisation, 1)
    kind_label = dict(KINDS)[given.what_kind]
    incident = Incident(
        number=incidents._next_number(call),
        title=f"Staff report: {kind_label}",
        narrative=(
            f"Reported by a member of the workforce on {today.isoformat()}.\n"
            f"Whose information: {given.whose_data.strip()}\n\n{given.what_happened.strip()}"
        ),
        breach_type=given.what_kind,
        discovered_on=given.first_knew_on,
        privacy_office_learned_on=today,
        entity_type=(
            "business_associate"
            if org is not None and org.is_business_associate and not org.is_covered_entity
            else "covered_entity"
        ),
        total_affected=count or 0,
        count_is_estimate=True,
        status="intake",
        restricted=True,
        owner_id=office[0].id or 0,
        created_at=call.now,
        updated_at=call.now,
    )
    call.session.add(incident)
    call.session.flush()
    for officer in office[1:]:
        call.session.add(IncidentAssignee(incident_id=incident.id or 0, user_id=officer.id or 0))
    row = StaffReport(
        incident_id=incident.id or 0,
        reporter_id=reporter,
        first_knew_on=given.first_knew_on,
        created_at=call.now,
    )
    call.session.add(row)
    for officer in office:
        if officer.id != reporter:
            call.session.add(
                Notification(
                    user_id=officer.id or 0,
                    incident_id=incident.id,
                    subject=f"[{incident.number}] New staff report of a possible incident",
                    created_at=call.now,
                )
            )
    call.session.flush()
    call.audit(
        "incident.reported",
        object_type="incident",
        object_id=incident.id,
        new={
            "number": incident.number,
            "first_knew_on": given.first_knew_on.isoformat(),
            "breach_type": given.what_kind,
            "total_affected": count,
            "owner_id": incident.owner_id,
        },
    )
    obligations.recompute(call, incident, "reported by a member of the workforce")
    return row


@dataclass(frozen=True)
class MyReport:
    number: str
    reported_at: datetime
    first_knew_on: date
    status: str


def mine(call: Call) -> list[MyReport]:
    """The reporter's own reports and their status, nothing else of the incident. One query."""
    me = call.actor.user_id
    if me is None:
        return []
    rows = call.session.exec(
        select(StaffReport, Incident.number, Incident.status)
        .join(Incident, col(Incident.id) == StaffReport.incident_id)
        .where(col(StaffReport.reporter_id) == me)
        .order_by(col(StaffReport.created_at).desc(), col(StaffReport.id).desc())
    ).all()
    return [
        MyReport(number, r.created_at, r.first_knew_on, STATUS_WORDS.get(status, status))
        for r, number, status in rows
    ]


@dataclass(frozen=True)
class ToConfirm:
    incident_id: int
    number: str
    reported_at: datetime
    first_knew_on: date


def to_confirm(call: Call) -> list[ToConfirm]:
    """For the privacy office: staff reports whose discovery date is not yet confirmed, among
    the incidents this user may see, oldest first. One query."""
    if not can(call.actor.role, Action.EDIT_INCIDENT):
        return []
    rows = call.session.exec(
        select(StaffReport, Incident.number)
        .join(Incident, col(Incident.id) == StaffReport.incident_id)
        .where(col(StaffReport.discovery_confirmed_at).is_(None), visible(call))
        .order_by(col(StaffReport.created_at), col(StaffReport.id))
    ).all()
    return [ToConfirm(r.incident_id, number, r.created_at, r.first_knew_on) for r, number in rows]


def for_incident(call: Call, incident: Incident) -> StaffReport | None:
    return call.session.exec(
        select(StaffReport).where(StaffReport.incident_id == incident.id)
    ).first()


def confirm_discovery(
    call: Call, incident: Incident, discovered_on: date | None, justification: str
) -> StaffReport:
    """The officer confirms the reporter's date as the discovery date, or changes it; a date that
    differs from the day the privacy office learned needs the incident form's justification."""
    call.require(Action.EDIT_INCIDENT)
    row = for_incident(call, incident)
    if row is None:
        raise NotFound("this incident was not reported by a member of the workforce")
    errors: dict[str, str] = {}
    today = local_today(call)
    reason = justification.strip()[:2000]
    if "\x00" in reason:
        errors["privacy_office_justification"] = "remove the control characters"
    if discovered_on is None:
        errors["discovered_on"] = "enter the discovery date, as YYYY-MM-DD"
    elif discovered_on > today:
        errors["discovered_on"] = f"cannot be in the future (today is {today.isoformat()})"
    elif (
        incident.privacy_office_learned_on not in (None, discovered_on)
        and not reason
        and not incident.privacy_office_justification.strip()
    ):
        errors["privacy_office_justification"] = (
            "explain why the privacy office learned on a different day than discovery "
            "(the clock runs from discovery, 164.404(a)(2))"
        )
    if errors:
        raise ValidationFailed(errors)
    assert discovered_on is not None
    before = incident.discovered_on
    incident.discovered_on = discovered_on
    if reason:
        incident.privacy_office_justification = reason
    incident.updated_at = call.now
    incident.lock_version += 1
    row.discovery_confirmed_at, row.discovery_confirmed_by = call.now, call.actor.user_id
    call.session.add_all([incident, row])
    call.session.flush()
    call.audit(
        "incident.discovery_confirmed",
        object_type="incident",
        object_id=incident.id,
        old={"discovered_on": before.isoformat()},
        new={
            "discovered_on": discovered_on.isoformat(),
            "reporter_first_knew_on": row.first_knew_on.isoformat(),
        },
    )
    obligations.recompute(call, incident, "discovery date confirmed")
    return row
