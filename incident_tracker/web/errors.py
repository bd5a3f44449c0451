"""Error pages without stack traces; JSON for API clients."""

from __future__ import annotations

import traceback

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from incident_tracker.services.errors import DomainError

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to do that.",
    404: "That page does not exist.",
    405: "That action is not allowed here.",
    413: "The upload is too large.",
    429: "Too many requests. Wait a moment and try again.",
    500: "Something went wrong on our side. Nothing was saved. Try again, or tell an "
    "administrator.",
}


def _render(code: int, message: str | None = None) -> tuple[str | dict[str, str], int]:
    message = message or MESSAGES.get(code, "The request could not be completed.")
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return {"error": message}, code
    return render_template("errors/error.html", code=code, message=message), code


def _chain(error: BaseException) -> list[BaseException]:
    """The error and the ones it was raised from or while handling, oldest first."""
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return found[::-1]


def without_values(error: BaseException) -> str:
    """The traceback of an unexpected error for the log: every frame and exception type, no
    exception message. Messages quote the values they choke on (`int('Jane Doe')`, PostgreSQL's
    `DETAIL: Key (name)=(...)`), and values here are PHI; the operator reading the log needs
    none (minimum necessary, 45 CFR 164.502(b)). A failed statement keeps its SQL text: its
    values are bound parameters, never part of it."""
    parts: list[str] = []
    for link in _chain(error):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        kind = type(link)
        parts.append(f"{kind.__module__}.{kind.__qualname__} (message withheld)\n")
        statement = getattr(link, "statement", None)
        if isinstance(statement, str):
            parts.append(f"[SQL: {statement}]\n")
    return "".join(parts)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str | dict[str, str], int]:
        return _render(error.code or 500)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> tuple[str | dict[str, str], int]:
        return _render(error.status, error.message)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str | dict[str, str], int]:
        # The route, not the path (a calendar feed's path is its secret); no exc_info: a handler
        # would print the message with the traceback.
        route = request.url_rule.rule if request.url_rule else "(no route)"
        app.logger.error(
            "unhandled error in %s %s\n%s", request.method, route, without_values(error)
        )
        return _render(500)
