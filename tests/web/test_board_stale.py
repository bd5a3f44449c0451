"""The deadline board flags a duty whose unsent notice no longer prints the current facts, in a
number of statements that does not grow with the number of stale notices.

Each incident's individual notice (F1) is drafted with discovery on its seeded date, then the
discovery date moves one day earlier: the draft prints the old "Date of discovery", so it is
stale (services/notice_facts.py), and the board's F1 row says "stale notice" with a link to it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import ObligationRecord
from incident_tracker.services import incidents, notice_versions
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY
from tests.web.test_query_counts import (
    SEEDER,
    People,
    explain,
    measure,
    officer_client,
    people,
    statements,
    values,
)

__all__ = ["officer_client", "people", "statements"]

STALE_ROW = re.compile(
    r'<tr data-obligation-id="(\d+)" data-status="open"[^>]*>'
    r'(?:(?!</tr>).)*?data-facts-status="stale"',
    re.S,
)


def stale_drafts(
    settings: Settings, clock: FixedClock, people: People, numbers: range, move: bool = True
) -> set[int]:
    """Incidents with F1 drafted, then (when `move`) discovery a day earlier; the F1 ids."""
    engine = make_engine(settings.db_url)
    f1_ids = set()
    try:
        for n in numbers:
            with unit_of_work(engine) as session:
                call = Call(session, SEEDER, clock.now(), AUDIT_KEY)
                # Discovered 2026-10-01 and later (F1 not yet overdue), visible to the officer.
                incident = incidents.create(
                    call,
                    values(
                        n,
                        people,
                        restricted=False,
                        owner_id=people.officer.id,
                        discovered_on=clock.now().date() - timedelta(days=20 + n),
                    ),
                )
                f1 = session.exec(
                    select(ObligationRecord).where(
                        ObligationRecord.incident_id == incident.id,
                        ObligationRecord.rule_id == "F1",
                    )
                ).one()
                notice_versions.create(call, incident, f1.id or 0)
                f1_ids.add(f1.id or 0)
            if move:
                with unit_of_work(engine) as session:
                    call = Call(session, SEEDER, clock.now(), AUDIT_KEY)
                    incident = incidents.load_for(call, incident.id or 0, None)
                    earlier = incident.discovered_on - timedelta(days=1)
                    incidents.update(
                        call,
                        incident,
                        replace(incidents.values_of(call, incident), discovered_on=earlier),
                    )
    finally:
        engine.dispose()
    return f1_ids


def test_the_board_flags_stale_notices_in_the_same_number_of_statements_for_2_and_8(
    settings: Settings,
    clock: FixedClock,
    people: People,
    officer_client: FlaskClient,
    statements: list[str],
) -> None:
    fresh = stale_drafts(settings, clock, people, range(1, 3), move=False)
    _, page = measure(officer_client, statements, "/")
    assert STALE_ROW.findall(page) == []  # drafted from the current facts: nothing to flag
    first = stale_drafts(settings, clock, people, range(3, 5))
    few, page = measure(officer_client, statements, "/")
    assert {int(i) for i in STALE_ROW.findall(page)} == first
    more = stale_drafts(settings, clock, people, range(5, 11))
    many, page = measure(officer_client, statements, "/")
    assert {int(i) for i in STALE_ROW.findall(page)} == first | more
    assert not fresh & (first | more)
    assert len(many) == len(few), explain(few, many)
    assert "/notice" in page and "stale notice" in page
