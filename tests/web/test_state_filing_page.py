"""Another State's regulator notice in the app: the Texas Attorney General's duty (TX2) has its
notice page like any other: drafted from the obligation with the listed content answered from the
record, the check citing the Texas statute, and, after a recorded answer changes, the page says
the draft is stale and offers Redraft.

The incident: tests/services/notice_support.py's stolen laptop (discovered 2026-09-14) with 300
Texas residents instead of New York's: at least 250 Texans, so TX2 is owed (Tex. Bus. & Com. Code
§ 521.053), 30 days after the determination: 2026-09-14 + 30 = 2026-10-14.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Flask
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Incident, ObligationRecord
from incident_tracker.services import incidents, organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.services.notice_support import NY_600, ORG


def _trusted(session: Session, clock: FixedClock) -> Call:
    return Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)


def test_the_texas_filing_is_drafted_checked_and_offered_a_redraft(
    app: Flask, settings: Settings, clock: FixedClock
) -> None:
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = _trusted(session, clock)
            organisation.update(call, ORG)
            values = replace(NY_600, owner_id=officer.id, states={"TX": 300})
            iid = incidents.create(call, values).id or 0
            tx2 = session.exec(
                select(ObligationRecord).where(
                    ObligationRecord.incident_id == iid, ObligationRecord.rule_id == "TX2"
                )
            ).one()
            url = f"/incidents/{iid}/obligations/{tx2.id}/notice"
        browser = app.test_client()
        sign_in(browser, "officer@example.org")
        created = browser.post(url, data={"csrf_token": csrf_token(browser, "/")})
        assert created.status_code == 302
        page = browser.get(url).get_data(as_text=True)
        assert "<h1>Notice to the Attorney General (Consumer Protection Division) (Texas)" in page
        assert "Electronic form on the OAG website (mandatory)" in page
        assert "By October 14, 2026" in page
        assert "Texas residents affected" in page and "300" in page
        assert "Tex. Bus. &amp; Com. Code § 521.002" in page  # the check's citation
        assert "whether law enforcement is engaged" in page
        with unit_of_work(engine) as session:
            call = _trusted(session, clock)
            incident = session.get(Incident, iid)
            assert incident is not None
            changed = replace(
                incidents.values_of(call, incident), states={"TX": 320}, total_affected=320
            )
            incidents.update(call, incident, changed)
        page = browser.get(url).get_data(as_text=True)
        assert "Texas residents affected: 300 → 320" in page
        assert "Redraft" in page
    finally:
        engine.dispose()
