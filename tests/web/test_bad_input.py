"""Bad ids, out-of-range and non-ASCII numbers, unknown clients and facilities, and removing a
client or facility still in use: each is a 404 or a 422 with a message beside the field, never a
server error (ASVS 5.0 2.2.1 input validation, 16.5.3 failing securely)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from incident_tracker.config import Settings
from incident_tracker.core.parsing import MAX_ID, record_id, whole_number
from incident_tracker.db import make_engine
from incident_tracker.db.models import User
from tests.conftest import csrf_token, sign_in
from tests.web.test_incidents import _create, incident_form

# Not ASCII digits, though str.isdigit() says they are: superscript two, circled one, and
# Arabic-Indic three (which int() reads as 3).
ODD_DIGITS = ("\u00b2", "\u2460", "\u0663")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        (" 42 ", 42),
        ("0009", 9),
        ("2147483647", MAX_ID),
        ("2147483648", None),
        ("9223372036854775807", None),
        ("99999999999999999999", None),
        ("-1", None),
        ("1_000", None),
        ("1e3", None),
        ("", None),
        (None, None),
        *((digit, None) for digit in ODD_DIGITS),
    ],
)
def test_whole_number_reads_ascii_digits_within_32_bits(raw: str | None, expected: int) -> None:
    assert whole_number(raw) == expected


def test_whole_number_bounds_and_record_ids_start_at_one() -> None:
    assert [whole_number(n, 1, 60) for n in ("0", "1", "60", "61")] == [None, 1, 60, None]
    assert [record_id(n) for n in ("0", "1", str(MAX_ID), str(MAX_ID + 1))] == [
        None,
        1,
        MAX_ID,
        None,
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/incidents/99999999999999999999",
        f"/incidents/{2**31}",
        f"/incidents/{2**63}",
        f"/incidents/{2**64}/edit",
        "/incidents/0",
        "/incidents/1/obligations/18446744073709551616/sent",
        *(f"/incidents/{digit}" for digit in ODD_DIGITS),
    ],
)
def test_ids_beyond_the_id_range_or_not_in_ascii_digits_are_not_found(
    client: FlaskClient, officer: User, path: str
) -> None:
    sign_in(client, officer.email)
    _create(client)  # incident 1 exists, so only the bad id can make these 404
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query", ["owner=%C2%B2", "owner=%E2%91%A0", f"owner={2**64}", "due_within=%C2%B2", "page=-3"]
)
def test_register_filters_ignore_numbers_that_are_not_numbers(
    client: FlaskClient, officer: User, query: str
) -> None:
    sign_in(client, officer.email)
    _create(client, title="Visible either way")
    response = client.get(f"/incidents?{query}")
    assert response.status_code == 200
    assert "Visible either way" in response.get_data(as_text=True)


def _error_beside(body: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error"[^>]*>([^<]*)</p>', body)
    assert found, f"no message beside {field}"
    return found.group(1)


def _rows(settings: Settings, table: str) -> int:
    engine = make_engine(settings.db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"client_id": "999999"}, "client_id", "that client no longer exists"),
        ({"facility_id": "999999"}, "facility_id", "that facility no longer exists"),
        ({"client_id": str(2**64)}, "client_id", "choose from the list"),
        ({"owner_id": "\u2460"}, "owner_id", "choose from the list"),
        ({"owner_id": str(2**63)}, "owner_id", "choose from the list"),
        ({"assignee_ids": ["\u00b2"]}, "assignee_ids", "choose assignees from the list"),
        ({"total_affected": "\u00b2"}, "total_affected", "enter a whole number, 0 or more"),
        ({"total_affected": str(2**63)}, "total_affected", "at most 1,000,000,000"),
        ({"unreachable_individuals": "\u2460"}, "unreachable_individuals", "a whole number"),
        (
            {"state_count": ["600", "\u0663", "40"]},
            "states",
            "the count for NJ must be a whole number",
        ),
    ],
)
def test_unknown_choices_and_odd_numbers_on_the_incident_form_are_422_beside_the_field(
    client: FlaskClient,
    settings: Settings,
    officer: User,
    over: dict[str, Any],
    field: str,
    message: str,
) -> None:
    """Including the forged client id that used to fail the foreign key with a 500."""
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    response = client.post("/incidents", data=incident_form(token, title="Kept title", **over))
    body = response.get_data(as_text=True)
    assert response.status_code == 422, body[:2000]
    assert message in _error_beside(body, field)
    assert 'value="Kept title"' in body  # the rest of the input is kept
    assert _rows(settings, "incident") == 0


def test_editing_an_incident_to_an_unknown_client_is_refused_and_nothing_changes(
    client: FlaskClient, settings: Settings, officer: User
) -> None:
    sign_in(client, officer.email)
    incident_id = _create(client)
    page = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    lock = re.search(r'name="lock_version" value="(\d+)"', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert lock and token
    form = incident_form(token.group(1), title="Renamed", client_id="424242", lock_version=lock[1])
    response = client.post(f"/incidents/{incident_id}", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "that client no longer exists" in _error_beside(body, "client_id")
    assert "Renamed" in body
    engine = make_engine(settings.db_url)
    with engine.connect() as conn:
        title = conn.execute(text("SELECT title FROM incident")).scalar_one()
    engine.dispose()
    assert title == "Claim file sent to wrong payer"


def _add(client: FlaskClient, token: str) -> tuple[int, int]:
    facility = {"csrf_token": token, "facility_name": "North Clinic", "licence_type": "clinic"}
    assert client.post("/admin/organisation/facilities", data=facility).status_code == 302
    client_form = {"csrf_token": token, "client_name": "Acme Health Plan"}
    assert client.post("/admin/organisation/clients", data=client_form).status_code == 302
    page = client.get("/admin/organisation").get_data(as_text=True)
    facility_id = re.search(r"/organisation/facilities/(\d+)/delete", page)
    client_id = re.search(r"/organisation/clients/(\d+)/delete", page)
    assert facility_id and client_id
    return int(facility_id.group(1)), int(client_id.group(1))


def test_a_client_or_facility_used_by_incidents_is_not_removed(
    client: FlaskClient, settings: Settings, admin: User, officer: User, app: Any
) -> None:
    """The incidents keep what decides their deadlines; the admin is told how many use it."""
    sign_in(client, admin.email)
    token = csrf_token(client, "/admin/organisation")
    facility_id, client_id = _add(client, token)
    officer_client = app.test_client()
    sign_in(officer_client, officer.email)
    for title in ("First", "Second"):
        _create(
            officer_client,
            title=title,
            entity_type="business_associate",
            ba_is_agent_of_ce="no",
            client_id=str(client_id),
            facility_id=str(facility_id),
        )
    for kind, object_id in (("facility", facility_id), ("client", client_id)):
        plural = "facilities" if kind == "facility" else "clients"
        response = client.post(
            f"/admin/organisation/{plural}/{object_id}/delete", data={"csrf_token": token}
        )
        body = response.get_data(as_text=True)
        assert response.status_code == 422, body[:2000]
        message = _error_beside(body, f"{kind}-{object_id}")
        assert "used by 2 incidents" in message
    assert _rows(settings, "facility") == 1
    assert _rows(settings, "covered_entity_client") == 1
    # Not in use any more: removed.
    engine = make_engine(settings.db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE incident SET client_id = NULL, facility_id = NULL"))
    engine.dispose()
    for path in (f"facilities/{facility_id}", f"clients/{client_id}"):
        response = client.post(f"/admin/organisation/{path}/delete", data={"csrf_token": token})
        assert response.status_code == 302
    assert _rows(settings, "facility") == 0
    assert _rows(settings, "covered_entity_client") == 0


@pytest.mark.parametrize("months", ["\u2460", "\u00b2", "99999999999999999999999"])
def test_identity_protection_months_that_are_not_numbers_are_a_message(
    client: FlaskClient, officer: User, months: str
) -> None:
    sign_in(client, officer.email)
    incident_id = _create(client)
    token = csrf_token(client, f"/incidents/{incident_id}/notice-details")
    response = client.post(
        f"/incidents/{incident_id}/notice-details",
        data={"csrf_token": token, "revision": "\u2460", "ip_months": months},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "not a non-negative whole number" in _error_beside(body, "ip_months")
    assert f'value="{months}"' in body
