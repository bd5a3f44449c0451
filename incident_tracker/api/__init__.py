"""`/api/v1`: the JSON API, described by an OpenAPI 3.1 document generated from its typed schemas.

flask-openapi3 generates the document from the pydantic models the routes declare, and
validates each request against the same models before the route runs: one source for the
contract and its checks. (It emits OpenAPI 3.1, is maintained, and needs no change to the Flask
app class: its blueprint registers on a plain Flask app.)
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Flask
from flask_openapi3 import Info, OpenAPI

from incident_tracker.api import guard
from incident_tracker.api.routes import bp
from incident_tracker.web.security import csrf

TITLE = "incident-tracker API"
VERSION = "1.0.0"
BEARER = {"bearer": {"type": "http", "scheme": "bearer", "description": "it_... token"}}


@cache
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every `/api/v1` route (built once per process)."""
    spec = OpenAPI(
        "incident_tracker.api",
        info=Info(title=TITLE, version=VERSION),
        security_schemes=BEARER,  # type: ignore[arg-type]
        doc_ui=False,
    )
    spec.register_api(bp)
    doc: dict[str, Any] = dict(spec.api_doc)
    doc["security"] = [{"bearer": []}]
    return doc


def init_app(app: Flask) -> None:
    from incident_tracker.web import api_tokens, webhooks  # the account block, the admin page

    app.register_blueprint(bp)
    app.register_blueprint(api_tokens.bp)
    app.register_blueprint(webhooks.bp)
    csrf.exempt(bp)  # guard.authenticate applies CSRF to every call without a bearer token
    # What flask-openapi3 asks the app for when a request fails its models.
    app.validation_error_callback = guard.validation_failed  # type: ignore[attr-defined]
    app.validation_error_status = "422"  # type: ignore[attr-defined]
