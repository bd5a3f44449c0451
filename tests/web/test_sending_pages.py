"""The record-sent form, returned mail and HHS addenda in the browser's terms: bad input comes
back 422 with the message by the field and what was typed kept; a good one redirects and shows
on the incident page; a restricted incident is not found by anyone else (ASVS 8.2.2)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Incident, ObligationRecord, SentRecord
from incident_tracker.services import incidents, organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.services.sending_support import NY_CA, ORG


@pytest.fixture
def world(settings: Settings, clock: FixedClock) -> dict[str, Any]:
    """An officer's incident (NY 600 + CA 600, discovered 2026-09-14) and a restricted one owned
    by someone else."""
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    other = make_user(settings, "other@example.org", "privacy_officer")
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
        organisation.update(call, ORG)
        mine = incidents.create(call, replace(NY_CA, owner_id=officer.id))
        hidden = incidents.create(call, replace(NY_CA, owner_id=other.id, restricted=True))
        ids = {
            f"{r.rule_id} {r.state}".strip(): r.id
            for r in session.exec(
                select(ObligationRecord).where(ObligationRecord.incident_id == mine.id)
            )
        }
        hidden_f1 = session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == hidden.id, ObligationRecord.rule_id == "F1"
            )
        ).one()
    engine.dispose()
    return {"mine": mine.id, "hidden": hidden.id, "ids": ids, "hidden_f1": hidden_f1.id}


@pytest.fixture
def officer(client: FlaskClient, world: dict[str, Any]) -> FlaskClient:
    sign_in(client, "officer@example.org")
    return client


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_form_refuses_bad_input_by_field_and_keeps_what_was_typed(
    officer: FlaskClient, world: dict[str, Any]
) -> None:
    """A date before discovery and a negative-looking count: 422, each message by its field."""
    path = f"/incidents/{world['mine']}/obligations/{world['ids']['F1']}/sent"
    form = {
        "csrf_token": csrf_token(officer, path),
        "sent_on": "2026-09-01",
        "method": "mail",
        "recipients": "12x",
        "reference": "USPS-9400-1",
        "note": "first batch",
    }
    response = officer.post(path, data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="recipients-error"' in body and "enter a whole number" in body
    assert 'value="USPS-9400-1"' in body and "first batch" in body
    form["recipients"] = "1200"
    response = officer.post(path, data=form)
    assert response.status_code == 422
    assert "cannot be before discovery (2026-09-14)" in response.get_data(as_text=True)


def test_a_sending_with_a_proof_file_is_recorded_and_shown_with_its_history(
    app: Flask, officer: FlaskClient, world: dict[str, Any]
) -> None:
    """The proof is stored like an attachment and downloadable from the history; the incident
    page lists the record; the HHS date moves NY5 to Fri 2026-10-09 (5 NY business days after
    Fri 2026-10-02, § 899-aa(9))."""
    path = f"/incidents/{world['mine']}/obligations/{world['ids']['F4']}/sent"
    response = officer.post(
        path,
        data={
            "csrf_token": csrf_token(officer, path),
            "sent_on": "2026-10-02",
            "method": "portal",
            "recipients": "1",
            "reference": "OCR-TX-77",
            "proof": (io.BytesIO(b"%PDF-1.4 portal receipt"), "ocr-receipt.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/incidents/{world['mine']}/notices#sent")
    history = page(officer, path)
    assert "OCR-TX-77" in history and "ocr-receipt.pdf" in history
    link = re.search(r'href="(/incidents/\d+/attachments/\d+)"', history)
    assert link is not None
    with officer.get(link.group(1)) as download:
        assert download.status_code == 200 and download.data == b"%PDF-1.4 portal receipt"
    detail = page(officer, f"/incidents/{world['mine']}/notices")
    assert "2026-10-02 · portal · 1 recipient · OCR-TX-77" in detail
    with Session(app.extensions["incident_tracker.engine"]) as session:
        ny5 = session.get(ObligationRecord, world["ids"]["NY5"])
        assert ny5 is not None and ny5.due == date(2026, 10, 9)


def test_the_old_mark_done_form_goes_through_the_same_service(
    app: Flask, officer: FlaskClient, world: dict[str, Any]
) -> None:
    """The incident page's quick "Mark done" writes a sent record too (one service)."""
    path = f"/incidents/{world['mine']}/obligations/{world['ids']['F1']}/done"
    token = csrf_token(officer, f"/incidents/{world['mine']}")
    response = officer.post(
        path, data={"csrf_token": token, "done_on": "2026-10-01", "method": "mail"}
    )
    assert response.status_code == 302
    with Session(app.extensions["incident_tracker.engine"]) as session:
        rows = session.exec(select(SentRecord)).all()
    assert sorted((r.obligation_id, r.sent_on) for r in rows) == sorted(
        [(world["ids"]["F1"], date(2026, 10, 1)), (world["ids"]["NY1"], date(2026, 10, 1))]
    )


def test_returned_mail_and_an_addendum_come_back_by_field_or_show_on_the_page(
    app: Flask, officer: FlaskClient, world: dict[str, Any]
) -> None:
    """Ten returned letters bring in the substitute notice (164.404(d)(2)(ii)) on the page."""
    base = f"/incidents/{world['mine']}"
    token = csrf_token(officer, base)
    bad = officer.post(
        f"{base}/returned-mail",
        data={"csrf_token": token, "returned_on": "2026-10-20", "returned_count": "0"},
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "enter how many letters came back" in body
    assert 'value="2026-10-20"' in body
    good = officer.post(
        f"{base}/returned-mail",
        data={"csrf_token": token, "returned_on": "2026-10-20", "returned_count": "10"},
    )
    assert good.status_code == 302
    detail = page(officer, f"{base}/notices")
    assert "10 people could not be reached" in detail
    assert "45 CFR 164.404(d)(2)(ii)" in detail
    no_report = officer.post(
        f"{base}/hhs-addenda",
        data={"csrf_token": token, "addendum_obligation": str(world["ids"]["F4"])},
    )
    assert no_report.status_code == 422
    assert "record the initial HHS report as sent first" in no_report.get_data(as_text=True)


def test_a_restricted_incident_is_not_found_on_any_sending_route(
    app: Flask, officer: FlaskClient, world: dict[str, Any]
) -> None:
    """Another officer's restricted incident: 404 everywhere, nothing written (ASVS 8.2.2)."""
    base = f"/incidents/{world['hidden']}"
    token = csrf_token(officer, "/")
    assert officer.get(f"{base}/obligations/{world['hidden_f1']}/sent").status_code == 404
    posts = {
        f"{base}/obligations/{world['hidden_f1']}/sent": {
            "sent_on": "2026-10-01",
            "method": "mail",
        },
        f"{base}/returned-mail": {"returned_on": "2026-10-01", "returned_count": "3"},
        f"{base}/hhs-addenda": {"addendum_obligation": "1"},
        f"{base}/obligations/{world['hidden_f1']}/undo": {},
    }
    for path, data in posts.items():
        assert officer.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert session.exec(select(SentRecord)).all() == []
        hidden = session.get(Incident, world["hidden"])
        assert hidden is not None and hidden.unreachable_individuals is None
