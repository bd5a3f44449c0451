"""A State regulator filing's notes for the person drafting are shown beside the draft on its
notice page, and never in the filing's text.

The incident: tests/services/notice_support.py's stolen laptop (discovered 2026-09-14) with 300
Texans and 300 Louisianans instead of New Yorkers. The notes come from the regulators' content in
incident_tracker/data/states.json (docs/law/other-states.md): Louisiana's (La. Admin. Code tit. 16,
pt. III, § 701) lists a $5,000-a-day fine for a late notice; each filing names the other States'
regulator notices owed (here Texas's, Tex. Bus. & Com. Code § 521.053: 250 residents or more).
"""

from __future__ import annotations

import re
from dataclasses import replace

from flask import Flask
from sqlalchemy.engine import Engine

from incident_tracker.clock import FixedClock
from incident_tracker.db.models import User
from incident_tracker.services import incidents, organisation
from incident_tracker.services.call import Call
from tests.conftest import csrf_token, sign_in
from tests.services.notice_support import NY_600, ORG, as_user, obligation_id

TEXAS_AND_LOUISIANA = {"TX": 300, "LA": 300}


def notes_section(page: str) -> str:
    found = re.search(r'<section [^>]*id="drafter-notes".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_the_louisiana_filing_shows_its_drafter_notes_beside_the_draft_only(
    app: Flask, engine: Engine, clock: FixedClock, officer: User
) -> None:
    def made(call: Call) -> int:
        organisation.update(call, ORG)
        values = replace(NY_600, owner_id=officer.id, states=TEXAS_AND_LOUISIANA)
        return incidents.create(call, replace(values, total_affected=600)).id or 0

    iid = as_user(engine, clock, None, made)
    browser = app.test_client()
    sign_in(browser, officer.email)
    url = f"/incidents/{iid}/obligations/{obligation_id(engine, iid, 'LA2')}/notice"
    assert browser.post(url, data={"csrf_token": csrf_token(browser, "/")}).status_code == 302
    page = browser.get(url).get_data(as_text=True)
    notes = notes_section(page)
    assert "A late notice may be fined up to $5,000 a day." in notes
    assert "Other State regulator notices owed for these facts" in notes and "TX2" in notes
    text = page[page.index('<article class="notice-text"') : page.index("</article>")]
    assert "fined up to $5,000 a day" not in text  # not part of the filing
    # A notice of another kind (the individual letter) has no such section.
    letter = f"/incidents/{iid}/obligations/{obligation_id(engine, iid, 'F1')}/notice"
    browser.post(letter, data={"csrf_token": csrf_token(browser, "/")})
    assert notes_section(browser.get(letter).get_data(as_text=True)) == ""
