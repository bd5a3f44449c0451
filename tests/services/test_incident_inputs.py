"""The incident service stores the DFS extortion payment, a business associate's covered-entity
clients, the FIPS answer and residents outside the U.S., hands them to the engine, and
recomputes on each change, in the use case's one transaction with its audit row.

Each expected date is worked by hand with the section that sets it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.core.context import FIPS_140_2_WARNING
from incident_tracker.core.permissions import Action
from incident_tracker.db.models import AuditEvent, Incident, ObligationRecord, User
from incident_tracker.services import incidents, obligations
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.services.notice_support import NY_600, as_user

PAID = datetime(2026, 9, 15, 18, 45, tzinfo=UTC)  # 14:45 EDT Tue 2026-09-15


def _create(engine: Engine, clock: FixedClock, values: IncidentValues) -> int:
    return as_user(engine, clock, None, lambda c: incidents.create(c, values).id or 0)


def _rows(engine: Engine, incident_id: int) -> dict[tuple[str, str, str], ObligationRecord]:
    with Session(engine) as session:
        found = session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == incident_id,
                ObligationRecord.live == True,  # noqa: E712
            )
        ).all()
        return {(r.rule_id, r.state, r.party): r for r in found}


def test_dfs_payment_dates_ny8_and_ny9_and_is_audited(
    engine: Engine, clock: FixedClock, officer: User
) -> None:
    """23 NYCRR 500.17(c): paid 14:45 EDT Tue 2026-09-15. NY8 (c)(1), 24 hours: 14:45 EDT Wed
    2026-09-16. NY9 (c)(2), 30 days: 2026-09-15 + 30 = (15 days to 09-30) + 15 = 2026-10-15."""
    values = replace(
        NY_600, owner_id=officer.id, nydfs_covered_entity=True, dfs_ransom_paid_at=PAID
    )
    incident_id = _create(engine, clock, values)
    rows = _rows(engine, incident_id)
    ny8 = rows[("NY8", "", "")]
    assert ny8.due == date(2026, 9, 16)
    assert json.loads(ny8.terms)["due_at"] == "2026-09-16T14:45:00-04:00"
    assert rows[("NY9", "", "")].due == date(2026, 10, 15)
    with Session(engine) as session:
        created = session.exec(
            select(AuditEvent).where(AuditEvent.action == "incident.create")
        ).one()
        assert "dfs_ransom_paid_at" in (created.new_values or "")


def test_clients_map_round_trips_and_a_changed_date_recomputes(
    engine: Engine, clock: FixedClock, officer: User
) -> None:
    """A business associate (not the agent) discovered Mon 2026-09-14; 164.404(a)(2): each
    client's clock runs from the day it was told. Lakeside told 2026-09-16: F1 2026-09-16 + 60
    = (14 to 09-30) + 31 + 15 = 2026-11-15. Told instead on 2026-09-18: 2026-11-17 (version 2).
    """
    values = replace(
        NY_600,
        owner_id=officer.id,
        entity_type="business_associate",
        hipaa_covered_entity=False,
        ba_is_agent_of_ce=False,
        ba_agency_answered=True,
        ce_clients={"Lakeside Medical Group": date(2026, 9, 16), "Harbor Clinic": None},
    )
    incident_id = _create(engine, clock, values)
    assert _rows(engine, incident_id)[("F1", "", "Lakeside Medical Group")].due == date(
        2026, 11, 15
    )

    def edit(call: Call) -> IncidentValues:
        incident = incidents.load_for(call, incident_id, Action.EDIT_INCIDENT)
        stored = incidents.values_of(call, incident)
        moved = {**stored.ce_clients, "Lakeside Medical Group": date(2026, 9, 18)}
        incidents.update(call, incident, replace(stored, ce_clients=moved))
        return stored

    stored = as_user(engine, clock, None, edit)
    assert stored.ce_clients == {"Lakeside Medical Group": date(2026, 9, 16), "Harbor Clinic": None}
    row = _rows(engine, incident_id)[("F1", "", "Lakeside Medical Group")]
    assert (row.due, row.version) == (date(2026, 11, 17), 2)


def test_fips_140_2_answer_reaches_the_engine_as_its_warning(
    engine: Engine, clock: FixedClock, officer: User
) -> None:
    """The safe harbor (164.402; 74 FR 19006) with a FIPS 140-2 module: the determination
    stands and the engine warns that the certificate is historical since 2026-09-21."""
    values = replace(
        NY_600,
        owner_id=officer.id,
        phi_encrypted=True,
        encryption_key_compromised=False,
        fips_validation="140-2",
        risk_assessment=None,
    )
    incident_id = _create(engine, clock, values)

    def evaluate(call: Call) -> tuple[str, ...]:
        incident = call.session.get(Incident, incident_id)
        assert incident is not None
        return obligations.evaluate(call, incident).warnings

    assert as_user(engine, clock, None, evaluate) == (FIPS_140_2_WARNING,)
    assert ("F1", "", "") not in _rows(engine, incident_id)
    values_3 = replace(values, fips_validation="140-3", title="Second laptop")
    second = _create(engine, clock, values_3)
    with Session(engine) as session:
        stored = session.get(Incident, second)
        assert stored is not None and stored.fips_validation == "140-3"


def test_outside_the_us_is_not_evaluated_by_country_and_counted_in_the_total(
    engine: Engine, clock: FixedClock, officer: User
) -> None:
    """600 NY residents and 7 in Mexico: total 607; Mexico is listed as not evaluated."""
    values = replace(NY_600, owner_id=officer.id, countries={"Mexico": 7})
    incident_id = _create(engine, clock, values)

    def evaluate(call: Call) -> list[tuple[str, int]]:
        incident = call.session.get(Incident, incident_id)
        assert incident is not None and incident.total_affected == 607
        result = obligations.evaluate(call, incident)
        return [(n.state, n.affected) for n in result.not_evaluated]

    assert as_user(engine, clock, None, evaluate) == [("outside the U.S. (Mexico)", 7)]
