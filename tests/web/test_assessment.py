"""The risk assessment through the web: the generic step view, 422 with the typed input kept, the
draft across an idle sign-out, signing, the record page and PDF, comments, role checks and the
incident page's section."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.core import wizard
from incident_tracker.core.assessment.questions import Kind
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AssessmentDraft, AuditEvent, User
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, PASSWORD, csrf_token, make_user, sign_in
from tests.core.test_risk_walks import low_probability, notify_without_assessment

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def create_incident(settings: Settings, clock: FixedClock, owner: User, **over: Any) -> int:
    data: dict[str, Any] = {
        "title": "Misdirected fax",
        "discovered_on": date(2026, 11, 2),
        "states": {"NY": 600},
        "data_elements": ("name", "ssn", "diagnosis"),
        "acquired": True,
        "phi_encrypted": False,
        "risk_assessment": "not_low_probability",
        "owner_id": owner.id,
    }
    data.update(over)
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            return incidents.create(call, IncidentValues(**data)).id or 0
    finally:
        engine.dispose()


def form_for(step_key: str, answers: dict[str, Any]) -> dict[str, Any]:
    step = wizard.find(step_key)
    assert step is not None
    return {
        q.key: answers.get(q.key, [] if q.kind is Kind.MULTI else "")
        for q in step.questions
        if q.key in answers
    }


def post_step(client: FlaskClient, incident_id: int, key: str, data: dict[str, Any]) -> Any:
    token = csrf_token(client, f"/incidents/{incident_id}")
    return client.post(
        f"/incidents/{incident_id}/assessment/{key}", data={**data, "csrf_token": token}
    )


def walk(client: FlaskClient, incident_id: int, answers: dict[str, Any]) -> str:
    """Post each step the walk leads to; returns the key it ends on (sign)."""
    key = "approach"
    while key != "sign":
        response = post_step(client, incident_id, key, form_for(key, answers))
        assert response.status_code == 302, (key, response.get_data(as_text=True)[-2000:])
        key = response.headers["Location"].rsplit("/", 1)[-1]
    return key


@pytest.fixture
def officer_client(client: FlaskClient, officer: User) -> FlaskClient:
    sign_in(client, officer.email)
    return client


def test_an_officer_walks_every_step_signs_and_reads_the_record(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    """164.402: the generic view renders each step with its citation; signing redirects to the
    record, which shows every answer, the reasons with citations, signer, date and version."""
    incident_id = create_incident(settings, clock, officer)
    first = officer_client.get(f"/incidents/{incident_id}/assessment/approach")
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "45 CFR 164.402(2)" in page
    assert f'data-resume-path="/incidents/{incident_id}/assessment/approach"' in page
    answers = low_probability(
        ny_inadvertent_authorized="yes",
        ny_not_likely_misuse="yes",
        ny_determination_text="Misdirected to a covered entity that shredded it.",
    )
    assert walk(officer_client, incident_id, answers) == "sign"
    review = officer_client.get(f"/incidents/{incident_id}/assessment/sign").get_data(as_text=True)
    assert "NY2" in review and "Newly owed" in review and "2026-12-03" in review
    token = csrf_token(officer_client, f"/incidents/{incident_id}")
    signed = officer_client.post(
        f"/incidents/{incident_id}/assessment/sign",
        data={"signer_name": "Pat Officer", "attest": "yes", "csrf_token": token},
    )
    assert signed.status_code == 302
    assert signed.headers["Location"] == f"/incidents/{incident_id}/assessments/1"
    record = officer_client.get(signed.headers["Location"]).get_data(as_text=True)
    for expected in (
        "Breach risk assessment, version 1",
        "Pat Officer (officer@example.org)",
        "2026-11-23",
        "Low probability of compromise",
        "[45 CFR 164.402(2)(iii)]",
        "Signed attestation of shredding dated the next day.",
        "Was the PHI actually acquired or viewed?",
        "No: only the opportunity, and the evidence shows it",
        "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
        "current",
    ):
        assert expected in record, expected
    detail = officer_client.get(f"/incidents/{incident_id}/assessment").get_data(as_text=True)
    assert "Signed <strong>version 1</strong>" in detail and "Reopen (new version)" in detail


def test_a_validation_error_comes_back_422_with_everything_typed_kept(
    settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    """The step re-renders with the message next to the question and the typed
    evidence still there; nothing is saved from the failed step."""
    incident_id = create_incident(settings, clock, officer)
    walk_to_factors = low_probability()
    for key in ("approach", "safe_harbor", "exception_i", "exception_ii", "exception_iii"):
        assert (
            post_step(officer_client, incident_id, key, form_for(key, walk_to_factors)).status_code
            == 302
        )
    typed = {"fi_evidence": "Forty rows: <names> & diagnoses", "fi_rating": "low"}
    response = post_step(officer_client, incident_id, "factor_i", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Forty rows: &lt;names&gt; &amp; diagnoses</textarea>" in page
    assert re.search(r'value="low" checked', page)
    assert "choose an answer" in page and "Everything you typed is kept" in page
    with Session(make_engine(settings.db_url)) as session:
        draft = session.exec(select(AssessmentDraft)).one()
        assert "fi_evidence" not in draft.answers


def test_concluding_secured_against_the_answers_is_a_422_beside_the_conclusion(
    settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    """45 CFR 164.402 'unsecured PHI' (docs/law/federal.md): unencrypted PHI cannot be concluded
    "secured", even with a reason; the message sits in the conclusion question, the reason typed
    is kept, and nothing is saved from the step."""
    incident_id = create_incident(settings, clock, officer)
    answers = low_probability()
    key = "approach"
    while key != "conclusion":
        response = post_step(officer_client, incident_id, key, form_for(key, answers))
        assert response.status_code == 302, key
        key = response.headers["Location"].rsplit("/", 1)[-1]
    typed = {"chosen_outcome": "secured", "override_reason": "We think the drive was <safe>."}
    response = post_step(officer_client, incident_id, "conclusion", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    fieldset = page.split('id="q-chosen_outcome"', 1)[1].split("</fieldset>", 1)[0]
    assert "the answers do not show secured PHI" in fieldset
    assert re.search(r'value="secured" checked', fieldset)
    assert "We think the drive was &lt;safe&gt;.</textarea>" in page
    with Session(make_engine(settings.db_url)) as session:
        assert "chosen_outcome" not in session.exec(select(AssessmentDraft)).one().answers


def test_an_idle_sign_out_keeps_the_draft_and_sign_in_returns_to_the_step(
    client: FlaskClient, settings: Settings, clock: FixedClock, officer: User
) -> None:
    """HIPAA 164.312(a)(2)(iii) automatic logoff: the answers are in the
    database; after signing in again the officer is back on the step they were on, answers
    shown."""
    incident_id = create_incident(settings, clock, officer)
    sign_in(client, officer.email)
    assert post_step(client, incident_id, "approach", {"approach": "assess"}).status_code == 302
    step_path = f"/incidents/{incident_id}/assessment/safe_harbor"
    assert client.get(step_path).status_code == 200
    clock.advance(minutes=15, seconds=1)
    bounced = client.get(step_path)
    assert bounced.status_code == 302 and "/login?next=" in bounced.headers["Location"]
    login = client.get(bounced.headers["Location"]).get_data(as_text=True)
    assert f'name="next" value="{step_path}"' in login
    token = TOKEN.search(login)
    assert token is not None
    back = client.post(
        "/login",
        data={
            "email": officer.email,
            "password": PASSWORD,
            "next": step_path,
            "csrf_token": token.group(1),
        },
    )
    assert back.status_code == 302 and back.headers["Location"] == step_path
    approach = client.get(f"/incidents/{incident_id}/assessment/approach").get_data(as_text=True)
    assert 'value="assess" checked' in approach


def test_a_step_that_is_not_open_yet_redirects_to_where_the_walk_stands(
    settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    incident_id = create_incident(settings, clock, officer)
    response = officer_client.get(f"/incidents/{incident_id}/assessment/factor_iii")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/incidents/{incident_id}/assessment/approach"
    refused = post_step(officer_client, incident_id, "sign", {"signer_name": "x", "attest": "yes"})
    assert refused.status_code == 409  # nothing to sign: no draft
    assert "no draft to sign" in refused.get_data(as_text=True)
    assert officer_client.get(f"/incidents/{incident_id}/assessment/nowhere").status_code == 404


def test_the_sign_step_lists_what_is_unfinished_and_refuses_without_attestation(
    settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    incident_id = create_incident(settings, clock, officer)
    walk(officer_client, incident_id, notify_without_assessment())
    response = post_step(officer_client, incident_id, "sign", {"signer_name": "Pat Officer"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "tick the attestation to sign" in page and 'value="Pat Officer"' in page


def test_reviewers_read_and_comment_and_read_only_users_only_read(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    """Only privacy officers draft and sign; legal reviewers read and comment;
    every view of the record is audited like an incident view (164.312(b))."""
    incident_id = create_incident(settings, clock, officer)
    walk(officer_client, incident_id, notify_without_assessment())
    token = csrf_token(officer_client, f"/incidents/{incident_id}")
    officer_client.post(
        f"/incidents/{incident_id}/assessment/sign",
        data={"signer_name": "Pat Officer", "attest": "yes", "csrf_token": token},
    )
    reviewer = app.test_client()
    make_user(settings, "reviewer@example.org", "legal_reviewer")
    sign_in(reviewer, "reviewer@example.org")
    assert reviewer.get(f"/incidents/{incident_id}/assessment/approach").status_code == 403
    assert reviewer.get(f"/incidents/{incident_id}/assessments/1").status_code == 200
    token = csrf_token(reviewer, f"/incidents/{incident_id}/assessments/1")
    empty = reviewer.post(
        f"/incidents/{incident_id}/assessments/comments",
        data={"version": "1", "body": "", "csrf_token": token},
    )
    assert empty.status_code == 422 and "write a comment" in empty.get_data(as_text=True)
    said = reviewer.post(
        f"/incidents/{incident_id}/assessments/comments",
        data={"version": "1", "body": "Agreed: notify.", "csrf_token": token},
    )
    assert said.status_code == 302
    page = reviewer.get(f"/incidents/{incident_id}/assessments/1").get_data(as_text=True)
    assert "Agreed: notify." in page and "reviewer@example.org" in page
    detail = reviewer.get(f"/incidents/{incident_id}/assessment").get_data(as_text=True)
    assert "Reopen (new version)" not in detail and "Version 1</a>" in detail
    reader = app.test_client()
    make_user(settings, "reader@example.org", "read_only")
    sign_in(reader, "reader@example.org")
    assert reader.get(f"/incidents/{incident_id}/assessments/1").status_code == 200
    token = csrf_token(reader, f"/incidents/{incident_id}/assessments/1")
    assert (
        reader.post(
            f"/incidents/{incident_id}/assessments/comments",
            data={"version": "1", "body": "hi", "csrf_token": token},
        ).status_code
        == 403
    )
    with Session(app.extensions["incident_tracker.engine"]) as session:
        views = session.exec(select(AuditEvent).where(AuditEvent.action == "assessment.view")).all()
        assert {(v.actor_email, v.detail) for v in views} >= {
            ("reviewer@example.org", "v1 page"),
            ("reader@example.org", "v1 page"),
        }


def test_a_restricted_incidents_assessment_does_not_exist_for_others(
    app: Flask, settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    """Restricted incidents are 404 to everyone but owner, assignees and admins."""
    incident_id = create_incident(settings, clock, officer, restricted=True)
    walk(officer_client, incident_id, notify_without_assessment())
    other = app.test_client()
    make_user(settings, "colleague@example.org", "privacy_officer")
    sign_in(other, "colleague@example.org")
    for path in ("assessment/approach", "assessments/draft"):
        assert other.get(f"/incidents/{incident_id}/{path}").status_code == 404


def test_the_record_pdf_holds_the_signed_assessment(
    settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient, tmp_path: Any
) -> None:
    """The same record as PDF (WeasyPrint, no network), audited as a view."""
    incident_id = create_incident(settings, clock, officer, states={"PA": 20})
    walk(officer_client, incident_id, low_probability())
    token = csrf_token(officer_client, f"/incidents/{incident_id}")
    officer_client.post(
        f"/incidents/{incident_id}/assessment/sign",
        data={"signer_name": "Pat Officer", "attest": "yes", "csrf_token": token},
    )
    response = officer_client.get(f"/incidents/{incident_id}/assessments/1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Breach risk assessment, version 1",
        "Pat Officer",
        "Low probability of compromise",
        "164.402(2)(iv)",
        "Page 1 of",
    ):
        assert expected in text, expected
    with Session(make_engine(settings.db_url)) as session:
        viewed = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "assessment.view", AuditEvent.detail == "v1 pdf"
            )
        ).all()
        assert [v.actor_email for v in viewed] == ["officer@example.org"]


def test_the_incident_form_says_the_signed_assessment_sets_its_risk_fields(
    settings: Settings, clock: FixedClock, officer: User, officer_client: FlaskClient
) -> None:
    """The interim fields stay editable; the form points to the signed assessment."""
    incident_id = create_incident(settings, clock, officer)
    page = officer_client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    assert "Signing the guided risk assessment sets these fields" in page
    assert 'name="risk_assessment"' in page
