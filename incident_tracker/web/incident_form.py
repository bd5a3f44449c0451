"""Parse the incident form's strings into typed values, with a message per bad field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from incident_tracker.core.parsing import (
    MAX_COUNT,
    has_control_characters,
    record_id,
    whole_number,
)
from incident_tracker.core.vocabulary import STATES
from incident_tracker.services.incidents import IncidentValues

STATE_ROWS = 8
CLIENT_ROWS = 4  # blank rows for a business associate's covered-entity clients
COUNTRY_ROWS = 3  # blank rows for residents outside the U.S.


class FormErrors(dict[str, str]):
    pass


def _date(form: MultiDict[str, str], name: str, errors: FormErrors) -> date | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"{raw} is not a real date (YYYY-MM-DD)"
        return None


def _count(form: MultiDict[str, str], name: str, errors: FormErrors) -> int | None:
    raw = form.get(name, "").strip().replace(",", "")
    if not raw:
        return None
    count = whole_number(raw, 0, MAX_COUNT)
    if count is None:
        errors[name] = f"enter a whole number, 0 or more (at most {MAX_COUNT:,})"
    return count


def _tristate(form: MultiDict[str, str], name: str) -> bool | None:
    return {"yes": True, "no": False}.get(form.get(name, ""))


def _optional_id(form: MultiDict[str, str], name: str, errors: FormErrors) -> int | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    chosen = record_id(raw)
    if chosen is None:
        errors[name] = "choose from the list"
    return chosen


def _assignees(form: MultiDict[str, str], errors: FormErrors) -> tuple[int, ...]:
    chosen = [record_id(v) for v in form.getlist("assignee_ids")]
    if None in chosen:
        errors["assignee_ids"] = "choose assignees from the list"
    return tuple(v for v in chosen if v is not None)


def _states(form: MultiDict[str, str], errors: FormErrors) -> dict[str, int]:
    out: dict[str, int] = {}
    codes, counts = form.getlist("state_code"), form.getlist("state_count")
    for code_raw, count_raw in zip(codes, counts, strict=False):
        code, count = code_raw.strip().upper(), count_raw.strip().replace(",", "")
        if not code and not count:
            continue
        if code not in STATES:
            errors["states"] = f"{code_raw or '(blank)'} is not a U.S. State or territory code"
            continue
        number = whole_number(count, 0, MAX_COUNT)
        if number is None:
            errors["states"] = (
                f"the count for {code} must be a whole number from 0 to {MAX_COUNT:,}"
            )
            continue
        if code in out:
            errors["states"] = f"{code} is listed twice"
            continue
        out[code] = number
    return out


def _countries(form: MultiDict[str, str], errors: FormErrors) -> dict[str, int]:
    """Residents outside the U.S., by country name (listed as not evaluated, never dropped)."""
    out: dict[str, int] = {}
    names, counts = form.getlist("country_name"), form.getlist("country_count")
    for name_raw, count_raw in zip(names, counts, strict=False):
        name, count = " ".join(name_raw.split()), count_raw.strip().replace(",", "")
        if not name and not count:
            continue
        if not name:
            errors["countries"] = "name the country for each count"
            continue
        if len(name) > 100:
            errors["countries"] = "a country's name is at most 100 characters"
            continue
        number = whole_number(count, 0, MAX_COUNT)
        if number is None:
            errors["countries"] = (
                f"the count for {name} must be a whole number from 0 to {MAX_COUNT:,}"
            )
            continue
        if name.casefold() in {n.casefold() for n in out}:
            errors["countries"] = f"{name} is listed twice"
            continue
        out[name] = number
    return out


def _clients(form: MultiDict[str, str], errors: FormErrors) -> dict[str, date | None]:
    """A business associate's covered-entity clients and the date each was told (blank: not
    yet told)."""
    out: dict[str, date | None] = {}
    names, dates = form.getlist("ce_client_name"), form.getlist("ce_client_told_on")
    for name_raw, told_raw in zip(names, dates, strict=False):
        name, told_text = " ".join(name_raw.split()), told_raw.strip()
        if not name and not told_text:
            continue
        if not name:
            errors["ce_clients"] = "name the covered-entity client for each date"
            continue
        if len(name) > 200 or has_control_characters(name_raw.strip()):
            errors["ce_clients"] = "a client's name is one line of at most 200 characters"
            continue
        told: date | None = None
        if told_text:
            try:
                told = date.fromisoformat(told_text)
            except ValueError:
                errors["ce_clients"] = f"{told_text} is not a real date (YYYY-MM-DD) for {name}"
                continue
        if name.casefold() in {n.casefold() for n in out}:
            errors["ce_clients"] = f"{name} is listed twice"
            continue
        out[name] = told
    return out


def _timestamp(
    form: MultiDict[str, str], name: str, zone: str, errors: FormErrors
) -> datetime | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        local = datetime.fromisoformat(raw)
    except ValueError:
        errors[name] = "enter a date and time"
        return None
    return local.replace(tzinfo=ZoneInfo(zone)) if local.tzinfo is None else local


def parse(form: MultiDict[str, str], time_zone: str) -> tuple[IncidentValues, FormErrors]:
    errors = FormErrors()
    occurred = form.get("occurred_kind", "date")
    occurred_on = _date(form, "occurred_on", errors) if occurred != "unknown" else None
    occurred_until = _date(form, "occurred_until", errors) if occurred == "range" else None
    lock = form.get("lock_version", "0")
    values = IncidentValues(
        title=form.get("title", "")[:200],
        narrative=form.get("narrative", "")[:20000],
        incident_type=form.get("incident_type") or None,
        breach_type=form.get("breach_type", ""),
        location=form.get("location", ""),
        location_other=form.get("location_other", "")[:200],
        occurred_on=occurred_on,
        occurred_until=occurred_until,
        discovered_on=_date(form, "discovered_on", errors),
        privacy_office_learned_on=_date(form, "privacy_office_learned_on", errors),
        privacy_office_justification=form.get("privacy_office_justification", "")[:2000],
        entity_type=form.get("entity_type", ""),
        hipaa_covered_entity="hipaa_covered_entity" in form,
        client_id=_optional_id(form, "client_id", errors),
        facility_id=_optional_id(form, "facility_id", errors),
        nydfs_covered_entity="nydfs_covered_entity" in form,
        dfs_determined_at=_timestamp(form, "dfs_determined_at", time_zone, errors),
        dfs_ransom_paid_at=_timestamp(form, "dfs_ransom_paid_at", time_zone, errors),
        ba_is_agent_of_ce=_tristate(form, "ba_is_agent_of_ce"),
        ba_agency_answered=form.get("ba_is_agent_of_ce", "") in ("yes", "no", "unknown"),
        ce_notified_by_ba_on=_date(form, "ce_notified_by_ba_on", errors),
        ce_clients=_clients(form, errors),
        part2_program="part2_program" in form,
        states=_states(form, errors),
        countries=_countries(form, errors),
        total_affected=_count(form, "total_affected", errors),
        count_is_estimate="count_is_estimate" in form,
        data_elements=tuple(form.getlist("data_elements")),
        medium=form.get("medium", "electronic"),
        acquired=_tristate(form, "acquired"),
        phi_encrypted=_tristate(form, "phi_encrypted"),
        encryption_key_compromised=_tristate(form, "encryption_key_compromised"),
        fips_validation=form.get("fips_validation") or None,
        risk_assessment=form.get("risk_assessment") or None,
        exception=form.get("exception") or None,
        unreachable_individuals=_count(form, "unreachable_individuals", errors),
        substitute_notice_started_on=_date(form, "substitute_notice_started_on", errors),
        ny_harm_determination_on=_date(form, "ny_harm_determination_on", errors),
        nj_misuse_determination_on=_date(form, "nj_misuse_determination_on", errors),
        cdph_exclusion=form.get("cdph_exclusion") or None,
        safeguards=tuple(form.getlist("safeguards")),
        corrective_actions=tuple(form.getlist("corrective_actions")),
        sanctions=form.get("sanctions", "")[:2000],
        restricted="restricted" in form,
        owner_id=_optional_id(form, "owner_id", errors),
        assignee_ids=_assignees(form, errors),
        lock_version=whole_number(lock) or 0,
    )
    return values, errors


def as_form(values: IncidentValues, time_zone: str) -> dict[str, Any]:
    """Values back into what the template's inputs show (typed input is kept on errors)."""
    data: dict[str, Any] = dict(values.__dict__)
    data["states_rows"] = list(values.states.items()) + [("", "")] * max(
        0, STATE_ROWS - len(values.states)
    )
    data["occurred_kind"] = (
        "unknown" if values.occurred_on is None else "range" if values.occurred_until else "date"
    )
    data["client_rows"] = [
        (name, told.isoformat() if told else "") for name, told in values.ce_clients.items()
    ] + [("", "")] * max(1, CLIENT_ROWS - len(values.ce_clients))
    data["country_rows"] = list(values.countries.items()) + [("", "")] * max(
        1, COUNTRY_ROWS - len(values.countries)
    )
    for name in ("dfs_determined_at", "dfs_ransom_paid_at"):
        stamp = getattr(values, name)
        data[name] = (
            stamp.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m-%dT%H:%M") if stamp else ""
        )
    for name in ("ba_is_agent_of_ce", "acquired", "phi_encrypted", "encryption_key_compromised"):
        value = getattr(values, name)
        data[name] = (
            "yes"
            if value is True
            else "no"
            if value is False
            else ("unknown" if name != "ba_is_agent_of_ce" or values.ba_agency_answered else "")
        )
    return data


