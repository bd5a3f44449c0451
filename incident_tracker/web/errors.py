"""Error pages without stack traces; JSON for API clients."""

from __future__ import annotations

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


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str | dict[str, str], int]:
        return _render(error.code or 500)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> tuple[str | dict[str, str], int]:
        return _render(error.status, error.message)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str | dict[str, str], int]:
        app.logger.exception("unhandled error", exc_info=error)
        return _render(500)
