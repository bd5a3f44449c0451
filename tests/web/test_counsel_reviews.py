"""Counsel's review of a State rule set: a legal reviewer records it (audited), the rule-set page
lists every jurisdiction with its status, version and review, and the incident page shows
"reviewed by counsel on …" on that jurisdiction's provisional duties until its version changes."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.core.states import JURISDICTIONS
from incident_tracker.core.states.version import version
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, CounselReview, User
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in

CONFIRM = "provisional — confirm with counsel"
REVIEWED = "provisional — reviewed by counsel on 2026-11-20 (Dana Counsel, rule set "


@pytest.fixture
def reviewer(settings: Settings) -> User:
    return make_user(settings, "reviewer@example.org", "legal_reviewer")


@pytest.fixture
def reviewer_client(app: Flask, client: FlaskClient, reviewer: User) -> FlaskClient:
    app.extensions["incident_tracker.kept"].resize(0)  # pages read the registry afresh
    sign_in(client, reviewer.email)
    return client


@pytest.fixture
def incident_id(settings: Settings, clock: FixedClock, reviewer: User) -> int:
    """Florida and Washington residents' names with SSNs: both States' duties are provisional."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "seed", trusted=True), clock.now(), AUDIT_KEY)
            incident = incidents.create(
                call,
                IncidentValues(
                    title="Billing export",
                    discovered_on=date(2026, 11, 2),
                    states={"FL": 600, "WA": 600},
                    data_elements=("name", "diagnosis", "ssn"),
                    acquired=True,
                    owner_id=reviewer.id,
                ),
            )
            return incident.id or 0
    finally:
        engine.dispose()


def review(client: FlaskClient, **over: str) -> Any:
    form = {
        "jurisdiction": "FL",
        "version": version(JURISDICTIONS["FL"]),
        "counsel": "Dana Counsel",
        "reviewed_on": "2026-11-20",
        "note": "Fla. Stat. § 501.171 read against the data; agree.",
        "csrf_token": csrf_token(client, "/admin/rule-sets?review=FL"),
        **over,
    }
    return client.post("/admin/rule-sets/reviews", data=form)


def tags(page: str, code: str) -> list[str]:
    """The provisional tag of each of the jurisdiction's duties on the obligations page."""
    rows = re.findall(r'<tr id="obligation-\d+".*?</tr>', page, re.S)
    mine = [r for r in rows if f'<span class="hint">{code} ·' in r]
    assert mine, f"no {code} duties on the page"
    return [
        re.sub(r"<[^>]+>", "", m)
        for r in mine
        for m in re.findall(r'<span class="tag provisional[^"]*">.*?</span>', r)
    ]


def test_a_legal_reviewer_records_a_review_and_the_duties_show_it(
    app: Flask, reviewer_client: FlaskClient, incident_id: int
) -> None:
    before = reviewer_client.get(f"/incidents/{incident_id}/obligations").get_data(as_text=True)
    assert set(tags(before, "FL")) == {CONFIRM} and set(tags(before, "WA")) == {CONFIRM}

    response = review(reviewer_client)
    assert response.status_code == 302 and "/admin/rule-sets" in response.location

    page = reviewer_client.get(f"/incidents/{incident_id}/obligations").get_data(as_text=True)
    fl_version = version(JURISDICTIONS["FL"])
    assert set(tags(page, "FL")) == {f"{REVIEWED}{fl_version})"}
    assert len(tags(page, "FL")) == len(tags(before, "FL")) >= 2
    assert set(tags(page, "WA")) == {CONFIRM}  # another jurisdiction keeps its tag
    with Session(app.extensions["incident_tracker.engine"]) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "rule_set.counsel_review")
        ).one()
        assert event.object_type == "jurisdiction" and event.object_id == "FL"
        assert event.actor_email == "reviewer@example.org"
        assert fl_version in (event.new_values or "") and "Dana Counsel" in (event.new_values or "")


