"""`url(endpoint, **values)` for templates: `url_for` for links that are the same on every page
(navigation, static files), built once per process. The layout has a dozen of them and url_for
costs more than the rest of the header."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for

_URLS = "incident_tracker.urls"


def url(endpoint: str, **values: str | int) -> str:
    """Only for values that do not change between requests (no ids from the request)."""
    key = (request.script_root, endpoint, *sorted(values.items()))
    known: dict[tuple[object, ...], str] = current_app.extensions[_URLS]
    found = known.get(key)
    if found is None:
        found = known[key] = url_for(endpoint, **values)
    return found


def init_app(app: Flask) -> None:
    app.extensions[_URLS] = {}
    app.jinja_env.globals["url"] = url
