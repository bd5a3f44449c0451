"""A notice in legal review whose reviewer's account is disabled, or whose reviewer is moved to
another role, still waits in every other legal reviewer's "My reviews", marked unassigned, so
one of them can take it (the officer's notice page says so); a reviewer given the role back has
it back."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from incident_tracker.config import Settings
from tests.conftest import csrf_token, make_user, sign_in
from tests.web.test_notice_review import Site, site

__all__ = ["site"]  # fixtures


def text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def queue_row(page: str, obligation_id: int) -> str:
    found = re.search(rf'<tr data-obligation-id="{obligation_id}".*?</tr>', page, re.S)
    return found.group(0) if found else ""


def admin(app: Flask, settings: Settings) -> FlaskClient:
    client = app.test_client()
    make_user(settings, "admin@example.org", "admin")
    sign_in(client, "admin@example.org")
    return client


def admin_post(client: FlaskClient, path: str, **data: str) -> None:
    answer = client.post(path, data={"csrf_token": csrf_token(client, "/admin/users"), **data})
    assert answer.status_code == 302, answer.get_data(as_text=True)


def submitted_to_legal_with_a_colleague(site: Site, settings: Settings) -> tuple[FlaskClient, int]:
    """The draft submitted to legal@; a second legal reviewer signed in; legal@'s id."""
    colleague = make_user(settings, "legal2@example.org", "legal_reviewer")
    other = site.app.test_client()
    sign_in(other, colleague.email)
    site.post(site.officer, site.url)  # the draft
    [legal] = [u for u in site.rows(type(colleague)) if u.email == "legal@example.org"]
    answer = site.post(site.officer, site.url + "/submit", number="1", reviewer=str(legal.id))
    assert answer.status_code == 302  # type: ignore[attr-defined]
    assert queue_row(text(other, "/reviews"), site.f1) == ""  # legal@'s, not theirs
    return other, legal.id or 0


def test_a_disabled_reviewers_notice_waits_unassigned_in_the_other_reviewers_queue(
    site: Site, settings: Settings
) -> None:
    other, legal_id = submitted_to_legal_with_a_colleague(site, settings)
    admin_post(admin(site.app, settings), f"/admin/users/{legal_id}/disable")
    row = queue_row(text(other, "/reviews"), site.f1)
    assert "unassigned — reviewer deactivated" in row and "any reviewer" not in row
    waiting = "any legal reviewer (unassigned — the reviewer named can no longer review)"
    assert waiting in text(site.officer, site.url)
    assert f"/obligations/{site.f1}/notice#review" in row
    # The colleague takes it: sending it back works as for any notice in review.
    back = site.post(other, site.url + "/request-changes", number="1")
    assert back.status_code == 302  # type: ignore[attr-defined]
    assert queue_row(text(other, "/reviews"), site.f1) == ""
    assert f"/obligations/{site.f1}/notice#review" in text(site.officer, "/changes-requested")


def test_a_reviewer_moved_to_another_role_frees_the_notice_and_enabled_again_gets_it_back(
    site: Site, settings: Settings
) -> None:
    other, legal_id = submitted_to_legal_with_a_colleague(site, settings)
    by_admin = admin(site.app, settings)
    admin_post(by_admin, f"/admin/users/{legal_id}/role", role="read_only")
    row = queue_row(text(other, "/reviews"), site.f1)
    assert "unassigned — reviewer no longer a legal reviewer" in row
    admin_post(by_admin, f"/admin/users/{legal_id}/role", role="legal_reviewer")
    assert queue_row(text(other, "/reviews"), site.f1) == ""