def raw_form(form: MultiDict[str, str], time_zone: str) -> dict[str, Any]:
    """What the user typed, for re-rendering after an error (nothing lost)."""
    values, _ = parse(form, time_zone)
    data = as_form(values, time_zone)
    for name in (
        "discovered_on",
        "occurred_on",
        "occurred_until",
        "privacy_office_learned_on",
        "ce_notified_by_ba_on",
        "substitute_notice_started_on",
        "ny_harm_determination_on",
        "nj_misuse_determination_on",
        "total_affected",
        "unreachable_individuals",
        "dfs_determined_at",
        "dfs_ransom_paid_at",
    ):
        data[name] = form.get(name, "")
    data["occurred_kind"] = form.get("occurred_kind", "date")
    rows = list(zip(form.getlist("state_code"), form.getlist("state_count"), strict=False))
    data["states_rows"] = rows + [("", "")] * max(0, STATE_ROWS - len(rows))
    for key, names, values_name, count in (
        ("client_rows", "ce_client_name", "ce_client_told_on", CLIENT_ROWS),
        ("country_rows", "country_name", "country_count", COUNTRY_ROWS),
    ):
        typed = [
            (n, v)
            for n, v in zip(form.getlist(names), form.getlist(values_name), strict=False)
            if n.strip() or v.strip()
        ]
        data[key] = typed + [("", "")] * max(1, count - len(typed))
    return data
