"""The OpenAPI 3.1 document: valid by a maintained validator, covering every `/api/v1` route,
served to signed-in users and token holders only; and a property-based fuzzer (schemathesis)
driven by it against the app: no 5xx and no status code the document does not list."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import User
from tests.api.helpers import auth, create_incident, issue
from tests.conftest import sign_in


def _document(client: FlaskClient, token: str) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json", headers=auth(token))
    assert response.status_code == 200
    document: dict[str, Any] = response.get_json()
    return document


def test_the_document_is_valid_openapi_3_1_and_lists_every_api_route(
    app: Flask, client: FlaskClient, settings: Settings, officer: User
) -> None:
    document = _document(client, issue(settings, officer.id or 0, scope="read"))
    assert document["openapi"].startswith("3.1")
    validate(document)  # openapi-spec-validator picks the 3.1 validator from the version
    documented = {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "put", "delete")
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule.replace("<int:", "{").replace(">", "}")
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                routed.add((path, method))
    assert routed, "no API routes"
    assert routed == documented
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_document_is_not_public(client: FlaskClient, officer: User) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    sign_in(client, officer.email)
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize("role", ["privacy_officer", "read_only"])
def test_fuzzing_every_operation_gives_no_5xx_and_only_documented_statuses(
    app: Flask,
    client: FlaskClient,
    settings: Settings,
    clock: FixedClock,
    officer: User,
    role: str,
) -> None:
    writer = issue(settings, officer.id or 0)
    for n in range(2):  # objects for the fuzzer's ids to find
        create_incident(client, writer, title=f"Incident {n}", states={"NY": 600})
    if role == "privacy_officer":
        token = writer
    else:
        from tests.conftest import make_user

        reader = make_user(settings, "reader@example.org", "read_only")
        token = issue(settings, reader.id or 0, scope="read")
    schema = schemathesis.openapi.from_dict(_document(client, token))
    schema.app = app
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @examples(
            max_examples=40,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            clock.advance(seconds=1)  # within the rate limit: 60 calls a minute at most
            case.call_and_validate(headers=auth(token), checks=checks)

        run()
