"""In a browser: a privacy officer creates a personal API token on the account page, sees it
once, uses it over real HTTP against the served app, sees its last use, and revokes it; an admin
registers a webhook endpoint and sees its secret once and the delivery log."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

from incident_tracker.config import Settings
from tests.conftest import make_user
from tests.e2e.conftest import screenshot, sign_in


def _call(base_url: str, token: str, path: str, body: object = None) -> tuple[int, object]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base_url + path,
        data=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_token_is_made_shown_once_used_and_revoked(page: Page, base_url: str) -> None:
    sign_in(page, base_url)
    page.goto(f"{base_url}/account/api-tokens")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    page.fill("#name", "SIEM")
    page.select_option("#scope", "write")
    page.fill("#expires", "7")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("[data-token]").inner_text()
    assert secret.startswith("it_")
    screenshot(page, "api-token-created.png")
    status, created = _call(
        base_url,
        secret,
        "/api/v1/incidents",
        {"title": "Laptop stolen from car", "discovered_on": "2026-11-20", "states": {"NY": 600}},
    )
    assert status == 201 and isinstance(created, dict)
    status, _ = _call(base_url, secret, f"/api/v1/incidents/{created['id']}")
    assert status == 200
    page.goto(f"{base_url}/account/api-tokens")
    assert secret not in page.content()
    row = page.locator("#api-token-list tbody tr").first
    expect(row).to_have_attribute("data-state", "live")
    expect(row).to_contain_text("2026-11-23 09:00")  # last use: the injected clock
    screenshot(page, "api-token-list.png")
    row.get_by_role("button", name="Revoke").click()
    expect(page.locator("#api-token-list tbody tr").first).to_have_attribute(
        "data-state", "revoked"
    )
    status, answer = _call(base_url, secret, "/api/v1/incidents")
    assert status == 401 and isinstance(answer, dict)
    assert answer["error"] == "the token is unknown, revoked or expired"


def test_an_admin_registers_a_webhook_and_sees_the_secret_once(
    page: Page, base_url: str, settings: Settings
) -> None:
    make_user(settings, "admin@example.org", "admin")
    sign_in(page, base_url, "admin@example.org")
    page.goto(f"{base_url}/admin/webhooks")
    page.fill("#url", "http://hooks.example.org/in")
    page.get_by_label("incident.created").check()
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#url-error")).to_contain_text("use https://")
    expect(page.locator("#url")).to_have_value("http://hooks.example.org/in")
    page.fill("#url", "https://hooks.example.org/in")
    page.get_by_role("button", name="Register").click()
    secret = page.locator("[data-secret]").inner_text()
    assert secret.startswith("whsec_")
    expect(page.locator("#webhook-endpoints tbody tr").first).to_have_attribute(
        "data-active", "yes"
    )
    screenshot(page, "webhooks-admin.png")
    page.goto(f"{base_url}/admin/webhooks")
    assert secret not in page.content()
