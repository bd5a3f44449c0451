"""Shared set-up for the notice review tests: an incident with its obligations, the people who
draft, review and approve, and a way to run one use case as one of them (one transaction each)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import AuditEvent, Incident, ObligationRecord, User
from incident_tracker.services import incidents, organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, make_user

T = TypeVar("T")

# A HIPAA covered entity's stolen laptop: 600 NY residents' names and SSNs, discovered Monday
# 2026-09-14. It owes F1 (individuals), F3 NY (media, >500 NY residents), F4 (HHS, >=500) and the
# NY duties (docs/law/rules.md).
NY_600 = IncidentValues(
    title="Stolen laptop with claim files",
    discovered_on=date(2026, 9, 14),
    occurred_on=date(2026, 9, 10),
    breach_type="theft",
    location="laptop",
    states={"NY": 600},
    data_elements=("name", "ssn"),
    medium="electronic",
    acquired=True,
    phi_encrypted=False,
    risk_assessment="not_low_probability",
)
ORG = organisation.ProfileInput(
    legal_name="Smith & Sons Health",
    address="100 Main Street, Albany, NY 12207",
    time_zone="America/New_York",
    is_covered_entity=True,
    covered_entity_type="provider",
    is_business_associate=False,
    nydfs_covered_entity=False,
    toll_free_number="1-800-555-0100",
    contact_email="privacy@smith-sons.example",
    website="https://smith-sons.example",
    postal_address="",
    internal_target_days="",
)
# Every detail an individual notice with NY residents needs (45 CFR 164.404(c)(1)).
FULL_DETAILS = {
    "what_happened": "A laptop holding claim files was stolen from an employee's car.",
    "what_we_are_doing": "We disabled the laptop's accounts, reported the theft to the police "
    "and now encrypt every laptop.",
    "notice_date": "2026-10-01",
}


@dataclass(frozen=True)
class People:
    officer: User
    reviewer: User
    second_reviewer: User
    reader: User


@pytest.fixture
def people(settings: Settings) -> People:
    return People(
        make_user(settings, "officer@example.org", "privacy_officer"),
        make_user(settings, "legal@example.org", "legal_reviewer"),
        make_user(settings, "legal2@example.org", "legal_reviewer"),
        make_user(settings, "reader@example.org", "read_only"),
    )


def as_user(engine: Engine, clock: FixedClock, user: User | None, work: Callable[[Call], T]) -> T:
    """Run `work` as `user` (None: the trusted operator) in one transaction; time moves 1 minute."""
    clock.advance(minutes=1)
    actor = (
        Actor(None, "test", trusted=True)
        if user is None
        else Actor(user.id, user.email, user.role, "127.0.0.1")
    )
    with unit_of_work(engine) as session:
        return work(Call(session, actor, clock.now(), AUDIT_KEY))


@pytest.fixture
def incident_id(engine: Engine, clock: FixedClock, people: People) -> int:
    def setup(call: Call) -> int:
        organisation.update(call, ORG)
        made = incidents.create(
            call, IncidentValues(**{**NY_600.__dict__, "owner_id": people.officer.id})
        )
        return made.id or 0

    return as_user(engine, clock, None, setup)


def load(call: Call, incident_id: int) -> Incident:
    found = call.session.get(Incident, incident_id)
    assert found is not None
    return found


def obligation_id(engine: Engine, incident_id: int, rule: str, state: str = "") -> int:
    with Session(engine) as session:
        found = session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == incident_id,
                ObligationRecord.rule_id == rule,
                ObligationRecord.state == state,
            )
        ).first()
    assert found is not None and found.id is not None, f"{rule} {state} is not owed"
    return found.id


def audit_actions(engine: Engine, prefix: str = "notice") -> list[str]:
    with Session(engine) as session:
        rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    return [r.action for r in rows if r.action.startswith(prefix)]


def audit_rows(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
            )
        )
