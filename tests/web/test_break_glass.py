"""Minimum necessary and break-glass (45 CFR 164.502(b), 164.312(a)(2)(ii), 164.312(b)).

No role sees a restricted incident by standing access, admins included. An admin or a privacy
officer who is not on it opens it with a reason: four hours of access (the injected clock moves
past them), each view audited with the reason, the owner and the other privacy officers told in
the app and by e-mail (read from a real SMTP server, and in the outbox ledger), and the incident
page lists the use.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, BreakGlassGrant, Notification, SentEmail
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.mailbox import Mailbox, body
from tests.services.test_obligation_versions import NY_600
from tests.web.test_incident_objects import listed, next_control

ROLES = dict(owner="privacy_officer", assignee="legal_reviewer", admin="admin")
ROLES |= dict(officer="privacy_officer", legal="legal_reviewer", reader="read_only")
REASON = "Owner on leave; HHS asked about the export today"


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return dataclasses.replace(settings, mail=mailbox.settings)


@pytest.fixture
def world(settings: Settings, clock: FixedClock) -> dict[str, Any]:
    """Six users and a restricted incident (owner, one assigned legal reviewer)."""
    users = {name: make_user(settings, f"{name}@example.org", role) for name, role in ROLES.items()}
    secret = replace(
        NY_600,
        discovered_on=date(2026, 10, 1),
        owner_id=users["owner"].id,
        title="Quokka psychiatry export",
        restricted=True,
        assignee_ids=(users["assignee"].id or 0,),
    )
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
        hidden = incidents.create(call, secret)
    engine.dispose()
    return {"users": users, "hidden": (hidden.id, hidden.number, hidden.title)}


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def break_glass(client: FlaskClient, incident_id: int, reason: str) -> Any:
    token = csrf_token(client, "/")
    return client.post(
        f"/incidents/{incident_id}/break-glass", data={"csrf_token": token, "reason": reason}
    )


def events(app: Flask, action: str) -> list[AuditEvent]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
            )
        )


def test_no_standing_access_owner_and_assignee_only(app: Flask, world: dict[str, Any]) -> None:
    """The admin gets the same 404 as for an incident that does not exist (with the break-glass
    offer on both), and finds it in no list; owner and assignee open it and find it."""
    incident_id, number, title = world["hidden"]
    admin = signed_in(app, "admin@example.org")
    page = admin.get(f"/incidents/{incident_id}")
    ghost = admin.get("/incidents/99999")
    assert (page.status_code, ghost.status_code) == (404, 404)
    text = page.get_data(as_text=True)
    assert number not in text and title not in text
    assert f'href="/incidents/{incident_id}/break-glass"' in text
    assert 'href="/incidents/99999/break-glass"' in ghost.get_data(as_text=True)
    assert not any(listed(admin, world["hidden"]).values())
    assert admin.get("/incidents/99999/break-glass").status_code == 404
    for who in ("owner", "assignee"):
        client = signed_in(app, f"{who}@example.org")
        assert title in client.get(f"/incidents/{incident_id}").get_data(as_text=True)
        assert all(listed(client, world["hidden"]).values()), who


def test_break_glass_grants_four_hours_audits_each_view_and_tells_the_owner_and_officers(
    app: Flask, world: dict[str, Any], clock: FixedClock, mailbox: Mailbox
) -> None:
    incident_id, number, title = world["hidden"]
    owner = signed_in(app, "owner@example.org")
    people = owner.get(f"/incidents/{incident_id}/people").get_data(as_text=True)
    assert "break-glass-uses" not in people
    admin = signed_in(app, "admin@example.org")
    form = admin.get(f"/incidents/{incident_id}/break-glass").get_data(as_text=True)
    assert number in form and title not in form  # the number only, before the grant
    response = break_glass(admin, incident_id, REASON)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/incidents/{incident_id}"
    for _ in range(2):
        page = admin.get(f"/incidents/{incident_id}")
        assert page.status_code == 200 and title in page.get_data(as_text=True)
    # the grant: audited with its reason; each view too, as a break-glass view
    (granted,) = events(app, "incident.break_glass")
    assert json.loads(granted.new_values or "{}")["reason"] == REASON
    views = events(app, "incident.break_glass_view")
    assert len(views) == 2
    assert all(v.actor_email == "admin@example.org" for v in views)
    assert all(json.loads(v.new_values or "{}")["reason"] == REASON for v in views)
    assert all(v.object_id == str(incident_id) for v in views)
    # told at once: the owner and the other privacy officer, in the app and by e-mail
    told = {"owner@example.org", "officer@example.org"}
    ids = {world["users"][w].id: f"{w}@example.org" for w in ROLES}
    with Session(app.extensions["incident_tracker.engine"]) as session:
        notes = session.exec(select(Notification)).all()
        assert {ids[n.user_id] for n in notes} == told
        assert all(n.incident_id == incident_id and number in n.subject for n in notes)
        ledger = session.exec(select(SentEmail)).all()
        assert {m.to_address for m in ledger} == told
    for address in told:
        message = mailbox.wait_for(address)
        assert number in message["Subject"] and "admin@example.org" in body(message)
        assert title not in body(message) and REASON not in body(message)
    # the owner's page (kept before the grant) lists the use at once
    shown = owner.get(f"/incidents/{incident_id}/people").get_data(as_text=True)
    assert 'data-by="admin@example.org"' in shown and REASON in shown
    assert "2026-11-23 09:00 UTC, access until 2026-11-23 13:00 UTC" in shown
    # four hours: still open a minute before, refused a minute after (fresh sign-ins: the idle
    # timeout ended the session)
    clock.advance(hours=3, minutes=59)
    admin = signed_in(app, "admin@example.org")
    assert admin.get(f"/incidents/{incident_id}").status_code == 200
    clock.advance(minutes=2)
    admin = signed_in(app, "admin@example.org")
    late = admin.get(f"/incidents/{incident_id}")
    assert late.status_code == 404 and title not in late.get_data(as_text=True)
    assert len(events(app, "incident.break_glass_view")) == 3


def test_a_break_glass_without_a_reason_is_refused_beside_the_field(
    app: Flask, world: dict[str, Any]
) -> None:
    incident_id = world["hidden"][0]
    admin = signed_in(app, "admin@example.org")
    response = break_glass(admin, incident_id, "   ")
    assert response.status_code == 422
    message, control = next_control(response.get_data(as_text=True), "reason")
    assert control == "reason" and "say why" in message
    assert admin.get(f"/incidents/{incident_id}").status_code == 404
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert session.exec(select(BreakGlassGrant)).all() == []
        assert session.exec(select(Notification)).all() == []


def test_who_may_break_the_glass(app: Flask, world: dict[str, Any]) -> None:
    """A privacy officer not on the incident may (the owner is told, not the officer
    themselves); legal reviewers and read-only users may not; the owner needs no grant."""
    incident_id, _, title = world["hidden"]
    for who in ("legal", "reader"):
        client = signed_in(app, f"{who}@example.org")
        assert client.get(f"/incidents/{incident_id}/break-glass").status_code == 403
        page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
        assert "break-glass" not in page
    owner = signed_in(app, "owner@example.org")
    assert owner.get(f"/incidents/{incident_id}/break-glass").status_code == 302
    officer = signed_in(app, "officer@example.org")
    assert break_glass(officer, incident_id, "Breach line call at 2am").status_code == 302
    assert title in officer.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert break_glass(officer, incident_id, "again").status_code == 422  # already open
    with Session(app.extensions["incident_tracker.engine"]) as session:
        notes = session.exec(select(Notification)).all()
        assert [n.user_id for n in notes] == [world["users"]["owner"].id]
