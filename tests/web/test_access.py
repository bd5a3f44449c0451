"""Who may reach what, and what every page sends (HIPAA 164.312(a)(1) access control, (b) audit
controls; ASVS 5.0 V8 authorization, 3.4 browser headers, 3.5 CSRF, 16.3 security events, 16.5
error handling). The expected tables are written by hand, so a change to core/permissions.py or a
new route without an entry here fails."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select
from werkzeug.test import TestResponse

from incident_tracker import create_app
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import (
    AuditEvent,
    Notification,
    ObligationRecord,
    SchedulerState,
    User,
)
from incident_tracker.services import (
    assessments,
    evidence,
    incidents,
    notice_review,
    notice_versions,
    organisation,
)
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in

ANONYMOUS = "anonymous"
ROLES = ("privacy_officer", "legal_reviewer", "admin", "read_only")
COLUMNS = (ANONYMOUS, *ROLES)
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
# A redirect is written "to:<name>"; anything else is the exact status code.
REDIRECTS = {
    "to:login": "/login",
    "to:home": "/",
    "to:users": "/admin/users",
    "to:org": "/admin/organisation",
    "to:incident": "/incidents/1",
    "to:duty": "/incidents/1/obligations",  # the path; the fragment names the row
    "to:notifications": "/notifications",
    "to:calendar": "/account/calendar",
    "to:mfa": "/account/mfa",
    "to:assessment": "/incidents/1/assessment/approach",
    "to:notice-details": "/incidents/1/notice-details",
    "to:individuals": "/incidents/1/individuals",
    "to:evidence-file": "/incidents/1/evidence-file",
}


def row(*cells: str | int) -> dict[str, str]:
    """One route's expectations in the column order anonymous, privacy_officer, legal_reviewer,
    admin, read_only."""
    return dict(zip(COLUMNS, (str(c) for c in cells), strict=True))


# GET: anonymous, privacy_officer, legal_reviewer, admin, read_only
GET_EXPECTED = {
    "/static/<path:filename>": row(200, 200, 200, 200, 200),
    "/healthz": row(200, 200, 200, 200, 200),
    "/login": row(200, "to:home", "to:home", "to:home", "to:home"),
    "/": row("to:login", 200, 200, 200, 200),
    "/account/password": row("to:login", 200, 200, 200, 200),
    # The second factor: the code step needs a password step first; one-time links need no
    # sign-in (the token is the credential) and an unknown one is 410 for everyone.
    "/login/code": row("to:login", "to:login", "to:login", "to:login", "to:login"),
    # Single sign-on is not configured here (OIDC_*): its two steps do not exist.
    "/login/sso": row(404, 404, 404, 404, 404),
    "/login/sso/callback": row(404, 404, 404, 404, 404),
    "/account/mfa": row("to:login", 200, 200, 200, 200),
    "/password/forgot": row(200, 200, 200, 200, 200),
    "/password/reset/<token>": row(410, 410, 410, 410, 410),
    "/invitation/<token>": row(410, 410, 410, 410, 410),
    "/admin/users": row("to:login", 403, 403, 200, 403),
    "/admin/organisation": row("to:login", 403, 403, 200, 403),
    "/admin/audit": row("to:login", 403, 403, 200, 403),
    "/incidents": row("to:login", 200, 200, 200, 200),
    "/incidents/new": row("to:login", 200, 403, 403, 403),
    "/incidents/<int:incident_id>": row("to:login", 200, 200, 200, 200),
    # The summary's sections, each on its own page; the board's 90-day view.
    **{
        f"/incidents/<int:incident_id>/{section}": row("to:login", 200, 200, 200, 200)
        for section in ("obligations", "notices", "assessment", "facts", "evidence", "people")
    },
    "/incidents/<int:incident_id>/history": row("to:login", 200, 200, 200, 200),
    "/incidents/next-90-days": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/edit": row("to:login", 200, 403, 403, 403),
    "/incidents/<int:incident_id>/export.json": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/attachments/<int:attachment_id>": row(
        "to:login", 200, 200, 200, 200
    ),
    "/notifications": row("to:login", 200, 200, 200, 200),
    "/admin/outbox": row("to:login", 403, 403, 200, 403),
    # Sessions: everyone's own; the access review is the admins'. Break-glass is for admins and
    # privacy officers, and on an incident they already see it goes straight to it.
    "/account/sessions": row("to:login", 200, 200, 200, 200),
    "/admin/access-review": row("to:login", 403, 403, 200, 403),
    "/admin/access-review.csv": row("to:login", 403, 403, 200, 403),
    # State rule sets: listed for privacy officers, legal reviewers and admins.
    "/admin/rule-sets": row("to:login", 200, 200, 200, 403),
    "/incidents/<int:incident_id>/break-glass": row(
        "to:login", "to:incident", 403, "to:incident", 403
    ),
    "/account/calendar": row("to:login", 200, 200, 200, 200),
    # The feed needs no sign-in: its secret is the credential, and this one is unknown.
    "/calendar/<token>.ics": row(404, 404, 404, 404, 404),
    # Risk assessment: privacy officers walk it; everyone who sees the incident reads
    # the signed version 1 (page and PDF) and the draft page (none in progress: still 200).
    "/incidents/<int:incident_id>/assessment/<step>": row("to:login", 200, 403, 403, 403),
    "/incidents/<int:incident_id>/assessments/draft": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/assessments/<int:version>": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/assessments/<int:version>.pdf": row(
        "to:login", 200, 200, 200, 200
    ),
    # Notice review: the sample obligation's notice, version 1 approved.
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice": row(
        "to:login", 200, 200, 200, 200
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/edit": row(
        "to:login", 200, 200, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/redline": row(
        "to:login", 200, 200, 200, 200
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/versions/<int:number>/approved.pdf": row(  # noqa: E501
        "to:login", 200, 200, 200, 200
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/versions/<int:number>/approved.docx": row(  # noqa: E501
        "to:login", 200, 200, 200, 200
    ),
    "/incidents/<int:incident_id>/notice-details": row("to:login", 200, 200, 403, 403),
    # Sending and the affected-individual list: history and counts are seen
    # by everyone who sees the incident; the sample has no merged letters yet, so 404 for all.
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/sent": row(
        "to:login", 200, 200, 200, 200
    ),
    "/incidents/<int:incident_id>/individuals": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/letters/progress": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/letters.pdf": row("to:login", 404, 404, 404, 404),
    "/incidents/<int:incident_id>/letters.docx": row("to:login", 404, 404, 404, 404),
    # Hand-offs: legal's review queue, the officer's sent-back notices, everyone's duties and
    # staff reports; the sample incident was not reported by staff, so its discovery page is 404.
    "/reviews": row("to:login", 403, 200, 403, 403),
    "/changes-requested": row("to:login", 200, 200, 403, 403),
    "/duties": row("to:login", 200, 200, 200, 200),
    "/report": row("to:login", 200, 200, 200, 200),
    "/reports": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/discovery": row("to:login", "to:incident", 403, 403, 403),
    # Proof for auditors: the annual log, dashboard, register CSV and evidence-file page are for
    # every role that sees incidents; the audit exports are the admins'; the accounting of
    # disclosures (names of individuals) is for those who manage the individuals' list; an
    # evidence file that does not exist is 404.
    "/annual-log": row("to:login", 200, 200, 200, 200),
    "/annual-log/<int:year>": row("to:login", 200, 200, 200, 200),
    "/annual-log/<int:year>.csv": row("to:login", 200, 200, 200, 200),
    "/dashboard": row("to:login", 200, 200, 200, 200),
    "/incidents.csv": row("to:login", 200, 200, 200, 200),
    "/admin/audit.csv": row("to:login", 403, 403, 200, 403),
    "/admin/audit.pdf": row("to:login", 403, 403, 200, 403),
    "/disclosures": row("to:login", 200, 403, 403, 403),
    "/incidents/<int:incident_id>/disclosures.csv": row("to:login", 200, 403, 403, 403),
    "/incidents/<int:incident_id>/evidence-file": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>/evidence-file/<int:file_id>.zip": row(
        "to:login", 404, 403, 404, 403
    ),
    # The JSON API answers bearer tokens only (401 JSON, never a sign-in redirect); a signed-in
    # browser reaches its OpenAPI document. Tokens are everyone's own; webhooks the admins'.
    "/api/v1/openapi.json": row(401, 200, 200, 200, 200),
    "/api/v1/incidents": row(401, 401, 401, 401, 401),
    "/api/v1/incidents/<int:incident_id>": row(401, 401, 401, 401, 401),
    "/api/v1/incidents/<int:incident_id>/notices": row(401, 401, 401, 401, 401),
    "/api/v1/incidents/<int:incident_id>/sent": row(401, 401, 401, 401, 401),
    "/api/v1/obligations": row(401, 401, 401, 401, 401),
    "/account/api-tokens": row("to:login", 200, 200, 200, 200),
    "/admin/webhooks": row("to:login", 403, 403, 200, 403),
}
# POST with only a valid CSRF token, in this order (sign-out last): 403 is a refusal, anything
# else shows the view ran (empty forms fail validation with 401/422).
POST_EXPECTED = {
    "/login": row(401, 401, 401, 401, 401),
    "/session/ping": row("to:login", 200, 200, 200, 200),
    "/account/password": row("to:login", 422, 422, 422, 422),
    "/login/code": row("to:login", "to:login", "to:login", "to:login", "to:login"),
    # No enrolment begun (its page not visited): back to the page that begins one.
    "/account/mfa": row("to:login", "to:mfa", "to:mfa", "to:mfa", "to:mfa"),
    "/password/forgot": row(200, 200, 200, 200, 200),  # the same answer for any address
    "/password/reset/<token>": row(410, 410, 410, 410, 410),
    "/password/reset/<token>/code": row(410, 410, 410, 410, 410),
    "/invitation/<token>": row(410, 410, 410, 410, 410),
    "/admin/users/<int:user_id>/reset-link": row("to:login", 403, 403, "to:users", 403),
    "/admin/users/<int:user_id>/mfa-reset": row("to:login", 403, 403, 409, 403),  # none set
    "/admin/users/invite": row("to:login", 403, 403, 422, 403),
    "/admin/users/<int:user_id>/end-sessions": row("to:login", 403, 403, "to:users", 403),
    "/admin/users/<int:user_id>/emergency-local": row("to:login", 403, 403, "to:users", 403),
    "/account/sessions/<int:session_id>/end": row("to:login", 404, 404, 404, 404),  # none such
    "/incidents/<int:incident_id>/break-glass": row("to:login", 422, 403, 422, 403),  # no reason
    "/admin/users/<int:user_id>/role": row("to:login", 403, 403, 422, 403),
    "/admin/users/<int:user_id>/disable": row("to:login", 403, 403, "to:users", 403),
    "/admin/users/<int:user_id>/enable": row("to:login", 403, 403, "to:users", 403),
    "/admin/organisation": row("to:login", 403, 403, 422, 403),
    "/admin/organisation/facilities": row("to:login", 403, 403, 422, 403),
    # Counsel's review is recorded by legal reviewers only (no fields sent: 422).
    "/admin/rule-sets/reviews": row("to:login", 403, 422, 403, 403),
    "/admin/organisation/facilities/<int:facility_id>/delete": row(
        "to:login", 403, 403, "to:org", 403
    ),
    "/admin/organisation/clients": row("to:login", 403, 403, 422, 403),
    "/admin/organisation/clients/<int:client_id>/delete": row("to:login", 403, 403, "to:org", 403),
    "/incidents": row("to:login", 422, 403, 403, 403),
    "/incidents/search": row("to:login", 200, 200, 200, 200),
    "/incidents/<int:incident_id>": row("to:login", 409, 403, 403, 403),  # no lock_version
    "/incidents/<int:incident_id>/status": row("to:login", 422, 403, 403, 403),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/done": row(
        "to:login", 422, 403, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/undo": row(
        "to:login", "to:duty", 403, 403, 403
    ),
    "/incidents/<int:incident_id>/holds": row("to:login", 422, 403, 403, 403),
    # Voided with a reason, never deleted (45 CFR 164.530(j)): no reason is a 422.
    "/incidents/<int:incident_id>/holds/<int:hold_id>/void": row("to:login", 422, 403, 403, 403),
    "/incidents/<int:incident_id>/attachments": row("to:login", 422, 403, 403, 403),
    # Someone else's notification is not found for anyone (it is not theirs to see).
    "/notifications/<int:notification_id>/read": row("to:login", 404, 404, 404, 404),
    "/notifications/read-all": row(
        "to:login", "to:notifications", "to:notifications", "to:notifications", "to:notifications"
    ),
    "/account/calendar": row("to:login", 200, 200, 200, 200),  # shows the new feed URL once
    "/account/calendar/revoke": row(
        "to:login", "to:calendar", "to:calendar", "to:calendar", "to:calendar"
    ),
    "/account/calendar/digest": row(
        "to:login", "to:calendar", "to:calendar", "to:calendar", "to:calendar"
    ),
    # Notice review: the notice exists and version 1 is approved, so an empty form is a
    # conflict (stale or missing version), 422 (no comment) or 404 (no thread); details save.
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice": row(
        "to:login", 409, 409, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/versions": row(
        "to:login", 409, 409, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/redraft": row(
        "to:login", 409, 409, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/submit": row(
        "to:login", 409, 409, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/request-changes": row(
        "to:login", 403, 409, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/approve": row(
        "to:login", 403, 409, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/comments": row(
        "to:login", 422, 422, 403, 403
    ),
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/comments/resolve": row(
        "to:login", 404, 404, 403, 403
    ),
    # Nothing differs from the facts yet, so an empty decision is refused beside its field.
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/notice/content-decision": row(
        "to:login", 422, 403, 403, 403
    ),
    "/incidents/<int:incident_id>/notice-details": row(
        "to:login", "to:notice-details", "to:notice-details", 403, 403
    ),
    # Sending and the list: only the privacy officer records or uploads; an
    # empty form is 422, confirming no pending list a 409, discarding nothing a redirect.
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/sent": row(
        "to:login", 422, 403, 403, 403
    ),
    "/incidents/<int:incident_id>/returned-mail": row("to:login", 422, 403, 403, 403),
    "/incidents/<int:incident_id>/hhs-addenda": row("to:login", 422, 403, 403, 403),
    "/incidents/<int:incident_id>/individuals": row("to:login", 422, 403, 403, 403),
    "/incidents/<int:incident_id>/individuals/confirm": row("to:login", 409, 403, 403, 403),
    "/incidents/<int:incident_id>/individuals/discard": row(
        "to:login", "to:individuals", 403, 403, 403
    ),
    "/incidents/<int:incident_id>/letters": row("to:login", 422, 403, 403, 403),
    # Risk assessment: an empty step is 422; reopening version 1 starts a draft and
    # goes to its first step; discarding it goes back to the incident; reviewers comment.
    "/incidents/<int:incident_id>/assessment/<step>": row("to:login", 422, 403, 403, 403),
    "/incidents/<int:incident_id>/assessments/reopen": row(
        "to:login", "to:assessment", 403, 403, 403
    ),
    "/incidents/<int:incident_id>/assessments/discard": row(
        "to:login", "to:incident", 403, 403, 403
    ),
    "/incidents/<int:incident_id>/assessments/comments": row("to:login", 422, 422, 403, 403),
    # Hand-offs: an empty assignee gives the duty to nobody; an empty report is 422 for every
    # role; only admins save the review settings (an empty form: no default, editor not allowed).
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/assignee": row(
        "to:login", "to:duty", 403, 403, 403
    ),
    "/report": row("to:login", 422, 422, 422, 422),
    "/incidents/<int:incident_id>/discovery": row("to:login", 404, 403, 403, 403),
    # An annual-log submission is for whoever records notices sent, and only for an F5 duty (the
    # sample's first duty is not: 404); only privacy officers and admins build evidence files
    # (an empty request starts one).
    "/annual-log/<int:year>/incidents/<int:incident_id>/obligations/<int:obligation_id>": row(
        "to:login", 404, 403, 403, 403
    ),
    "/incidents/<int:incident_id>/evidence-file": row(
        "to:login", "to:evidence-file", 403, "to:evidence-file", 403
    ),
    "/admin/organisation/review": row("to:login", 403, 403, "to:org", 403),
    # The API with a cookie and a valid CSRF token: still no token (401); PATCH only (405).
    "/api/v1/incidents": row(401, 401, 401, 401, 401),
    "/api/v1/incidents/<int:incident_id>": row(405, 405, 405, 405, 405),
    "/api/v1/incidents/<int:incident_id>/obligations/<int:obligation_id>/done": row(
        401, 401, 401, 401, 401
    ),
    "/api/v1/deadlines": row(401, 401, 401, 401, 401),
    "/api/v1/incidents/search": row(401, 401, 401, 401, 401),
    "/account/api-tokens": row("to:login", 422, 422, 422, 422),  # no scope chosen
    "/account/api-tokens/<int:token_id>/revoke": row("to:login", 404, 404, 404, 404),  # none
    "/admin/webhooks": row("to:login", 403, 403, 422, 403),
    "/admin/webhooks/<int:endpoint_id>/deactivate": row("to:login", 403, 403, 404, 403),
    "/logout": row("to:login", "to:login", "to:login", "to:login", "to:login"),
}
KNOWN_STATE_CHANGING = {
    "/login",
    "/logout",
    "/session/ping",
    "/account/password",
    "/admin/users/invite",
    "/admin/users/<int:user_id>/disable",
    "/admin/users/<int:user_id>/enable",
    "/admin/users/<int:user_id>/role",
    "/admin/organisation",
    "/admin/organisation/facilities",
    "/admin/organisation/clients",
    "/incidents",
    "/incidents/<int:incident_id>",
    "/incidents/<int:incident_id>/status",
    "/incidents/<int:incident_id>/holds",
    "/incidents/<int:incident_id>/attachments",
    "/incidents/<int:incident_id>/assessment/<step>",
    "/incidents/<int:incident_id>/assessments/reopen",
    "/incidents/<int:incident_id>/assessments/discard",
    "/incidents/<int:incident_id>/assessments/comments",
    "/incidents/<int:incident_id>/obligations/<int:obligation_id>/sent",
    "/incidents/<int:incident_id>/returned-mail",
    "/incidents/<int:incident_id>/hhs-addenda",
    "/incidents/<int:incident_id>/individuals",
    "/incidents/<int:incident_id>/letters",
    "/notifications/<int:notification_id>/read",
    "/notifications/read-all",
    "/account/calendar",
    "/account/calendar/revoke",
    "/account/calendar/digest",
    "/account/sessions/<int:session_id>/end",
    "/admin/users/<int:user_id>/end-sessions",
    "/incidents/<int:incident_id>/break-glass",
}
EXTERNAL_REFERENCE = re.compile(
    r"""\b(?:src|href|action|formaction)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I
)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.fixture
def sample_ids(settings: Settings, clock: FixedClock) -> dict[str, str]:
    """Real rows for every `<...>` argument in the url map: a user, a facility, a client, an
    incident with its rows, a notification of the target user and a well-formed unknown feed
    secret."""
    target = make_user(settings, "target@example.org", "read_only")
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            facility = organisation.add_facility(call, "North Clinic", "clinic")
            client = organisation.add_client(call, "Acme Health Plan", "10", False, "BAA-1")
            incident = incidents.create(
                call,
                IncidentValues(
                    title="Sample",
                    discovered_on=date(2026, 11, 2),
                    states={"NY": 3},
                    data_elements=("name", "diagnosis"),
                    owner_id=target.id,
                ),
            )
            hold = evidence.add_hold(
                call,
                incident,
                evidence.HoldInput(
                    "written", date(2026, 11, 3), date(2026, 11, 20), "Det. A", "NYPD", ""
                ),
            )
            attachment = evidence.attach(
                call,
                incident,
                settings.instance_path / "attachments",
                "statement.pdf",
                b"%PDF-1.4 sample",
                "letter",
            )
            first = session.exec(
                select(ObligationRecord).order_by(col(ObligationRecord.id))
            ).first()
            assert first is not None
            notice = notice_versions.create(call, incident, first.id or 0)
            notice_review.submit(call, incident, notice, 1)
            notice_review.approve(
                call,
                incident,
                notice,
                notice_review.ApprovalInput(1, True, "sample"),
                settings.instance_path / "notices",
                False,
            )
            # A signed risk assessment (version 1): notify without an assessment.
            signer = Actor(target.id, target.email, "privacy_officer", trusted=True)
            signing = Call(session, signer, clock.now(), AUDIT_KEY)
            assessments.save_step(signing, incident, "approach", {"approach": "notify"})
            assessments.save_step(signing, incident, "conclusion", {"chosen_outcome": "notify"})
            assessments.sign(signing, incident, "Sample Signer", True)
            note = Notification(
                user_id=target.id or 0,
                incident_id=incident.id,
                subject="[sample] Due soon",
                created_at=clock.now(),
            )
            session.add(note)
            session.flush()
    finally:
        engine.dispose()
    return {
        "user_id": str(target.id),
        "facility_id": str(facility.id),
        "client_id": str(client.id),
        "filename": "app.css",
        "incident_id": str(incident.id),
        "obligation_id": str(first.id),
        "hold_id": str(hold.id),
        "attachment_id": str(attachment.id),
        "notification_id": str(note.id),
        "step": "approach",
        "version": "1",
        "number": "1",
        "token": "A" * 43,
        "session_id": "99999",
        "token_id": "99999",
        "endpoint_id": "99999",
        "file_id": "99999",
        "year": "2026",
    }


