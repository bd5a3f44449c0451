"""Who is calling the API, and the answers every route shares.

A call is authenticated by its bearer token alone: the blueprint is exempt from CSRF only for
such calls (a browser never sends the header by itself); a call without a token that writes is
checked for CSRF like any form, and refused as unauthenticated anyway. Signed-in users reach only
the OpenAPI document with their cookie.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Response, g, request
from flask_login import current_user
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from incident_tracker.db.models import ApiIdempotency
from incident_tracker.services import api_tokens
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import DomainError, ValidationFailed
from incident_tracker.web import runtime
from incident_tracker.web.security import csrf

DOCUMENT_ENDPOINT = "api_v1.openapi_document"


def error(status: int, message: str, fields: dict[str, str] | None = None) -> Response:
    body = {"error": message, "fields": fields or {}}
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="incident-tracker"'
    return response


def validation_failed(exc: ValidationError) -> Response:
    """flask-openapi3's hook for a request its models refuse: one message per field."""
    fields: dict[str, str] = {}
    for problem in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        fields.setdefault(where, problem["msg"])
    return error(422, "invalid input", fields)


def domain_error(exc: DomainError) -> Response:
    fields = exc.field_errors if isinstance(exc, ValidationFailed) else {}
    return error(exc.status, exc.message, fields)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authenticate() -> Response | None:
    """Before every API route: the token checked and counted, or the cookie for the document."""
    secret = _bearer()
    if secret is None:
        signed_in = current_user.is_authenticated
        if request.endpoint == DOCUMENT_ENDPOINT and signed_in and request.method == "GET":
            g.api_bearer = None
            return None
        if signed_in and request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()  # a cookie's write is a form like any other: CSRF first (400)
        return error(401, "send a personal API token as Authorization: Bearer it_...")
    anonymous = Actor(None, None, None, runtime.client_address())
    try:
        with runtime.call(anonymous) as c:
            g.api_bearer = api_tokens.authenticate(c, secret)
    except api_tokens.Unauthenticated:
        return error(401, "the token is unknown, revoked or expired")
    except api_tokens.RateLimited as limited:
        response = error(429, "too many requests for this token; wait and try again")
        response.headers["Retry-After"] = str(limited.retry_after)
        return response
    return None


def bearer() -> api_tokens.Bearer:
    found: api_tokens.Bearer | None = g.get("api_bearer")
    if found is None:
        raise DomainError("a personal API token is needed here")  # 400, not reached by routes
    return found


def actor() -> Actor:
    b = bearer()
    return Actor(b.user_id, b.email, b.role, runtime.client_address())


def audit_call(c: Call, kind: str) -> None:
    """Every call that reads PHI or writes: its own audit row naming the token."""
    rule = request.url_rule.rule if request.url_rule else request.path
    c.audit(
        f"api.{kind}",
        object_type="api_token",
        object_id=bearer().token_id,
        detail=f"{request.method} {rule}",
    )


@contextmanager
def reading() -> Iterator[Call]:
    with runtime.call(actor()) as c:
        yield c


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


def write(key: str | None, work: Callable[[Call], Answer]) -> Response:
    """A write in one transaction with its audit rows; with an Idempotency-Key, the answer is
    kept in that transaction too, and the same key gets it again instead of a second write."""
    b = bearer()
    if b.scope != "write":
        return error(403, "this token is read-only")
    digest = hashlib.sha256(
        request.method.encode() + b" " + request.path.encode() + b"\n" + request.get_data()
    ).hexdigest()
    try:
        with runtime.call(actor()) as c:
            if key:
                kept = c.session.exec(
                    select(ApiIdempotency).where(
                        ApiIdempotency.token_id == b.token_id, ApiIdempotency.key == key
                    )
                ).first()
                if kept is not None:
                    if kept.request_hash != digest:
                        raise ValidationFailed(
                            {"Idempotency-Key": "already used for a different request"}
                        )
                    return Response(kept.body, status=kept.status, mimetype="application/json")
            answer = work(c)
            body = json.dumps(answer.body, default=str)
            audit_call(c, "write")
            if key:
                c.session.add(
                    ApiIdempotency(
                        token_id=b.token_id,
                        key=key,
                        request_hash=digest,
                        status=answer.status,
                        body=body,
                        created_at=c.now,
                    )
                )
    except IntegrityError:  # the same key sent twice at once: the other one wrote
        return error(409, "a request with this Idempotency-Key is in progress; send it again")
    return Response(body, status=answer.status, mimetype="application/json")
