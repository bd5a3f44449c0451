"""Incident numbers under concurrent creation: a creation that starts while another's transaction
is still open gets the next number once that one commits, on SQLite (write transactions one at a
time) and on PostgreSQL (READ COMMITTED would let both count the same rows; the creation takes a
transaction lock first)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from sqlalchemy.engine import Engine
from sqlmodel import Session

from incident_tracker.clock import FixedClock
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import User
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY
from tests.services.notice_support import NY_600

OPERATOR = Actor(None, "test", trusted=True)


def test_a_creation_waiting_for_another_gets_the_next_number(
    engine: Engine, clock: FixedClock, officer: User
) -> None:
    values = replace(NY_600, owner_id=officer.id)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def second() -> None:
        try:
            with unit_of_work(engine) as session:
                call = Call(session, OPERATOR, clock.now(), AUDIT_KEY)
                numbers.append(incidents.create(call, replace(values, title="Second")).number)
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    with Session(engine) as first_session:
        call = Call(first_session, OPERATOR, clock.now(), AUDIT_KEY)
        first = incidents.create(call, replace(values, title="First")).number
        waiting = threading.Thread(target=second, daemon=True)
        waiting.start()
        time.sleep(1.0)  # the second creation reaches its number while the first is open
        assert numbers == [] and not failures  # it waits for the first to commit
        first_session.commit()
    waiting.join(timeout=30)
    assert not waiting.is_alive() and failures == []
    year = clock.now().year
    assert (first, numbers) == (f"INC-{year}-0001", [f"INC-{year}-0002"])
