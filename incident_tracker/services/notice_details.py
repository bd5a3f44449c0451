"""The incident's notice details: entered once per incident and reused by every draft. Stored as
JSON in the CLI's `notice` shape, so one parser (core.notices.parse_notice)
reads both."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import col, select

from incident_tracker.core import portal
from incident_tracker.core.facts import FactsError
from incident_tracker.core.notices import recorded
from incident_tracker.core.notices.details import NoticeDetails, parse_notice
from incident_tracker.core.parsing import whole_number
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import (
    AssessmentRecord,
    Incident,
    NoticeDetailsRecord,
    Organisation,
)
from incident_tracker.services import organisation
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, ValidationFailed


def record_for(call: Call, incident: Incident) -> NoticeDetailsRecord | None:
    return call.session.exec(
        select(NoticeDetailsRecord).where(NoticeDetailsRecord.incident_id == incident.id)
    ).first()


def raw_for(call: Call, incident: Incident) -> dict[str, object]:
    """The saved answers as typed (the form's starting values); empty when none yet."""
    row = record_for(call, incident)
    if row is None:
        return {}
    data = json.loads(row.data)
    return data if isinstance(data, dict) else {}


def details_for(call: Call, incident: Incident) -> NoticeDetails:
    """The incident's notice details, with what the incident, the organisation profile and the
    signed risk assessment already record filled in (empty details when none are saved yet:
    every element is then reported missing by the check). The caller has already loaded
    `incident` with its access check (services.incidents.load_for)."""
    return with_recorded(
        parse_saved(raw_for(call, incident)),
        incident,
        organisation.get(call),
        assessment_answers(call, [incident.id or 0]).get(incident.id or 0),
    )


def assessment_answers(call: Call, incident_ids: list[int]) -> dict[int, dict[str, object]]:
    """{incident id: the answers of its latest signed assessment}, in one statement."""
    rows = call.session.exec(
        select(AssessmentRecord)
        .where(col(AssessmentRecord.incident_id).in_(incident_ids))
        .order_by(col(AssessmentRecord.incident_id), col(AssessmentRecord.version))
    )
    out: dict[int, dict[str, object]] = {}
    for row in rows:
        try:
            answers = json.loads(row.answers)
        except ValueError:
            continue
        if isinstance(answers, dict):
            out[row.incident_id] = answers  # the latest version wins
    return out


def parse_saved(raw: dict[str, object]) -> NoticeDetails:
    if not raw:
        return NoticeDetails()
    try:
        return parse_notice(raw)
    except FactsError:  # saved data is validated on save; never fail a read on it
        return NoticeDetails()


# The HHS breach portal's covered-entity types (45 CFR 160.103), by the profile's code.
CE_TYPE_LABELS = {
    "health_plan": "Health Plan",
    "clearinghouse": "Healthcare Clearinghouse",
    "provider": "Healthcare Provider",
}


def _codes(raw: str) -> list[str]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def with_recorded(
    details: NoticeDetails,
    incident: Incident,
    org: Organisation,
    answers: dict[str, object] | None = None,
) -> NoticeDetails:
    """The filings' and letters' answers already on the incident, the profile and the signed
    assessment, where the notice details leave them blank (core/notices/recorded.py): the
    incident's HHS portal answers (type of breach, location, safeguards, corrective actions, the
    breach's last day), the profile's covered-entity type (for the organisation's own
    covered-entity incidents), the assessment's mitigation and New York determination. An answer
    typed in the notice details still wins."""
    breach_type = None if incident.breach_type == "unknown" else incident.breach_type
    location = portal.label(portal.LOCATIONS, incident.location)
    if incident.location == "other":
        location = f"Other: {incident.location_other.strip()}" if incident.location_other else ""
    own_ce = incident.entity_type != "business_associate" and incident.hipaa_covered_entity
    ce_type = CE_TYPE_LABELS.get(org.covered_entity_type or "") if org.is_covered_entity else None
    return recorded.with_recorded(
        details,
        recorded.Recorded(
            breach_type=portal.label(portal.BREACH_TYPES, breach_type) if breach_type else None,
            location=location or None,
            covered_entity_type=ce_type if own_ce else None,
            breach_end=incident.occurred_until,
            safeguards=_codes(incident.safeguards),
            corrective_actions=_codes(incident.corrective_actions),
            assessment=answers,
        ),
    )


# Form field -> key of the CLI's `notice` object; "ip_" fields go under identity_protection.
TEXT_FIELDS = (
    "what_happened",
    "what_we_are_doing",
    "what_you_can_do",
    "contact_name",
    "covered_entity_type",
    "breach_type",
    "breach_location",
    "breach_time",
    "detected_time",
    "persons_involved",
    "determination_basis",
)
DATE_FIELDS = ("notice_date", "breach_end_date", "discovery_end_date")
IDENTITY_FIELDS = ("provider", "months", "enrollment_url", "enrollment_code", "enroll_by")
FORM_FIELDS = (
    *TEXT_FIELDS,
    *DATE_FIELDS,
    "safeguards",
    *(f"ip_{name}" for name in IDENTITY_FIELDS),
)
MAX_TEXT = 4000


def as_form(raw: dict[str, object]) -> dict[str, str]:
    """Saved details as the form's strings (safeguards one per line)."""
    form = {name: str(raw.get(name) or "") for name in (*TEXT_FIELDS, *DATE_FIELDS)}
    safeguards = raw.get("safeguards")
    form["safeguards"] = (
        "\n".join(str(s) for s in safeguards) if isinstance(safeguards, list) else ""
    )
    ip = raw.get("identity_protection")
    for name in IDENTITY_FIELDS:
        value = ip.get(name) if isinstance(ip, dict) else None
        form[f"ip_{name}"] = "" if value is None else str(value)
    return form


def _as_object(form: dict[str, str]) -> dict[str, object]:
    """The form as the CLI's `notice` object: blanks left out, months a number when it is one."""
    data: dict[str, object] = {}
    for name in (*TEXT_FIELDS, *DATE_FIELDS):
        value = form.get(name, "").strip()
        if value:
            data[name] = value
    safeguards = [s.strip() for s in form.get("safeguards", "").splitlines() if s.strip()]
    if safeguards:
        data["safeguards"] = safeguards
    ip: dict[str, object] = {}
    for name in IDENTITY_FIELDS:
        value = form.get(f"ip_{name}", "").strip()
        if value:
            months = whole_number(value) if name == "months" else None
            ip[name] = value if months is None else months
    if ip:
        data["identity_protection"] = ip
    return data


def _field_errors(problems: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in problems:
        key, _, message = problem.partition(": ")
        key = key.removeprefix("notice.").replace("identity_protection.", "ip_")
        errors.setdefault(key.split("[")[0], message)
    return errors


def save(
    call: Call, incident: Incident, form: dict[str, str], revision: int
) -> NoticeDetailsRecord:
    """Save the incident's notice details (one set per incident, every draft reuses it).
    `revision` is the one the form was opened on: a save over someone else's is refused."""
    call.require(Action.EDIT_NOTICE)
    errors = {
        name: f"keep it under {MAX_TEXT} characters"
        for name in FORM_FIELDS
        if len(form.get(name, "")) > MAX_TEXT
    }
    data = _as_object(form)
    try:
        parse_notice(data)
    except FactsError as exc:
        errors = {**_field_errors(exc.problems), **errors}
    if errors:
        raise ValidationFailed(errors)
    # Serialise two first saves of the same incident's details (PostgreSQL; SQLite has one writer).
    call.session.exec(select(Incident).where(Incident.id == incident.id).with_for_update()).first()
    row = record_for(call, incident)
    current = row.revision if row is not None else 0
    if revision != current:
        raise Conflict(
            "someone else saved these details after you opened the form; your entries are kept "
            "below: check the saved ones and save again"
        )
    old = json.loads(row.data) if row is not None else {}
    if row is None:
        row = NoticeDetailsRecord(
            incident_id=incident.id or 0, data="{}", revision=0, updated_at=call.now
        )
    row.data = json.dumps(data, sort_keys=True, ensure_ascii=False)
    row.revision = current + 1
    row.updated_by, row.updated_at = call.actor.user_id, call.now
    call.session.add(row)
    call.session.flush()
    call.audit(
        "notice_details.save",
        object_type="incident",
        object_id=incident.id,
        new={
            "revision": row.revision,
            "changed": changed_fields(old, data),
            "sha256": hashlib.sha256(row.data.encode()).hexdigest(),
        },
    )
    return row


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The names (never the values: persons_involved and the like are PHI) of the fields a save
    changed, one level into nested objects ("identity_protection.months")."""
    names = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if isinstance(before, dict) or isinstance(after, dict):
            inner = changed_fields(
                before if isinstance(before, dict) else {},
                after if isinstance(after, dict) else {},
            )
            names += [f"{key}.{name}" for name in inner] or ([key] if before != after else [])
        elif before != after:
            names.append(key)
    return names


def revision_of(call: Call, incident: Incident) -> int:
    row = record_for(call, incident)
    return row.revision if row is not None else 0
