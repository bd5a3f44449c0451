"""A name with a line break, a tab or another control character is refused by every form that
takes a name which can reach an e-mail header (RFC 5322 section 2.2): 422, the message beside
the field, what was typed kept, nothing saved or audited."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.db.models import AuditEvent, User
from tests.conftest import csrf_token, sign_in

MESSAGE = "on one line, without line breaks, tabs or other control characters"
PROFILE = {
    "legal_name": "Acme Health",
    "time_zone": "America/New_York",
    "is_covered_entity": "1",
    "covered_entity_type": "provider",
}
FORMS = {
    "client": ("/admin/organisation/clients", "client_name", {"notice_window_days": "5"}),
    "facility": ("/admin/organisation/facilities", "facility_name", {"licence_type": "clinic"}),
    "organisation": ("/admin/organisation", "legal_name", PROFILE),
    "user": (
        "/admin/users/invite",
        "display_name",
        {"email": "new@example.org", "role": "read_only"},
    ),
}
NAMES = ["Evil Co\r\nBcc: x@evil.test", "Tab\tCo", "Bell\x07Co", "Line\u2028Co"]


def field_block(page: str, name: str) -> str:
    """The `<div class="field">` holding the control with id `name` (its label, error, input)."""
    for block in page.split('<div class="field')[1:]:
        if f'id="{name}"' in block:
            return html.unescape(block.split("</div>")[0])
    raise AssertionError(f"no field {name} on the page")


def audit_rows(app: Flask) -> list[str]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        return list(session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))))


@pytest.mark.parametrize("name", NAMES, ids=["crlf-header", "tab", "bell", "line-separator"])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_name_with_a_control_character_is_refused_beside_its_field(
    app: Flask, client: FlaskClient, admin: User, form: str, name: str
) -> None:
    path, field, rest = FORMS[form]
    sign_in(client, admin.email)
    before = audit_rows(app)
    data = {**rest, field: name, "csrf_token": csrf_token(client, "/")}
    response = client.post(path, data=data)
    assert response.status_code == 422
    block = field_block(response.get_data(as_text=True), field)
    assert MESSAGE in block
    assert f'value="{name}"' in block
    assert audit_rows(app)[len(before) :] == []
    page = client.get("/admin/organisation" if form != "user" else "/admin/users")
    assert name not in html.unescape(page.get_data(as_text=True))


def test_the_same_names_on_one_line_are_accepted(
    app: Flask, client: FlaskClient, admin: User
) -> None:
    """The check refuses the control character, not the name: each form takes it cleaned."""
    sign_in(client, admin.email)
    for path, field, rest in FORMS.values():
        data = {**rest, field: "Evil Co Bcc: x@evil.test", "csrf_token": csrf_token(client, "/")}
        assert client.post(path, data=data).status_code in (200, 302), path
