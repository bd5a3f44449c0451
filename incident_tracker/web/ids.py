"""Ids in URLs. Every `<int:...>` in a route is a database id: this converter matches ASCII
digits from 1 to the largest id column value (core.parsing.MAX_ID, 32 bits: PostgreSQL's
`integer`), so `/incidents/99999999999999999999` or an id written in other scripts' digits is a
404 and never reaches the database (where it would be an out-of-range error)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, ValidationError

from incident_tracker.core.parsing import record_id


class RecordIdConverter(BaseConverter):
    regex = r"[0-9]+"
    weight = 50  # as werkzeug's own int converter: preferred to a string part

    def to_python(self, value: str) -> int:
        parsed = record_id(value)
        if parsed is None:
            raise ValidationError()
        return parsed

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: rules pick their converters when they are added."""
    app.url_map.converters["int"] = RecordIdConverter
