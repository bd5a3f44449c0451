"""The hand-off pages: submitting to a reviewer, "My reviews", "Changes requested", the approve
button disabled with its reason, the attestation of a one-lawyer organisation, duties given to
people, and "Report a possible incident" with "My reports"."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import (
    AuditEvent,
    Incident,
    Notice,
    NoticeApproval,
    ObligationRecord,
    Organisation,
    StaffReport,
    User,
)
from tests.conftest import csrf_token, make_user, sign_in
from tests.web.test_notice_review import Site, site
from tests.web.test_query_counts import statements

__all__ = ["site", "statements"]  # fixtures


def post(client: FlaskClient, path: str, **data: str) -> object:
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def legal_id(site: Site) -> int:
    [legal] = [u for u in site.rows(User) if u.email == "legal@example.org"]
    return legal.id or 0


def test_submitted_to_a_reviewer_it_waits_in_their_queue_and_comes_back_to_the_officer(
    site: Site,
) -> None:
    site.post(site.officer, site.url)  # the draft
    assert "Nothing waits for you here." in text(site.legal, "/reviews")
    offered = f'<option value="{legal_id(site)}">legal</option>'
    assert offered in text(site.officer, site.url)  # the submit form offers the reviewer
    response = post(site.officer, site.url + "/submit", number="1", reviewer=str(legal_id(site)))
    assert response.status_code == 302  # type: ignore[attr-defined]
    queue = text(site.legal, "/reviews")
    assert f'href="/incidents/{site.iid}">INC-' in queue and f"/obligations/{site.f1}/" in queue
    assert "Reviewer: <strong>legal</strong>" in text(site.officer, site.url)
    assert "1 unread" in text(site.legal, "/notifications")
    post(site.legal, site.url + "/request-changes", number="1")
    waiting = text(site.officer, "/changes-requested")
    assert f"/obligations/{site.f1}/notice#review" in waiting
    assert "changes requested" in text(site.officer, "/notifications")
    assert "Nothing waits for you here." in text(site.legal, "/reviews")


def test_a_forged_reviewer_is_refused_beside_the_field_and_nothing_moves(site: Site) -> None:
    site.post(site.officer, site.url)
    response = post(site.officer, site.url + "/submit", number="1", reviewer="abc")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "choose a legal reviewer from the list" in response.get_data(as_text=True)  # type: ignore[attr-defined]
    response = post(
        site.officer,
        site.url + "/submit",
        number="1",
        reviewer=str(site.officer_user.id),  # not a legal reviewer
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert [n.state for n in site.rows(Notice)] == ["draft"]


def test_the_editor_sees_a_disabled_approve_button_that_says_why(site: Site) -> None:
    site.post(site.officer, site.url)
    edit = text(site.legal, site.url + "/edit")
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", edit, re.S)
    assert body is not None
    post(site.legal, site.url + "/versions", text=body.group(1) + "\nReviewed.", base="1")
    post(site.officer, site.url + "/submit", number="2")
    page = text(site.legal, site.url)
    assert '<button type="button" id="approve" disabled' in page
    assert "the organisation profile asks another legal reviewer to approve it" in page
    assert "NOTICE_APPROVER_MAY_BE_EDITOR is off" not in page


def test_a_one_lawyer_organisation_approves_its_own_edit_with_the_attestation(
    app: Flask, site: Site, settings: Settings
) -> None:
    make_user(settings, "admin@example.org", "admin")
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    response = post(admin, "/admin/organisation/review", approver_may_be_editor="1")
    assert response.status_code == 302  # type: ignore[attr-defined]
    with Session(app.extensions["incident_tracker.engine"]) as session:
        org = session.get(Organisation, 1)
        assert org is not None and org.approver_may_be_editor is True
    site.post(site.officer, site.url)
    edit = text(site.legal, site.url + "/edit")
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", edit, re.S)
    assert body is not None
    post(site.legal, site.url + "/versions", text=body.group(1) + "\nReviewed.", base="1")
    post(site.officer, site.url + "/submit", number="2")
    page = text(site.legal, site.url)
    assert 'id="attest"' in page and " disabled" not in page.split('id="approve"')[1][:40]
    refused = post(site.legal, site.url + "/approve", number="2", override="1", reason="ok")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "tick the attestation" in refused.get_data(as_text=True)  # type: ignore[attr-defined]
    done = post(
        site.legal, site.url + "/approve", number="2", override="1", reason="ok", attest="1"
    )
    assert done.status_code == 302  # type: ignore[attr-defined]
    [approval] = site.rows(NoticeApproval)
    assert approval.attestation
    assert any(e.action == "notice.approve_own_edit" for e in site.rows(AuditEvent))


def test_a_duty_is_given_to_a_colleague_from_the_incident_and_listed_in_their_duties(
    app: Flask, site: Site
) -> None:
    response = post(
        site.officer,
        f"/incidents/{site.iid}/obligations/{site.f1}/assignee",
        assignee=str(legal_id(site)),
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    duties = text(site.legal, "/duties")
    assert f'data-obligation-id="{site.f1}"' in duties and "Draft the notice" in duties
    assert "Nothing waits for you here." in text(site.officer, "/duties")
    refused = post(site.legal, f"/incidents/{site.iid}/obligations/{site.f1}/assignee", assignee="")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    [record] = [r for r in site.rows(ObligationRecord) if r.id == site.f1]
    assert record.assignee_id == legal_id(site)


def test_a_read_only_user_reports_sees_the_status_and_cannot_open_the_incident(
    app: Flask, site: Site, settings: Settings, clock: FixedClock
) -> None:
    make_user(settings, "coder@example.org", "read_only")
    coder = app.test_client()
    sign_in(coder, "coder@example.org")
    assert 'id="nav-report"' in text(coder, "/")
    bad = post(coder, "/report", what_happened="", first_knew_on="2026-13-01", whose_data="x")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    page = bad.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "say what happened" in page and "enter the day you first knew" in page
    assert 'value="x"' in page  # the input is kept
    sent = post(
        coder,
        "/report",
        what_happened="I pasted a chart into a chatbot.",
        first_knew_on="2026-11-20",
        whose_data="one patient of the cardiology clinic",
        what_kind="unauthorized_access_disclosure",
        number_affected="1",
    )
    assert sent.status_code == 302  # type: ignore[attr-defined]
    [report] = site.rows(StaffReport)
    incident = next(i for i in site.rows(Incident) if i.id == report.incident_id)
    mine = text(coder, "/reports")
    assert incident.number in mine and "Received by the privacy office" in mine
    assert "chatbot" not in mine and "cardiology" not in mine
    assert coder.get(f"/incidents/{incident.id}").status_code == 404
    assert coder.get(f"/incidents/{incident.id}/discovery").status_code == 403
    assert incident.number in text(site.officer, "/incidents")
    assert incident.number not in text(site.legal, "/incidents")
    assert f'href="/incidents/{incident.id}/discovery"' in text(site.officer, "/reports")
    assert 'id="to-confirm"' not in mine and 'id="to-confirm"' not in text(site.legal, "/reports")
    confirm = text(site.officer, f"/incidents/{incident.id}/discovery")
    assert 'id="first-knew">2026-11-20<' in confirm
    kept = post(site.officer, f"/incidents/{incident.id}/discovery", discovered_on="2026-11-20")
    assert kept.status_code == 422  # type: ignore[attr-defined]  # learned 2026-11-23: why?
    ok = post(
        site.officer,
        f"/incidents/{incident.id}/discovery",
        discovered_on="2026-11-20",
        privacy_office_justification="Reported by the coder three days after.",
    )
    assert ok.status_code == 302  # type: ignore[attr-defined]
    with Session(app.extensions["incident_tracker.engine"]) as session:
        saved = session.exec(select(StaffReport)).one()
        assert saved.discovery_confirmed_at is not None
    assert 'id="to-confirm"' not in text(site.officer, "/reports")


def test_the_incident_obligations_offer_the_assignee_to_those_who_edit_incidents(
    site: Site,
) -> None:
    section = f"/incidents/{site.iid}/obligations"
    assert f'id="assignee-{site.f1}"' in text(site.officer, section)
    post(
        site.officer,
        f"/incidents/{site.iid}/obligations/{site.f1}/assignee",
        assignee=str(legal_id(site)),
    )
    assert "Assigned to legal" in text(site.officer, section)
    legal_view = text(site.legal, section)
    assert "Assigned to legal" in legal_view and 'name="assignee"' not in legal_view


def test_the_queues_run_the_same_number_of_queries_for_one_row_and_for_three(
    app: Flask, site: Site, statements: list[str]
) -> None:
    """My reviews and My duties: one query per list, whatever the number of rows."""
    legal = legal_id(site)
    counts: dict[str, list[int]] = {"/reviews": [], "/duties": []}
    rules = ["F1", "F3", "F4"]
    ids = {r.rule_id + r.state: r.id or 0 for r in site.rows(ObligationRecord)}
    for n, rule in enumerate(rules):
        oid = ids[rule + ("NY" if rule == "F3" else "")]
        url = f"/incidents/{site.iid}/obligations/{oid}/notice"
        site.post(site.officer, url)
        post(site.officer, url + "/submit", number="1", reviewer=str(legal))
        post(site.officer, f"/incidents/{site.iid}/obligations/{oid}/assignee", assignee=str(legal))
        if n in (0, 2):
            for path in counts:
                statements.clear()
                page = text(site.legal, path)
                counts[path].append(len(statements))
                assert page.count("data-obligation-id=") == n + 1, path
    assert counts["/reviews"][0] == counts["/reviews"][1]
    assert counts["/duties"][0] == counts["/duties"][1]
