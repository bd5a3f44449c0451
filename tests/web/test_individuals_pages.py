"""The affected-individual list and merged letters over HTTP: errors by line (422), a preview
with per-State counts, confirmation, letters for everyone who may see the incident, 404 for a
restricted incident; the list's names appear in no page, URL or audit row."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, Incident, IndividualList
from incident_tracker.services import incidents, organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.services.sending_support import NY_CA, ORG

HEADER = "name,address_line1,address_line2,city,state,zip,email,deceased"
GOOD = "\n".join(
    (
        HEADER,
        "Xenia Yarrow,1 Elm St,,Albany,NY,12207,,no",
        "Yuri Yarrow,2 Elm St,,Albany,NY,12207,,no",
        "xenia yarrow,1 Elm Street,,ALBANY,NY,12207,,no",
        "Zora Yarrow,3 Bay Rd,,Newark,NJ,07102,,no",
    )
)
BAD = HEADER + "\nXenia Yarrow,1 Elm St,,Albany,QQ,12207,,no\nYuri Yarrow,,,Albany,NY,12207,,no\n"


@pytest.fixture
def world(settings: Settings, clock: FixedClock) -> dict[str, Any]:
    make_user(settings, "officer@example.org", "privacy_officer")
    make_user(settings, "reader@example.org", "read_only")
    other = make_user(settings, "other@example.org", "privacy_officer")
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
        organisation.update(call, ORG)
        mine = incidents.create(call, replace(NY_CA, owner_id=other.id))
        hidden = incidents.create(call, replace(NY_CA, owner_id=other.id, restricted=True))
    engine.dispose()
    return {"mine": mine.id, "hidden": hidden.id}


def client_for(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def upload(client: FlaskClient, incident_id: int, content: str) -> Any:
    path = f"/incidents/{incident_id}/individuals"
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "file": (io.BytesIO(content.encode()), "list.csv"),
        },
        content_type="multipart/form-data",
    )


def test_a_bad_list_comes_back_422_with_each_error_by_line(
    app: Flask, world: dict[str, Any]
) -> None:
    officer = client_for(app, "officer@example.org")
    response = upload(officer, world["mine"], BAD)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2: state: &#39;QQ&#39; is not a US State" in body
    assert "Line 3: address_line1: the address is required" in body
    assert "Nothing was stored" in body


def test_a_good_list_is_previewed_confirmed_and_lettered_for_those_who_may_see_it(
    app: Flask, world: dict[str, Any], settings: Settings
) -> None:
    """Preview: 4 rows, 1 duplicate (line 4 repeats line 2), NY 2 and NJ 1 against the
    incident's NY 600 and CA 600; confirming makes them the incident's counts. The letters
    (3, one request) download for a read-only user as PDF and DOCX with the names inside."""
    officer = client_for(app, "officer@example.org")
    preview = upload(officer, world["mine"], GOOD)
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "4 rows read; 3 people after removing 1 duplicate" in body
    assert "Line 4 repeats line 2" in body
    assert "<tr><td>CA</td><td>600</td><td>0</td></tr>" in body
    assert "<tr><td>NY</td><td>600</td><td>2</td></tr>" in body
    assert "Yarrow" not in body
    engine = app.extensions["incident_tracker.engine"]
    with Session(engine) as session:
        pending = session.exec(select(IndividualList)).one()
    base = f"/incidents/{world['mine']}"
    token = csrf_token(officer, f"{base}/individuals")
    confirmed = officer.post(
        f"{base}/individuals/confirm", data={"csrf_token": token, "list_id": str(pending.id)}
    )
    assert confirmed.status_code == 302
    with Session(engine) as session:
        incident = session.get(Incident, world["mine"])
        assert incident is not None and incident.total_affected == 3
    started = officer.post(f"{base}/letters", data={"csrf_token": token})
    assert started.status_code == 302 and started.headers["Location"].endswith("#letters")
    assert officer.get(f"{base}/letters/progress").get_json() == {
        "status": "done",
        "done": 3,
        "total": 3,
    }
    reader = client_for(app, "reader@example.org")
    listing = reader.get(f"{base}/individuals").get_data(as_text=True)
    assert "Download PDF" in listing and "Yarrow" not in listing
    assert 'action="/incidents/' not in listing.split("Merged letters")[1]  # no start for reader
    with reader.get(f"{base}/letters.pdf") as pdf:
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert "attachment" in pdf.headers["Content-Disposition"]
        saved = settings.instance_path / "downloaded.pdf"
        saved.write_bytes(pdf.data)
    text = subprocess.run(
        ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert [n for n in ("Xenia", "Yuri", "Zora") if f"Dear {n} Yarrow:" in text] == [
        "Xenia",
        "Yuri",
        "Zora",
    ]
    with reader.get(f"{base}/letters.docx") as docx_file:
        assert docx_file.status_code == 200 and docx_file.data.startswith(b"PK")
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    trail = " ".join(f"{e.detail} {e.old_values} {e.new_values}" for e in events)
    assert "Yarrow" not in trail and "Elm St" not in trail
    assert not list(Path(app.static_folder or "").rglob("*.pdf"))  # outside the web root


def test_a_restricted_incident_is_not_found_on_any_list_route(
    app: Flask, world: dict[str, Any]
) -> None:
    officer = client_for(app, "officer@example.org")
    base = f"/incidents/{world['hidden']}"
    for path in ("individuals", "letters/progress", "letters.pdf", "letters.docx"):
        assert officer.get(f"{base}/{path}").status_code == 404, path
    assert upload(officer, world["hidden"], GOOD).status_code == 404
    token = csrf_token(officer, "/")
    for path in ("individuals/confirm", "individuals/discard", "letters"):
        assert officer.post(f"{base}/{path}", data={"csrf_token": token}).status_code == 404
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert session.exec(select(IndividualList)).all() == []


def test_a_file_over_the_size_limit_is_refused_by_field(
    app: Flask, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from incident_tracker.services import individuals

    monkeypatch.setattr(individuals, "MAX_CSV_BYTES", 100)
    officer = client_for(app, "officer@example.org")
    response = upload(officer, world["mine"], GOOD)
    assert response.status_code == 422
    assert "lists are limited to" in response.get_data(as_text=True)