def concrete(rule: str, ids: dict[str, str]) -> str:
    """The rule with each `<converter:name>` replaced by a real value (KeyError on a new name)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids[m.group(1)], rule)


def rules_with(app: Flask, methods: tuple[str, ...]) -> dict[str, str]:
    """rule -> the first of `methods` it accepts, for every rule of the app."""
    found = {}
    for rule in app.url_map.iter_rules():
        accepted = [m for m in methods if m in (rule.methods or set())]
        if accepted:
            found[rule.rule] = accepted[0]
    return found


def signed_in_client(app: Flask, settings: Settings, who: str) -> tuple[FlaskClient, str]:
    """A client for `who` (a role or anonymous) and a CSRF token valid for its session."""
    client = app.test_client()
    if who == ANONYMOUS:
        return client, csrf_token(client, "/login")
    email = f"{who}@example.org"
    make_user(settings, email, who)
    sign_in(client, email)
    return client, csrf_token(client, "/")


def meets(response: TestResponse, expected: str) -> bool:
    if expected in REDIRECTS:
        location = urlsplit(response.headers.get("Location", "")).path
        return response.status_code == 302 and location == REDIRECTS[expected]
    return response.status_code == int(expected)


def refusals(app: Flask, email: str) -> list[AuditEvent]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        query = select(AuditEvent).where(
            AuditEvent.action == "security.permission_refused", AuditEvent.actor_email == email
        )
        return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def test_the_get_table_covers_every_registered_get_route(app: Flask) -> None:
    """A new GET route without a row in GET_EXPECTED fails here (ASVS 8.2.1)."""
    assert set(rules_with(app, ("GET",))) == set(GET_EXPECTED)


def test_the_post_table_covers_every_registered_state_changing_route(app: Flask) -> None:
    """A new state-changing route without a row in POST_EXPECTED fails here (ASVS 8.2.1)."""
    assert set(rules_with(app, STATE_CHANGING)) == set(POST_EXPECTED)


@pytest.mark.parametrize("who", COLUMNS)
def test_every_get_route_answers_each_role_as_the_permission_table_says(
    app: Flask, settings: Settings, sample_ids: dict[str, str], who: str
) -> None:
    """Role × GET route: 200, a redirect to /login when signed out, 403 without the permission
    (HIPAA 164.312(a)(1); ASVS 8.2.1); each 403 is audited (ASVS 16.3.2)."""
    client, _ = signed_in_client(app, settings, who)
    wrong = {}
    for rule, expected in GET_EXPECTED.items():
        with client.get(concrete(rule, sample_ids)) as response:
            if not meets(response, expected[who]):
                wrong[rule] = (expected[who], response.status_code, response.location)
    assert wrong == {}
    if who != ANONYMOUS:
        denied = [concrete(r, sample_ids) for r, e in GET_EXPECTED.items() if e[who] == "403"]
        details = [event.detail or "" for event in refusals(app, f"{who}@example.org")]
        assert sorted(d.split(" at GET ")[1] for d in details) == sorted(denied)


@pytest.mark.parametrize("who", COLUMNS)
def test_every_post_route_refuses_a_role_without_permission_even_with_a_valid_csrf_token(
    app: Flask, settings: Settings, sample_ids: dict[str, str], who: str
) -> None:
    """Role × POST route with a valid CSRF token: refusals are 403 and recorded as
    security.permission_refused with the method and path (ASVS 8.2.1, 16.3.2)."""
    client, token = signed_in_client(app, settings, who)
    wrong = {}
    for rule, expected in POST_EXPECTED.items():
        path = concrete(rule, sample_ids)
        response = client.post(path, data={"csrf_token": token})
        if not meets(response, expected[who]):
            wrong[rule] = (expected[who], response.status_code, response.location)
    assert wrong == {}
    if who != ANONYMOUS:
        denied = [concrete(r, sample_ids) for r, e in POST_EXPECTED.items() if e[who] == "403"]
        details = [event.detail or "" for event in refusals(app, f"{who}@example.org")]
        assert sorted(d.split(" at POST ")[1] for d in details) == sorted(denied)


def test_a_refused_post_changes_nothing(
    app: Flask, settings: Settings, sample_ids: dict[str, str]
) -> None:
    """Fail closed (ASVS 16.5.3): a read-only user's valid invite and disable are refused and no
    account is created or disabled."""
    client, token = signed_in_client(app, settings, "read_only")
    invite = {"email": "new@example.org", "role": "admin", "csrf_token": token}
    assert client.post("/admin/users/invite", data=invite).status_code == 403
    disable = f"/admin/users/{sample_ids['user_id']}/disable"
    assert client.post(disable, data={"csrf_token": token}).status_code == 403
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert session.exec(select(User).where(User.email == "new@example.org")).first() is None
        target = session.get(User, int(sample_ids["user_id"]))
        assert target is not None and target.is_active


def test_every_state_changing_route_rejects_a_missing_csrf_token(
    app: Flask, settings: Settings, sample_ids: dict[str, str]
) -> None:
    """CSRF crawl over app.url_map (ASVS 3.5.1): a signed-in admin's request without csrf_token
    gets 400, is recorded as security.csrf_failure (ASVS 16.3.3) and changes nothing."""
    client, _ = signed_in_client(app, settings, "admin")
    crawled = rules_with(app, STATE_CHANGING)
    assert set(crawled) >= KNOWN_STATE_CHANGING
    statuses = {}
    for rule, method in crawled.items():
        response = client.open(concrete(rule, sample_ids), method=method, data={"role": "admin"})
        statuses[rule] = response.status_code
        assert "The form expired" in response.get_data(as_text=True)
    assert statuses == dict.fromkeys(crawled, 400)
    with Session(app.extensions["incident_tracker.engine"]) as session:
        failures = session.exec(
            select(AuditEvent).where(AuditEvent.action == "security.csrf_failure")
        ).all()
        assert {e.detail.split(":")[0] for e in failures if e.detail} == {
            f"{method} {concrete(rule, sample_ids)}" for rule, method in crawled.items()
        }
        assert all(e.actor_email == "admin@example.org" for e in failures)
        target = session.get(User, int(sample_ids["user_id"]))
        assert target is not None and target.is_active and target.role == "read_only"
    assert client.get("/").status_code == 200  # the sign-out without a token was refused too
    page = client.get("/admin/organisation").get_data(as_text=True)
    assert "North Clinic" in page and "Acme Health Plan" in page


@pytest.fixture
def admin_client(app: Flask, settings: Settings) -> FlaskClient:
    client, _ = signed_in_client(app, settings, "admin")
    return client


@pytest.mark.parametrize("path", ["/", "/admin/users", "/login"])
def test_pages_send_the_security_headers(app: Flask, admin_client: FlaskClient, path: str) -> None:
    """CSP self-only with frame-ancestors 'none', nosniff, a Referrer-Policy, no-store and
    X-Frame-Options on normal pages and on the sign-in page (ASVS 3.4.3-3.4.6, 14.3.2)."""
    client = app.test_client() if path == "/login" else admin_client
    response = client.get(path)
    assert response.status_code == 200
    directives = dict(
        part.strip().partition(" ")[::2]
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Flask-WTF's strict HTTPS check needs a same-origin Referer; no other site gets one.
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Frame-Options"] == "DENY"


def html_pages(app: Flask, admin_client: FlaskClient, ids: dict[str, str]) -> Iterator[str]:
    """Every GET route as an admin (who sees every link) and anonymously, plus the error pages."""
    anonymous = app.test_client()
    for client in (admin_client, anonymous):
        for rule in GET_EXPECTED:
            with client.get(concrete(rule, ids)) as response:
                if response.mimetype == "text/html":
                    yield response.get_data(as_text=True)
        yield client.get("/no/such/page").get_data(as_text=True)


def test_no_page_loads_anything_from_another_host_or_inline(
    app: Flask, admin_client: FlaskClient, sample_ids: dict[str, str]
) -> None:
    """Every asset is vendored and the CSP forbids inline code, so no rendered page has
    an absolute URL in src/href/action nor an inline <script>, <style>, style= or on*= handler."""
    pages = list(html_pages(app, admin_client, sample_ids))
    assert len(pages) >= 8
    for page in pages:
        assert EXTERNAL_REFERENCE.findall(page) == []
        assert INLINE_SCRIPT.findall(page) == []
        assert INLINE_STYLE.findall(page) == []
        assert INLINE_HANDLER.findall(page) == []


def test_an_unknown_page_renders_the_404_template_without_internals(client: FlaskClient) -> None:
    """Generic error pages (ASVS 16.5.1)."""
    response = client.get("/no/such/page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>404</h1>" in page and "That page does not exist." in page
    assert "Traceback" not in page and "werkzeug" not in page.lower()


def test_an_unexpected_error_shows_the_generic_500_page_without_a_traceback(app: Flask) -> None:
    """A forced exception gives status 500, the generic message and no traceback or exception
    text (ASVS 16.5.1, 16.5.3), still with the security headers."""

    def explode() -> str:
        raise RuntimeError("secret internal detail 7f3a")

    app.add_url_rule("/test-only/explode", "test_only_explode", explode)
    response = app.test_client().get("/test-only/explode")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    for leak in ("Traceback", "RuntimeError", "secret internal detail", 'File "'):
        assert leak not in page
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_healthz_reports_the_database_without_sign_in(client: FlaskClient) -> None:
    """Monitoring needs no account and gets no PHI: {"status": "ok", "database": "ok"} with no
    problems, and a scheduler that never ran (last tick null) does not fail the health status."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "problems": [],
        "scheduler": {"last_tick_at": None, "stale": False},
    }


