"""Role × route × object over the API: the role's permissions (core/permissions.py) and the
per-incident access of the pages apply unchanged. A restricted incident exists only for its
owner and assignees: 404 for everyone else, admins included, on every route, and it is left out
of every list (45 CFR 164.502(b), minimum necessary)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from incident_tracker.config import Settings
from incident_tracker.db.models import User
from tests.api.helpers import auth, create_incident, issue
from tests.conftest import make_user

ROLES = ("privacy_officer", "legal_reviewer", "admin", "read_only")
# Writes the role may make (core/permissions.py: CREATE_INCIDENT, EDIT_INCIDENT, RECORD_SENT).
WRITES = {"privacy_officer": True, "legal_reviewer": False, "admin": False, "read_only": False}


@pytest.fixture
def world(client: FlaskClient, settings: Settings, officer: User) -> dict[str, Any]:
    """The officer's open incident and restricted incident, and one user per role besides."""
    owner = issue(settings, officer.id or 0)
    opened = create_incident(client, owner, title="Open incident", states={"NY": 600})
    hidden = create_incident(
        client, owner, title="Restricted incident", states={"NY": 600}, restricted=True
    )
    tokens = {}
    for role in ROLES:
        user = make_user(settings, f"{role}@example.org", role)
        tokens[role] = issue(settings, user.id or 0)
    duties = client.get(
        f"/api/v1/obligations?incident_id={opened['id']}", headers=auth(owner)
    ).get_json()["items"]
    return {"owner": owner, "open": opened, "hidden": hidden, "tokens": tokens, "duty": duties[0]}


def _calls(incident: dict[str, Any], duty_id: int) -> list[tuple[str, str, Any]]:
    n = incident["id"]
    return [
        ("GET", f"/api/v1/incidents/{n}", None),
        ("GET", f"/api/v1/incidents/{n}/notices", None),
        ("GET", f"/api/v1/incidents/{n}/sent", None),
        (
            "PATCH",
            f"/api/v1/incidents/{n}",
            {"lock_version": incident["lock_version"], "total_affected": 700},
        ),
        (
            "POST",
            f"/api/v1/incidents/{n}/obligations/{duty_id}/done",
            {"done_on": "2026-11-22", "method": "mail", "recipients": 600},
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_an_open_incident_and_writes_only_as_its_role_allows(
    client: FlaskClient, world: dict[str, Any], role: str
) -> None:
    token = world["tokens"][role]
    answers = [
        client.open(path, method=method, json=body, headers=auth(token)).status_code
        for method, path, body in _calls(world["open"], world["duty"]["id"])
    ]
    write = 200 if WRITES[role] else 403
    assert answers == [200, 200, 200, write, write]
    created = client.post(
        "/api/v1/incidents",
        json={"title": "New", "discovered_on": "2026-11-20"},
        headers=auth(token),
    )
    assert created.status_code == (201 if WRITES[role] else 403)


@pytest.mark.parametrize("role", ROLES)
def test_a_restricted_incident_is_404_on_every_route_for_everyone_but_its_owner(
    client: FlaskClient, world: dict[str, Any], role: str
) -> None:
    token = world["tokens"][role]
    hidden = world["hidden"]
    owner_duties = client.get(
        f"/api/v1/obligations?incident_id={hidden['id']}", headers=auth(world["owner"])
    ).get_json()["items"]
    assert owner_duties  # the owner sees its duties
    calls = _calls(hidden, owner_duties[0]["id"])
    assert [
        client.open(path, method=method, json=body, headers=auth(token)).status_code
        for method, path, body in calls
    ] == [404] * len(calls)
    listed = client.get("/api/v1/incidents", headers=auth(token)).get_json()
    assert [i["number"] for i in listed["items"]] == [world["open"]["number"]]
    duties = client.get("/api/v1/obligations", headers=auth(token)).get_json()["items"]
    assert {d["incident_id"] for d in duties} == {world["open"]["id"]}
    assert client.get(
        f"/api/v1/obligations?incident_id={hidden['id']}", headers=auth(token)
    ).get_json() == {"items": [], "total": 0, "page": 1}


def test_the_owner_reads_and_edits_their_restricted_incident(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    owner = world["owner"]
    hidden = world["hidden"]
    assert client.get(f"/api/v1/incidents/{hidden['id']}", headers=auth(owner)).status_code == 200
    changed = client.patch(
        f"/api/v1/incidents/{hidden['id']}",
        json={"lock_version": hidden["lock_version"], "total_affected": 700},
        headers=auth(owner),
    )
    assert changed.status_code == 200
    assert changed.get_json()["facts"]["total_affected"] == 700
    listed = client.get("/api/v1/incidents", headers=auth(owner)).get_json()
    assert listed["total"] == 2


def test_an_unknown_id_is_404_and_bad_input_names_each_field(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    owner = world["owner"]
    assert client.get("/api/v1/incidents/999999", headers=auth(owner)).status_code == 404
    bad = client.post(
        "/api/v1/incidents",
        json={"title": "", "discovered_on": "2026-02-30", "total_affected": -1},
        headers=auth(owner),
    )
    assert bad.status_code == 422
    fields = bad.get_json()["fields"]
    assert {"discovered_on", "total_affected"} <= set(fields)
    empty = client.post(
        "/api/v1/incidents",
        json={"title": " ", "discovered_on": "2026-11-20"},
        headers=auth(owner),
    )
    assert empty.status_code == 422  # the form's own rule, from the same service
    assert empty.get_json()["fields"]["title"].startswith("give the incident a short title")
    stale = client.patch(
        f"/api/v1/incidents/{world['open']['id']}",
        json={"lock_version": 99, "title": "Changed"},
        headers=auth(owner),
    )
    assert stale.status_code == 409


def test_search_goes_in_the_body_and_finds_by_title_words_or_number(
    client: FlaskClient, settings: Settings, world: dict[str, Any]
) -> None:
    reader = world["tokens"]["read_only"]
    by_words = client.post(
        "/api/v1/incidents/search", json={"search": "open inc"}, headers=auth(reader)
    )
    assert by_words.status_code == 200
    assert [i["number"] for i in by_words.get_json()["items"]] == [world["open"]["number"]]
    hidden = client.post(
        "/api/v1/incidents/search", json={"search": "restricted"}, headers=auth(reader)
    )
    assert hidden.get_json() == {"items": [], "total": 0, "page": 1}
    by_number = client.post(
        "/api/v1/incidents/search",
        json={"search": world["hidden"]["number"]},
        headers=auth(world["owner"]),
    )
    assert [i["id"] for i in by_number.get_json()["items"]] == [world["hidden"]["id"]]
    in_url = client.get("/api/v1/incidents?search=nothing-matches", headers=auth(reader))
    assert in_url.status_code == 200 and in_url.get_json()["total"] == 1  # not a filter here
