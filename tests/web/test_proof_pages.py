"""The auditor pages in the browser's place (Flask test client): the annual log with a recorded
submission, the exports (formula cells neutralised, the chain statement, privileged material left
out by default and its inclusion audited), the evidence file built in the background, the
accounting of disclosures and the dashboard's charts with their tables."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker import signing
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import AuditEvent, ObligationRecord, User
from incident_tracker.services import evidence_files, individuals
from tests.conftest import csrf_token, make_user, sign_in
from tests.services.sending_support import as_user, load, make_incident

FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'


def client_for(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user.email)
    return client


def small_incident(engine: Engine, clock: FixedClock, officer: User, **over: object) -> int:
    return make_incident(engine, clock, officer, states={"NY": 120}, **over)


def audit_actions(engine: Engine, prefix: str) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action).startswith(prefix))
                .order_by(col(AuditEvent.id))
            )
        )


def test_the_annual_log_page_records_a_submission_and_keeps_bad_input(
    app: Flask, engine: Engine, clock: FixedClock, officer: User
) -> None:
    iid = small_incident(engine, clock, officer)
    client = client_for(app, officer)
    page = client.get("/annual-log/2026").get_data(as_text=True)
    assert 'data-status="due"' in page and "[MISSING:" in page
    assert "2027-03-01" in page  # 60 days after 31 December 2026 (164.408(c))
    action = re.search(r'action="(/annual-log/2026/incidents/\d+/obligations/\d+)"', page)
    assert action
    token = csrf_token(client, "/annual-log/2026")
    refused = client.post(
        action.group(1), data={"sent_on": "2026-11-16", "confirmation": "", "csrf_token": token}
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "enter the portal&#39;s confirmation number" in body and 'value="2026-11-16"' in body
    done = client.post(
        action.group(1),
        data={"sent_on": "2026-11-16", "confirmation": "OCR-77", "csrf_token": token},
    )
    assert done.status_code == 302
    with Session(engine) as session:
        f5 = session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == iid, ObligationRecord.rule_id == "F5"
            )
        ).one()
    assert (f5.done_on, f5.done_reference) == (date(2026, 11, 16), "OCR-77")
    rows = list(
        csv.DictReader(io.StringIO(client.get("/annual-log/2026.csv").get_data(as_text=True)))
    )
    assert [(r["confirmation_number"], r["submitted_on"]) for r in rows] == [
        ("OCR-77", "2026-11-16")
    ]


def test_the_register_csv_neutralises_formulas_and_shows_only_what_the_user_may_see(
    app: Flask, engine: Engine, clock: FixedClock, officer: User, settings: Settings
) -> None:
    small_incident(engine, clock, officer, title=FORMULA_TITLE)
    other = make_user(settings, "other@example.org", "privacy_officer")
    small_incident(engine, clock, other, title="Hidden restricted incident", restricted=True)
    text = client_for(app, officer).get("/incidents.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["title"] for r in rows] == ["'" + FORMULA_TITLE]
    assert audit_actions(engine, "register.export")


def test_the_audit_export_states_the_chain_and_withholds_privileged_material_by_default(
    app: Flask, engine: Engine, clock: FixedClock, officer: User, admin: User
) -> None:
    small_incident(engine, clock, officer)
    as_user(
        engine,
        clock,
        None,
        lambda c: c.audit(
            "assessment.comment",
            object_type="incident",
            object_id=1,
            new={"body": "counsel: low risk"},
        ),
    )
    client = client_for(app, admin)
    text = client.get("/admin/audit.csv").get_data(as_text=True)
    head, _, table = text.partition("\r\n\r\n")
    assert "audit chain intact" in head and "no checkpoint" in head.lower()
    rows = list(csv.DictReader(io.StringIO(table)))
    comment = next(r for r in rows if r["action"] == "assessment.comment")
    assert comment["new_values"] == "[privileged — withheld]"
    assert "counsel: low risk" not in text
    full = client.get("/admin/audit.csv?include_privileged=1").get_data(as_text=True)
    assert "counsel: low risk" in full
    exports = audit_actions(engine, "audit.export")
    assert [json.loads(e.new_values or "{}")["include_privileged"] for e in exports] == [
        False,
        True,
    ]
    pdf = client.get("/admin/audit.pdf?action=assessment")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client_for(app, officer).get("/admin/audit.csv").status_code == 403


def test_the_organisation_page_shows_the_public_key_that_verifies_evidence_files(
    app: Flask, admin: User, settings: Settings
) -> None:
    page = client_for(app, admin).get("/admin/organisation").get_data(as_text=True)
    key = signing.public_key_text(signing.private_key(settings.evidence_secret()))
    assert f"{key} (fingerprint {signing.fingerprint(key)})" in page


def test_the_evidence_file_is_built_in_the_background_and_downloads_verified(
    app: Flask, engine: Engine, clock: FixedClock, officer: User, settings: Settings
) -> None:
    iid = small_incident(engine, clock, officer)
    client = client_for(app, officer)
    page = f"/incidents/{iid}/evidence-file"
    token = csrf_token(client, page)
    assert client.post(page, data={"csrf_token": token}).status_code == 302
    waiting = client.get(page).get_data(as_text=True)
    assert 'data-status="queued"' in waiting and 'id="evidence-refresh"' in waiting
    assert evidence_files.worker_for(engine, settings, clock.now).step()
    done = client.get(page).get_data(as_text=True)
    assert 'data-status="done"' in done
    link = re.search(r'id="evidence-download" href="([^"]+)"', done)
    assert link
    data = client.get(link.group(1)).data
    assert signing.verify_zip(data).ok
    downloads = audit_actions(engine, "evidence.download")
    assert [(d.actor_email, d.object_id) for d in downloads] == [(officer.email, str(iid))]
    shown = re.search(r'id="evidence-sha256">([0-9a-f]{64})<', done)
    assert shown and shown.group(1) in [
        json.loads(e.new_values or "{}").get("sha256") for e in audit_actions(engine, "evidence.")
    ]
    reader = make_user(settings, "reader@example.org", "read_only")
    assert "Privacy officers and administrators build" in client_for(app, reader).get(
        page
    ).get_data(as_text=True)


def test_the_accounting_of_disclosures_per_person_and_the_search_by_name(
    app: Flask, engine: Engine, clock: FixedClock, officer: User
) -> None:
    iid = make_incident(engine, clock, officer, states={"NY": 2})
    header = "name,address_line1,address_line2,city,state,zip,email,deceased"
    people = ("Ann Quill,1 Elm St,,Albany,NY,12207,,no", "Bo Quill,2 Elm St,,Albany,NY,12207,,no")
    listing = "\n".join((header, *people)) + "\n"

    def upload_and_confirm(c):  # type: ignore[no-untyped-def]
        incident = load(c, iid)
        made = individuals.upload(c, incident, listing.encode())
        assert made.pending is not None, made.check
        individuals.confirm(c, incident, made.pending.id or 0)

    as_user(engine, clock, officer, upload_and_confirm)
    client = client_for(app, officer)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/incidents/{iid}/disclosures.csv").get_data(as_text=True))
        )
    )
    assert [r["name"] for r in rows] == ["Ann Quill", "Bo Quill"]
    assert rows[0]["disclosure_date"] == "2026-09-10"  # the day the laptop was stolen
    # The incident's data elements are names and SSNs; the reason names the breach type.
    assert rows[0]["what"] == "name, Social Security number"
    assert rows[0]["why"].startswith("Not a permitted disclosure: theft")
    found = client.get("/disclosures?name=ann q").get_data(as_text=True)
    assert "Ann Quill" in found and "Bo Quill" not in found
    search = audit_actions(engine, "disclosures.search")[-1]
    assert (
        "Ann" not in (search.new_values or "")
        and json.loads(search.new_values or "{}")["results"] == 1
    )
    assert client.get("/disclosures?name=an").status_code == 422


def test_the_dashboard_draws_four_charts_each_with_its_table(
    app: Flask, engine: Engine, clock: FixedClock, officer: User
) -> None:
    small_incident(engine, clock, officer)
    make_incident(engine, clock, officer, **{"discovered_on": date(2026, 10, 5)})
    client = client_for(app, officer)
    page = client.get("/dashboard?year=2026").get_data(as_text=True)
    for chart in ("chart-per-month", "chart-days", "chart-on-time", "chart-weeks"):
        section = page.split(f'id="{chart}"', 1)[1].split("</section>", 1)[0]
        assert "<svg" in section and '<table class="chart-table">' in section, chart
    assert "<script" not in page.split("<main>", 1)[1]
    assert client.get("/dashboard?year=1999").status_code == 422


def _statements_of(app: Flask, client: FlaskClient, path: str) -> int:
    seen: list[str] = []
    engine = app.extensions["incident_tracker.engine"]

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    app.extensions["incident_tracker.kept"].resize(0)
    client.get(path)  # the session's last-seen time moves first (the clock moved since)
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)


def test_the_annual_log_and_the_dashboard_run_as_many_queries_for_1_as_for_4_incidents(
    app: Flask, engine: Engine, clock: FixedClock, officer: User
) -> None:
    small_incident(engine, clock, officer)
    client = client_for(app, officer)
    few = {p: _statements_of(app, client, p) for p in ("/annual-log/2026", "/dashboard")}
    for _ in range(3):
        small_incident(engine, clock, officer)
    many = {p: _statements_of(app, client, p) for p in ("/annual-log/2026", "/dashboard")}
    assert many == few
    assert (
        client.get("/annual-log/2026").get_data(as_text=True).count('class="card annual-entry"')
        == 4
    )
