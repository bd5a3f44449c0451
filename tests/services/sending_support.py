"""Shared set-up for the record-sent and affected-individual tests: an incident with NY and CA
residents, the people who act on it, and one transaction per use case."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import AuditEvent, Incident, ObligationRecord, User
from incident_tracker.services import incidents, notice_review, notice_versions, organisation
from incident_tracker.services.call import Call
from tests.conftest import make_user
from tests.services.notice_support import NY_600, as_user
from tests.services.notice_support import ORG as NOTICE_ORG

# A HIPAA covered entity's stolen laptop, discovered Monday 2026-09-14: 600 NY and 600 CA
# residents' names and SSNs. F1 is due 2026-11-13 (60 days, 164.404(b)); more than 500 CA
# residents, so the CA AG sample copy (CA2) is owed 15 days after the consumer letters.
NY_CA = replace(NY_600, states={"NY": 600, "CA": 600})
# The same organisation, its street and city on two lines (as a letter's return address).
ORG = replace(NOTICE_ORG, address="100 Main Street\nAlbany, NY 12207")


@dataclass(frozen=True)
class People:
    officer: User
    reviewer: User
    reader: User


@pytest.fixture
def people(settings: Settings) -> People:
    return People(
        make_user(settings, "officer@example.org", "privacy_officer"),
        make_user(settings, "legal@example.org", "legal_reviewer"),
        make_user(settings, "reader@example.org", "read_only"),
    )


def make_incident(engine: Engine, clock: FixedClock, owner: User, **over: Any) -> int:
    def setup(call: Call) -> int:
        organisation.update(call, ORG)
        made = incidents.create(call, replace(NY_CA, owner_id=owner.id, **over))
        return made.id or 0

    return as_user(engine, clock, None, setup)


def load(call: Call, incident_id: int) -> Incident:
    found = call.session.get(Incident, incident_id)
    assert found is not None
    return found


def obligations(engine: Engine, incident_id: int) -> dict[str, ObligationRecord]:
    """Live obligations by rule id (and State: "F3 NY")."""
    with Session(engine) as session:
        rows = session.exec(
            select(ObligationRecord).where(ObligationRecord.incident_id == incident_id)
        ).all()
    return {f"{r.rule_id} {r.state}".strip(): r for r in rows if r.live}


def obligation_id(engine: Engine, incident_id: int, key: str) -> int:
    return obligations(engine, incident_id)[key].id or 0


def terms(record: ObligationRecord) -> dict[str, Any]:
    return dict(json.loads(record.terms))


def audit_rows(engine: Engine, prefix: str = "") -> list[AuditEvent]:
    with Session(engine) as session:
        rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    return [r for r in rows if r.action.startswith(prefix)]


def approve_individual_notice(
    engine: Engine, clock: FixedClock, people: People, incident_id: int, storage: Any
) -> int:
    """The F1 notice drafted by the officer, approved by legal (with a written override for
    any missing detail); returns the approved version's id."""
    f1 = obligation_id(engine, incident_id, "F1")

    def draft(call: Call) -> int:
        incident = load(call, incident_id)
        notice = notice_versions.create(call, incident, f1)
        notice_review.submit(call, incident, notice, 1)
        return notice.id or 0

    notice_id = as_user(engine, clock, people.officer, draft)

    def approve(call: Call) -> int:
        incident = load(call, incident_id)
        notice = notice_versions.notice_for(call, incident, f1)
        assert notice is not None and notice.id == notice_id
        approval = notice_review.approve(
            call,
            incident,
            notice,
            notice_review.ApprovalInput(1, True, "details follow in the mailing"),
            storage,
            False,
        )
        return approval.version_id

    return as_user(engine, clock, people.reviewer, approve)