def test_a_new_version_resets_the_review(
    reviewer_client: FlaskClient, incident_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_version = version(JURISDICTIONS["FL"])
    assert review(reviewer_client).status_code == 302
    fl = JURISDICTIONS["FL"]
    entry = copy.deepcopy(fl.data)
    entry["regulator_notices"][0]["threshold"]["count"] += 1
    monkeypatch.setitem(JURISDICTIONS, "FL", replace(fl, data=entry))
    assert version(JURISDICTIONS["FL"]) != old_version

    page = reviewer_client.get(f"/incidents/{incident_id}/obligations").get_data(as_text=True)
    assert set(tags(page, "FL")) == {CONFIRM}
    assert (
        f"counsel reviewed an older version of the rule set ({old_version}) on 2026-11-20" in page
    )
    listing = reviewer_client.get("/admin/rule-sets").get_data(as_text=True)
    row = re.search(r'<tr id="rule-set-FL".*?</tr>', listing, re.S)
    assert row is not None
    assert 'data-reviewed="older"' in row.group(0) and "not reviewed in this version" in row.group(
        0
    )
    # A review of the old version is refused beside the form; the new one is accepted.
    stale = review(reviewer_client, version=old_version)
    assert stale.status_code == 422
    assert "reload the page" in stale.get_data(as_text=True)
    assert review(reviewer_client).status_code == 302
    page = reviewer_client.get(f"/incidents/{incident_id}/obligations").get_data(as_text=True)
    assert set(tags(page, "FL")) == {f"{REVIEWED}{version(JURISDICTIONS['FL'])})"}


def test_read_only_and_admins_may_not_record_a_review(
    app: Flask, settings: Settings, client: FlaskClient
) -> None:
    for role in ("read_only", "admin", "privacy_officer"):
        other = app.test_client()
        make_user(settings, f"{role}@example.org", role)
        sign_in(other, f"{role}@example.org")
        form = {
            "jurisdiction": "FL",
            "version": version(JURISDICTIONS["FL"]),
            "counsel": "Dana Counsel",
            "reviewed_on": "2026-11-20",
            "csrf_token": csrf_token(other, "/"),
        }
        assert other.post("/admin/rule-sets/reviews", data=form).status_code == 403, role
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert session.exec(select(CounselReview)).all() == []


def test_bad_input_is_named_beside_its_field_and_kept(reviewer_client: FlaskClient) -> None:
    response = review(reviewer_client, counsel=" ", reviewed_on="2026-12-25", note="kept note")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="counsel-error">name the counsel' in body
    assert 'id="reviewed_on-error">the review date is in the future' in body
    assert "kept note" in body and 'value="2026-12-25"' in body
    unknown = review(reviewer_client, jurisdiction="NY")
    assert unknown.status_code == 422
    assert "choose a jurisdiction from the list" in unknown.get_data(as_text=True)


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = app.extensions["incident_tracker.engine"]

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_the_rule_set_page_lists_all_51_in_the_same_number_of_queries(
    reviewer_client: FlaskClient, statements: list[str]
) -> None:
    statements.clear()
    page = reviewer_client.get("/admin/rule-sets").get_data(as_text=True)
    none_reviewed = len(statements)
    assert page.count('<tr id="rule-set-') == 51
    assert page.count('data-status="certified"') == 13
    assert page.count('data-status="provisional"') == 38
    assert 'href="/admin/rule-sets"' in page  # the menu links to it
    for code in ("FL", "TX", "WA", "GU", "VI"):
        assert review(reviewer_client, jurisdiction=code, version=version(JURISDICTIONS[code]))
    statements.clear()
    page = reviewer_client.get("/admin/rule-sets").get_data(as_text=True)
    assert len(statements) == none_reviewed
    assert page.count('data-reviewed="current"') == 5
    assert page.count("reviewed by counsel on 2026-11-20 (Dana Counsel)") == 5
    for row in re.findall(r'<tr id="rule-set-(\w+)".*?<code>(\w+)</code>', page, re.S):
        assert row[1] == version(JURISDICTIONS[row[0]])
