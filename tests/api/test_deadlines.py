"""`POST /api/v1/deadlines` answers, byte for byte, what `incident-tracker deadlines` prints for
the same incident JSON: every worked case in the repository, as the JSON file the CLI reads."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from incident_tracker.cli import main
from incident_tracker.config import Settings
from incident_tracker.db.models import User
from tests.api.helpers import auth, issue
from tests.worked_cases import CASES


def _cli(data: Any) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["deadlines", "-"], out, err, io.StringIO(json.dumps(data)))
    return code, out.getvalue()


@pytest.fixture
def token(settings: Settings, officer: User) -> str:
    return issue(settings, officer.id or 0, scope="read")


def test_every_worked_case_is_answered_as_the_cli_prints_it(
    client: FlaskClient, token: str
) -> None:
    assert len(CASES) >= 30  # the file's cases, none skipped
    for case in CASES:
        code, printed = _cli(case["incident"])
        assert code == 0, case["id"]
        response = client.post("/api/v1/deadlines", json=case["incident"], headers=auth(token))
        assert response.status_code == 200, (case["id"], response.get_data(as_text=True))
        assert response.mimetype == "application/json"
        assert response.get_data(as_text=True) == printed, case["id"]


def test_the_wrapped_form_with_the_incident_key_is_accepted_too(
    client: FlaskClient, token: str
) -> None:
    wrapped = {"incident": CASES[0]["incident"], "id": CASES[0]["id"]}
    _, printed = _cli(wrapped)
    response = client.post("/api/v1/deadlines", json=wrapped, headers=auth(token))
    assert response.get_data(as_text=True) == printed


def test_bad_incident_json_is_a_422_naming_each_problem_as_the_cli_does(
    client: FlaskClient, token: str
) -> None:
    bad = {"discovery_date": "2026-02-30", "entity_type": "hospital"}
    err = io.StringIO()
    code = main(["deadlines", "-"], io.StringIO(), err, io.StringIO(json.dumps(bad)))
    assert code == 2
    response = client.post("/api/v1/deadlines", json=bad, headers=auth(token))
    assert response.status_code == 422
    body = response.get_json()
    assert sorted(body["fields"].values()) == sorted(err.getvalue().strip().splitlines())


def test_the_calculator_needs_a_token(client: FlaskClient) -> None:
    response = client.post("/api/v1/deadlines", json=CASES[0]["incident"])
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
