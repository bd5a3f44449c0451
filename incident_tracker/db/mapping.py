"""Rows to the the incident JSON format (README.md, Calculator) incident object, the one input the
pure engine understands.

The same object is what `incident-tracker deadlines` reads, so an incident can be exported and
checked with the calculator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from incident_tracker.core.jurisdictions.registry import DONE_FEEDS as REGISTRY_DONE_FEEDS
from incident_tracker.db.models import (
    CoveredEntityClient,
    Incident,
    IncidentState,
    LawEnforcementHold,
    Organisation,
)

# An obligation recorded as done feeds the engine as the date that notice was sent
# (docs/law/conventions.md); each jurisdiction names its own (core/jurisdictions/registry.py).
DONE_FEEDS: dict[str, str] = REGISTRY_DONE_FEEDS


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def notices_sent(done: Mapping[str, date]) -> dict[str, str | None]:
    sent: dict[str, str | None] = {"individuals": None, "hhs": None}
    for rule_id, key in DONE_FEEDS.items():
        if rule_id in done:
            sent[key] = done[rule_id].isoformat()
    return sent


def incident_object(
    incident: Incident,
    states: Iterable[IncidentState],
    holds: Iterable[LawEnforcementHold],
    done: Mapping[str, date],
    org: Organisation | None = None,
    client: CoveredEntityClient | None = None,
) -> dict[str, Any]:
    """The §10 object for one incident, with the organisation's own targets as extra inputs."""
    data: dict[str, Any] = {
        "entity_type": incident.entity_type,
        "entity_description": None,
        "flags": {
            "hipaa_covered_entity": incident.hipaa_covered_entity,
            "ca_licensed_health_facility": incident.facility_id is not None
            or incident.entity_type == "ca_licensed_health_facility",
            "nydfs_covered_entity": incident.nydfs_covered_entity,
            "business_associate_is_agent_of_ce": incident.ba_is_agent_of_ce,
            "part2_program": incident.part2_program,
        },
        "breach_occurred_on": _iso(incident.occurred_on),
        "discovered_on": _iso(incident.discovered_on),
        "affected_by_state": {s.state: s.count for s in states},
        "total_affected": incident.total_affected,
        "data_elements": json.loads(incident.data_elements),
        "medium": incident.medium,
        "acquired": incident.acquired,
        "phi_encrypted": incident.phi_encrypted,
        "encryption_key_compromised": incident.encryption_key_compromised,
        "exception": incident.exception,
        "risk_assessment": incident.risk_assessment,
        "law_enforcement_delay": [
            {
                "form": h.form,
                "statement_date": _iso(h.statement_date),
                "delay_until": _iso(h.delay_until),
                "official": h.official or None,
                "agency": h.agency or None,
            }
            for h in holds
        ],
        "notices_sent": notices_sent(done),
        "ce_notified_by_ba_on": _iso(incident.ce_notified_by_ba_on),
        "first_known_to_privacy_office": _iso(incident.privacy_office_learned_on),
        "unreachable_individuals": incident.unreachable_individuals,
        "substitute_notice_started_on": _iso(incident.substitute_notice_started_on),
        "ny_harm_determination_on": _iso(incident.ny_harm_determination_on),
        "nj_misuse_determination_on": _iso(incident.nj_misuse_determination_on),
        "dfs_determined_at": incident.dfs_determined_at.isoformat()
        if incident.dfs_determined_at
        else None,
        "dfs_ransom_paid_at": incident.dfs_ransom_paid_at.isoformat()
        if incident.dfs_ransom_paid_at
        else None,
        "cdph_exclusion": incident.cdph_exclusion,
    }
    clients = json.loads(incident.ce_clients_notified or "{}")
    if clients:  # several covered-entity clients: the map replaces the single date
        data["ce_notified_by_ba_on"] = clients
    abroad = json.loads(incident.affected_outside_us or "{}")
    if abroad:
        data["affected_outside_us"] = abroad
    if incident.fips_validation:
        data["fips_validation"] = incident.fips_validation
    if org is not None and org.internal_target_days:
        data["internal_targets"] = [
            {
                "label": f"Internal target: notify within {org.internal_target_days} days",
                "days": org.internal_target_days,
            }
        ]
    if client is not None and client.notice_window_days is not None:
        unit = "business" if client.notice_window_business_days else "calendar"
        data["contractual_deadlines"] = [
            {
                "label": f"Agreement with {client.name}: tell the covered entity within "
                f"{client.notice_window_days} {unit} days",
                "days": client.notice_window_days,
                "business_days": client.notice_window_business_days,
            }
        ]
    return data
