"""Domain errors that views map to field messages (HTML) or a 4xx JSON error (API)."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    status = 422

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in field_errors.items()))
        self.field_errors = field_errors


class NotFound(DomainError):
    status = 404


class Hidden(NotFound):
    """A 404 for an object the actor may not see. The use case's transaction rolls back, so the
    caller audits the refusal in a transaction of its own (web.runtime.call)."""

    def __init__(self, message: str, object_type: str, object_id: object, detail: str) -> None:
        super().__init__(message)
        self.object_type, self.object_id, self.detail = object_type, object_id, detail


class Forbidden(DomainError):
    """A refused action. The use case's transaction rolls back, taking any audit row written in it;
    the web layer audits the refusal again in a transaction of its own (web.runtime.call)."""

    status = 403

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail or message


class Conflict(DomainError):
    status = 409