def test_healthz_reports_the_schedulers_last_tick_and_when_it_is_stale(
    app: Flask, client: FlaskClient, clock: FixedClock
) -> None:
    """/healthz reports the scheduler's last tick (ISO, UTC) and calls it stale
    once it is more than 5 minutes old; a stale scheduler does not fail the web server's health."""
    with unit_of_work(app.extensions["incident_tracker.engine"]) as session:
        session.add(SchedulerState(id=1, last_tick_at=clock.now(), pid=1, last_result="sent 0"))
    clock.advance(minutes=4, seconds=59)
    fresh = client.get("/healthz")
    assert fresh.status_code == 200
    assert fresh.get_json()["scheduler"] == {
        "last_tick_at": "2026-11-23T09:00:00+00:00",
        "stale": False,
    }
    clock.advance(seconds=2)
    stale = client.get("/healthz")
    assert stale.status_code == 200 and stale.get_json()["status"] == "ok"
    assert stale.get_json()["scheduler"]["stale"] is True


def test_healthz_answers_503_when_the_database_is_unusable(
    tmp_path: Path, clock: FixedClock
) -> None:
    """A database path that is a directory cannot be opened: 503 with database "unavailable"."""
    folder = tmp_path / "not-a-database"
    folder.mkdir()
    broken = create_app(
        Settings(
            env="test",
            instance_path=tmp_path,
            database_url=f"sqlite:///{folder}",
            audit_key=AUDIT_KEY,
            clock=clock,
        )
    )
    try:
        response = broken.test_client().get("/healthz")
    finally:
        broken.extensions["incident_tracker.engine"].dispose()
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
