"""Records kept six years (45 CFR 164.530(j)) are voided with a reason, never deleted.

The stolen laptop of tests/services/sending_support.py, discovered Monday 2026-09-14: F1 is due
60 days later, 2026-11-13 (164.404(b)). A written law-enforcement statement of 2026-09-20 asking
for a delay until 2026-12-01 (164.412(a)) moves it; voiding that statement puts it back.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incident_tracker import cli
from incident_tracker.clock import FixedClock
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import AuditEvent, Incident, LawEnforcementHold
from incident_tracker.db.retention import RETAINED, RetainedRecord
from incident_tracker.services import evidence
from incident_tracker.services.errors import Conflict, ValidationFailed
from tests.conftest import csrf_token, sign_in
from tests.services.sending_support import (
    People,
    as_user,
    load,
    make_incident,
    obligations,
)
from tests.services.sending_support import people as people

__all__ = ["people"]

F1_DUE = date(2026, 11, 13)
STATEMENT = evidence.HoldInput(
    form="written",
    statement_date=date(2026, 9, 20),
    delay_until=date(2026, 12, 1),
    official="Det. Ray Alvarez",
    agency="NYPD",
    notices_affected="all",
)


def with_hold(engine: Engine, clock: FixedClock, who: People) -> tuple[int, int]:
    iid = make_incident(engine, clock, who.officer)
    hold = as_user(
        engine,
        clock,
        who.officer,
        lambda c: evidence.add_hold(c, load(c, iid), STATEMENT).id or 0,
    )
    return iid, hold


def void(engine: Engine, clock: FixedClock, who: People, iid: int, hold: int, why: str) -> None:
    as_user(engine, clock, who.officer, lambda c: evidence.void_hold(c, load(c, iid), hold, why))


def test_a_voided_statement_is_kept_audited_with_its_reason_and_delays_nothing(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    iid, hold = with_hold(engine, clock, people)
    assert obligations(engine, iid)["F1"].due != F1_DUE  # the statement delays the letter
    with pytest.raises(ValidationFailed) as caught:
        void(engine, clock, people, iid, hold, "   ")
    assert caught.value.field_errors == {"void_reason": "say why this statement is void"}

    why = "Entered on the wrong incident; the NYPD statement concerns INC-2026-0007."
    void(engine, clock, people, iid, hold, why)
    assert obligations(engine, iid)["F1"].due == F1_DUE
    with Session(engine) as session:
        assert session.get(LawEnforcementHold, hold) is not None  # kept
        row = session.exec(select(AuditEvent).where(AuditEvent.action == "hold.void")).one()
    assert (row.object_id, row.detail) == (str(hold), why)
    assert json.loads(row.old_values or "{}")["statement_date"] == "2026-09-20"
    with pytest.raises(Conflict):
        void(engine, clock, people, iid, hold, "again")


@pytest.mark.parametrize("model", RETAINED, ids=lambda m: m.__tablename__)
def test_no_session_deletes_a_retained_table(engine: Engine, model: type) -> None:
    """A bulk DELETE of any record kept six years is refused before it reaches the database."""
    with pytest.raises(RetainedRecord) as caught, unit_of_work(engine) as session:
        session.execute(delete(model))
    assert "kept six years (45 CFR 164.530(j))" in str(caught.value)


def test_deleting_an_incident_or_a_statement_row_is_refused_and_nothing_changes(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    iid, hold = with_hold(engine, clock, people)
    for model, key in ((LawEnforcementHold, hold), (Incident, iid)):
        with pytest.raises(RetainedRecord), unit_of_work(engine) as session:
            row = session.get(model, key)
            session.delete(row)
    with Session(engine) as session:
        assert session.get(Incident, iid) is not None
        assert session.get(LawEnforcementHold, hold) is not None


def test_the_page_voids_a_statement_with_a_reason_and_has_no_delete(
    client: FlaskClient, engine: Engine, clock: FixedClock, people: People
) -> None:
    iid, hold = with_hold(engine, clock, people)
    sign_in(client, people.officer.email)
    page = client.get(f"/incidents/{iid}/evidence").get_data(as_text=True)
    assert f"/incidents/{iid}/holds/{hold}/void" in page and "/delete" not in page
    token = csrf_token(client, f"/incidents/{iid}")
    gone = client.post(f"/incidents/{iid}/holds/{hold}/delete", data={"csrf_token": token})
    assert gone.status_code in (404, 405)

    refused = client.post(
        f"/incidents/{iid}/holds/{hold}/void", data={"csrf_token": token, "void_reason": ""}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f'id="void_reason-{hold}-error">say why this statement is void<' in page

    why = "Entered twice; the statement of 2026-09-20 is on INC-2026-0007."
    done = client.post(
        f"/incidents/{iid}/holds/{hold}/void", data={"csrf_token": token, "void_reason": why}
    )
    assert done.status_code == 302
    page = client.get(f"/incidents/{iid}/evidence").get_data(as_text=True)
    assert 'data-hold-status="void"' in page and why in page
    assert f"/incidents/{iid}/holds/{hold}/void" not in page
    assert obligations(engine, iid)["F1"].due == F1_DUE


def test_no_command_deletes_records() -> None:
    """The operator commands: none removes, purges or deletes a record."""
    parser = cli.build_parser()
    text = parser.format_help().lower()
    assert not {"delete", "purge", "remove", "prune"} & set(text.replace(",", " ").split())
