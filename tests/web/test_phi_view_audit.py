"""Every page that shows an incident's content writes a view row (HIPAA 164.312(b) audit
controls: who looked at which record, and when), walked over the URL map so that a new
incident page without one fails here."""

from __future__ import annotations

import hashlib

from flask import Flask
from sqlmodel import Session, col, func, select

from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, Incident, LetterRun, Notice
from incident_tracker.services import individuals
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, START
from tests.web.test_access import concrete, rules_with, signed_in_client
from tests.web.test_access import sample_ids as sample_ids  # the fixture

VIEWER = "privacy_officer"  # sees every incident page (tests/web/test_access.py GET_EXPECTED)
# Incident-scoped GET routes that show no PHI, so write no view row.
NOT_PHI = {
    # Polled every few seconds while letters are made: the run's status and counts only.
    "/incidents/<int:incident_id>/letters/progress",
    # The evidence file's build status: the incident's number, the file's hash and progress.
    "/incidents/<int:incident_id>/evidence-file",
}
# The break-glass form shows the incident's number only, and sends whoever already sees the
# incident to its page (which writes the view row).
TO_THE_INCIDENT = {
    "/incidents/<int:incident_id>/break-glass",
    # Confirming a staff report's discovery date: an incident nobody reported goes to its page.
    "/incidents/<int:incident_id>/discovery",
}
# Downloads of a file the sample does not have (an evidence file is built in the background):
# their audit row is checked where one is built, tests/web/test_proof_pages.py.
NO_SAMPLE_FILE = {"/incidents/<int:incident_id>/evidence-file/<int:file_id>.zip"}
# What a page that shows an incident's content records, one of these per view.
VIEW_ACTIONS = {
    "incident.view",  # the incident page and its forms (detail names the page)
    "incident.export",
    "assessment.view",
    "notice.view",
    "notice.redline",
    "notice.download",
    "attachment.download",
    "letters.download",
    "disclosures.export",  # the accounting of disclosures: names of the individuals
}
CSV = (
    b"name,address_line1,address_line2,city,state,zip,email,deceased,next_of_kin_name,"
    b"next_of_kin_address_line1,next_of_kin_address_line2,next_of_kin_city,next_of_kin_state,"
    b"next_of_kin_zip\nAnn Quill,1 Elm St,,Albany,NY,12207,,no,,,,,,\n"
)


def _finished_letters(settings: Settings, incident_id: int) -> None:
    """A confirmed list and a finished letter run with its two stored files, so the letter
    downloads answer 200 (making them goes through the worker, tested elsewhere)."""
    engine = make_engine(settings.db_url)
    officer = Actor(None, "test", "privacy_officer", trusted=True)
    storage = settings.instance_path / "letters"
    storage.mkdir(exist_ok=True)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, officer, START, AUDIT_KEY)
            incident = session.get(Incident, incident_id)
            assert incident is not None
            pending = individuals.upload(call, incident, CSV).pending
            assert pending is not None and pending.id is not None
            individuals.confirm(call, incident, pending.id)
            stored = {}
            for fmt in ("pdf", "docx"):
                content = f"letters as {fmt}".encode()
                (storage / f"run.{fmt}").write_bytes(content)
                stored[fmt] = hashlib.sha256(content).hexdigest()
            session.add(
                LetterRun(
                    incident_id=incident_id,
                    list_id=pending.id,
                    status="done",
                    total=1,
                    done=1,
                    chunk_size=1,
                    source="test",
                    text="Dear {name}",
                    work_dir="run",
                    pdf_storage="run.pdf",
                    pdf_sha256=stored["pdf"],
                    docx_storage="run.docx",
                    docx_sha256=stored["docx"],
                    created_at=START,
                    finished_at=START,
                )
            )
    finally:
        engine.dispose()


def _newest_id(app: Flask) -> int:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        return int(session.exec(select(func.coalesce(func.max(AuditEvent.id), 0))).one())


def _rows_after(app: Flask, after: int) -> list[AuditEvent]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        query = select(AuditEvent).where(col(AuditEvent.id) > after)
        return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def _notice_ids(app: Flask, incident_id: int) -> set[str]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        found = session.exec(select(Notice.id).where(Notice.incident_id == int(incident_id))).all()
    return {str(n) for n in found}


def test_every_incident_page_writes_a_view_row(
    app: Flask, settings: Settings, sample_ids: dict[str, str]
) -> None:
    """Each incident-scoped GET route answers 200 and appends a view row by the viewer for the
    incident (or one of its notices), unless it is in NOT_PHI."""
    incident_id = sample_ids["incident_id"]
    _finished_letters(settings, int(incident_id))
    client, _ = signed_in_client(app, settings, VIEWER)
    routes = sorted(r for r in rules_with(app, ("GET",)) if r.startswith("/incidents/<int:"))
    assert set(routes) > NOT_PHI and len(routes) >= 19  # 19 when this was written
    objects = {("incident", incident_id)} | {("notice", n) for n in _notice_ids(app, incident_id)}
    unaudited = {}
    for rule in routes:
        before = _newest_id(app)
        with client.get(concrete(rule, sample_ids)) as response:
            if rule in NO_SAMPLE_FILE:
                assert response.status_code == 404, rule
                continue
            if rule in TO_THE_INCIDENT:
                assert response.status_code == 302, rule
                assert response.headers["Location"] == f"/incidents/{incident_id}"
                continue
            assert response.status_code == 200, rule
        rows = _rows_after(app, before)
        views = [
            r
            for r in rows
            if r.actor_email == f"{VIEWER}@example.org"
            and r.action in VIEW_ACTIONS
            and (r.object_type, r.object_id) in objects
        ]
        if rule in NOT_PHI:
            assert views == [], rule
        elif not views:
            unaudited[rule] = [r.action for r in rows]
    assert unaudited == {}


def test_the_pages_that_had_no_view_row_now_name_themselves(
    app: Flask, settings: Settings, sample_ids: dict[str, str]
) -> None:
    """The edit form, the notice details, the notice editor and the sent form: one row each,
    saying which page was seen."""
    client, _ = signed_in_client(app, settings, VIEWER)
    incident, obligation = sample_ids["incident_id"], sample_ids["obligation_id"]
    (notice,) = _notice_ids(app, incident)
    expected = {
        f"/incidents/{incident}/edit": ("incident.view", "incident", incident, "edit form"),
        f"/incidents/{incident}/notice-details": (
            "incident.view",
            "incident",
            incident,
            "notice details",
        ),
        f"/incidents/{incident}/obligations/{obligation}/notice/edit": (
            "notice.view",
            "notice",
            notice,
            "edit form",
        ),
        f"/incidents/{incident}/obligations/{obligation}/sent": (
            "incident.view",
            "incident",
            incident,
            f"sent form, obligation {obligation}",
        ),
    }
    for path, want in expected.items():
        before = _newest_id(app)
        assert client.get(path).status_code == 200, path
        rows = _rows_after(app, before)
        assert [(r.action, r.object_type, r.object_id, r.detail) for r in rows] == [want], path


def test_a_page_that_is_not_found_writes_no_view_row(
    app: Flask, settings: Settings, sample_ids: dict[str, str]
) -> None:
    """An unknown obligation is a 404 before anything is shown: nothing was seen."""
    client, _ = signed_in_client(app, settings, VIEWER)
    incident = sample_ids["incident_id"]
    before = _newest_id(app)
    assert client.get(f"/incidents/{incident}/obligations/999999/sent").status_code == 404
    assert [r.action for r in _rows_after(app, before)] == []
