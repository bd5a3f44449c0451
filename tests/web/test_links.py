"""The layout's links are built once per process and mount point (web/links.py): each is the
path `url_for` gives for the mount the request came through."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import User
from tests.conftest import sign_in
from tests.web.test_assessment import create_incident

MOUNT = "http://localhost/tracker/"  # SCRIPT_NAME /tracker


def _hrefs(client: FlaskClient, base_url: str = "http://localhost/") -> list[str]:
    page = client.get("/notifications", base_url=base_url).get_data(as_text=True)
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    return re.findall(r'(?:href|action)="([^"]+)"', header)


def test_each_header_link_is_its_route_under_each_mount(
    app: Flask, client: FlaskClient, officer: User
) -> None:
    sign_in(client, officer.email)
    plain = _hrefs(client)
    mounted = _hrefs(client, MOUNT)
    again = _hrefs(client)
    assert "/incidents" in plain and "/account/sessions" in plain and "/logout" in plain
    assert mounted == ["/tracker" + href for href in plain]
    assert again == plain


def test_static_links_follow_the_mount(client: FlaskClient) -> None:
    page = client.get("/login", base_url=MOUNT).get_data(as_text=True)
    assert 'href="/tracker/static/app.css"' in page
    assert 'href="/tracker/"' in page  # the brand link, signed out
    assert 'href="/static/app.css"' in client.get("/login").get_data(as_text=True)


def test_a_kept_whole_page_is_kept_per_mount(client: FlaskClient, officer: User) -> None:
    """The board and the register are kept as whole pages (web/fragments.py): one kept under one
    mount must not be served under another with the other's links."""
    sign_in(client, officer.email)
    for path in ("/", "/incidents"):
        plain = client.get(path).get_data(as_text=True)
        mounted = client.get(path, base_url=MOUNT).get_data(as_text=True)
        assert 'href="/tracker/incidents"' in mounted and 'href="/tracker/incidents"' not in plain


def test_the_summarys_section_links_follow_the_mount(
    settings: Settings, clock: FixedClock, client: FlaskClient, officer: User
) -> None:
    """The summary builds its section links from the mount point and the incidents' prefix
    (web/incident_sections.section_urls), not a route build per link: under /tracker each is
    /tracker/incidents/<id>/<section>, and each answers."""
    incident_id = create_incident(settings, clock, officer)
    sign_in(client, officer.email)
    page = client.get(f"/incidents/{incident_id}", base_url=MOUNT).get_data(as_text=True)
    bar = page.split('aria-label="Incident sections"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="([^"]+)"', bar)
    assert f"/tracker/incidents/{incident_id}/obligations" in links
    assert all(link.startswith(f"/tracker/incidents/{incident_id}") for link in links), links
    for link in links:
        path = link.removeprefix("/tracker")
        assert client.get(path, base_url=MOUNT).status_code == 200, link
