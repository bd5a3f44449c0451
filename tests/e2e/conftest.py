"""Shared browser-test fixtures: Debian's chromium driven by Playwright, and the app served from a
background thread on 127.0.0.1 with the injected clock. Screenshots go to test-artifacts/."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from incident_tracker import create_app
from incident_tracker.clock import FixedClock
from incident_tracker.config import PROJECT_ROOT, Settings
from tests import backends
from tests.backends import Template
from tests.conftest import AUDIT_KEY, PASSWORD, fresh_settings, make_user

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 5_000
OFFICER = "officer@example.org"
ROLE = "privacy_officer"

Serve = Callable[[Settings], str]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context per test: no cookies shared between tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="module")
def officer_template(
    tmp_path_factory: pytest.TempPathFactory, migrated_template: Template
) -> Iterator[Template]:
    """The migrated database plus one privacy officer, hashed once (argon2id is slow on purpose)."""
    folder = tmp_path_factory.mktemp("e2e-template")
    template = Template(folder, migrated_template.copy(folder, prefix="tmpl"))
    make_user(
        Settings(env="test", instance_path=folder, audit_key=AUDIT_KEY, database_url=template.url),
        OFFICER,
        ROLE,
    )
    yield template
    backends.drop(template.url)


@pytest.fixture
def settings(tmp_path: Path, officer_template: Template, clock: FixedClock) -> Iterator[Settings]:
    yield from fresh_settings(officer_template, tmp_path, clock)


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start `create_app(settings)` on a free port in a background thread; stopped afterwards."""
    running: list[tuple[BaseWSGIServer, threading.Thread, Flask]] = []

    def start(settings: Settings) -> str:
        app = create_app(settings)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        running.append((server, thread, app))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread, app in running:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.extensions["incident_tracker.engine"].dispose()


@pytest.fixture
def base_url(serve: Serve, settings: Settings) -> str:
    return serve(settings)


def sign_in(page: Page, base_url: str, email: str = OFFICER, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path
