"""Realistic demo incidents for `make run`, dated relative to the day they are loaded so the first
screen is a live deadline board. Loaded once, with the demo accounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlmodel import select

from incident_tracker.db.models import CoveredEntityClient, Facility, Incident, User
from incident_tracker.services import evidence, incidents
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues

# The incidents that show the risk assessment and notice review (services.demo_reviews), by title.
SHOWCASE = {
    "signed": "Chart notes pasted into a consumer AI chatbot",
    "draft": "835/837 batch sent to the wrong payer",
    "in_review": "Chart notes pasted into a consumer AI chatbot",
    "sent": "Remittance files e-mailed to a personal account",
}


def _ago(today: date, days: int) -> date:
    return today - timedelta(days=days)


def by_role(created: list[Incident]) -> dict[str, Incident]:
    titles = {incident.title: incident for incident in created}
    return {role: titles[title] for role, title in SHOWCASE.items()}


def seed(call: Call, officer: User, reviewer: User) -> list[Incident]:
    if call.session.exec(select(Incident)).first() is not None:
        return []
    today = call.now.date()
    hospital = Facility(
        organisation_id=1,
        name="Bayview Community Hospital (demo)",
        licence_type="general acute care hospital",
    )
    plan = CoveredEntityClient(
        organisation_id=1,
        name="Northwind Health Plan (demo)",
        notice_window_days=5,
        notice_window_business_days=True,
        agreement_reference="BAA 2024-17",
    )
    call.session.add(hospital)
    call.session.add(plan)
    call.session.flush()
    specs: list[tuple[str, IncidentValues]] = [
        (
            "assessment",
            IncidentValues(
                title="835/837 batch sent to the wrong payer",
                discovered_on=_ago(today, 20),
                occurred_on=_ago(today, 23),
                incident_type="claim_wrong_payer",
                breach_type="unauthorized_access_disclosure",
                location="network_server",
                states={"NY": 640, "NJ": 1250, "PA": 85},
                data_elements=(
                    "name",
                    "date_of_birth",
                    "ssn",
                    "member_id",
                    "claims",
                    "diagnosis_codes",
                ),
                acquired=True,
                phi_encrypted=False,
                risk_assessment="not_low_probability",
            ),
        ),
        (
            "assessment",
            IncidentValues(
                title="Coder's laptop stolen from car (encrypted)",
                discovered_on=_ago(today, 12),
                occurred_on=_ago(today, 13),
                incident_type="lost_device",
                breach_type="theft",
                location="laptop",
                states={"CA": 800},
                data_elements=("name", "diagnosis", "medical_record_number"),
                acquired=True,
                phi_encrypted=True,
                encryption_key_compromised=False,
                risk_assessment="not_required_secured_phi",
            ),
        ),
        (
            "notification",
            IncidentValues(
                title="Chart notes pasted into a consumer AI chatbot",
                discovered_on=_ago(today, 9),
                occurred_on=_ago(today, 9),
                incident_type="ai_tool_no_baa",
                breach_type="unauthorized_access_disclosure",
                location="other",
                states={"CA": 35, "NY": 12},
                data_elements=("name", "date_of_birth", "diagnosis", "treatment"),
                acquired=True,
                phi_encrypted=False,
                risk_assessment="not_low_probability",
            ),
        ),
        (
            "assessment",
            IncidentValues(
                title="Nurse viewed neighbours' charts",
                discovered_on=_ago(today, 4),
                occurred_on=_ago(today, 18),
                incident_type="workforce_snooping",
                entity_type="ca_licensed_health_facility",
                facility_id=hospital.id,
                breach_type="unauthorized_access_disclosure",
                location="electronic_medical_record",
                states={"CA": 3},
                data_elements=("name", "medical_record_number", "diagnosis", "lab_results"),
                acquired=False,
                phi_encrypted=False,
                risk_assessment="not_low_probability",
                restricted=True,
            ),
        ),
        (
            "notification",
            IncidentValues(
                title="Remittance files e-mailed to a personal account",
                discovered_on=_ago(today, 66),
                occurred_on=_ago(today, 70),
                incident_type="emailed_personal_account",
                breach_type="unauthorized_access_disclosure",
                location="email",
                states={"TX": 140, "FL": 60},
                data_elements=("name", "member_id", "claims"),
                acquired=True,
                phi_encrypted=False,
                risk_assessment="not_low_probability",
            ),
        ),
        (
            "intake",
            IncidentValues(
                title="Coding worksheets found in recycling bin",
                discovered_on=_ago(today, 2),
                incident_type="paper_left_out",
                breach_type="improper_disposal",
                location="paper_films",
                medium="paper",
                states={"NJ": 25},
                data_elements=("name", "date_of_birth", "diagnosis_codes", "procedure_codes"),
                risk_assessment=None,
            ),
        ),
        (
            "notification",
            IncidentValues(
                title="Billing vendor ransomware (we are the business associate)",
                discovered_on=_ago(today, 40),
                occurred_on=_ago(today, 44),
                incident_type="vendor_ransomware",
                entity_type="business_associate",
                hipaa_covered_entity=False,
                client_id=plan.id,
                ba_is_agent_of_ce=False,
                ba_agency_answered=True,
                ce_notified_by_ba_on=_ago(today, 31),
                breach_type="hacking_it_incident",
                location="network_server",
                states={"NY": 4100, "CA": 2600, "OH": 900},
                data_elements=("name", "address", "date_of_birth", "ssn", "member_id", "claims"),
                acquired=True,
                phi_encrypted=False,
                risk_assessment="not_low_probability",
            ),
        ),
    ]
    created = []
    for status, values in specs:
        people = replace(values, owner_id=officer.id, assignee_ids=(reviewer.id or 0,))
        incident = incidents.create(call, people)
        incident.status = status
        call.session.add(incident)
        created.append(incident)
    third = created[2]
    evidence.add_hold(
        call,
        third,
        evidence.HoldInput(
            "oral",
            _ago(today, 5),
            None,
            "Det. R. Alvarez",
            "City Police Cyber Unit",
            "individual and media notices",
        ),
    )
    return created
