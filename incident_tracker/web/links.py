"""Links that are the same on every page (navigation, static files), built once per process and
mount point (SCRIPT_NAME): the URL map does not change once the app serves requests, and the
layout has two dozen of them. `links['endpoint']` is a dictionary look-up after the first page
(no call from the template); `url(endpoint, **values)` is the same for links with values."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, has_request_context, request, url_for
from markupsafe import Markup, escape


class Paths(dict[str, Markup]):
    """An argument-less endpoint's path under one mount point, escaped as the page writes it."""

    def __missing__(self, endpoint: str) -> Markup:
        path = self[endpoint] = escape(url_for(endpoint))
        return path


def _mounts(app: Flask) -> tuple[Callable[..., str], Callable[[], dict[str, Paths]]]:
    """This app's `url` and `links` (tests build apps with other maps), per mount point."""
    paths: dict[str, Paths] = {}
    known: dict[tuple[object, ...], str] = {}

    def links() -> dict[str, Paths]:
        if not has_request_context():  # a template rendered for no request has no mount
            return {}
        root = request.script_root
        found = paths.get(root)
        if found is None:
            found = paths[root] = Paths()
        return {"links": found}

    def url(endpoint: str, **values: str | int) -> str:
        """Only for values that do not change between requests (no ids from the request)."""
        key = (request.script_root, endpoint, *sorted(values.items()))
        found = known.get(key)
        if found is None:
            found = known[key] = url_for(endpoint, **values)
        return found

    return url, links


def init_app(app: Flask) -> None:
    url, links = _mounts(app)
    app.jinja_env.globals["url"] = url
    app.context_processor(links)
