"""Browser tests: Playwright driving Debian's chromium against the app served on 127.0.0.1.

Sign-in, the home page, idle sign-out with the injected clock and the idle warning
(HIPAA 164.312(a)(2)(iii) automatic logoff, (d) person authentication; ASVS 5.0 V6-V7 and
V3.4 browser security headers). Screenshots go to test-artifacts/ under the project root.
"""

from __future__ import annotations

import dataclasses

from playwright.sync_api import ConsoleMessage, Page, Request, expect

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from tests.e2e.conftest import OFFICER, Serve, screenshot, sign_in


def test_sign_in_through_the_form_lands_on_home_showing_email_and_role(
    page: Page, base_url: str
) -> None:
    """HIPAA 164.312(d): the form signs the user in; `/` shows who is signed in, with what role."""
    sign_in(page, base_url)
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("h1")).to_contain_text("Deadline board")
    expect(page.locator("p.meta")).to_contain_text(f"{OFFICER} (privacy officer)")
    expect(page.locator("header .who")).to_contain_text(f"{OFFICER} · privacy officer")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "home.png")


def test_idle_for_16_minutes_signs_the_browser_out(
    page: Page, base_url: str, clock: FixedClock
) -> None:
    """HIPAA 164.312(a)(2)(iii), ASVS 5.0 7.3.1: 16 idle minutes (server clock) end the session."""
    sign_in(page, base_url)
    expect(page).to_have_url(f"{base_url}/")
    clock.advance(minutes=16)
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/login?next=/")
    expect(page.get_by_role("status")).to_contain_text(
        "signed out after 15 minutes without activity"
    )
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.locator("header .who")).to_have_count(0)
    screenshot(page, "idle-signed-out.png")


def test_idle_warning_appears_and_stay_signed_in_pings_the_server(
    page: Page, serve: Serve, settings: Settings, clock: FixedClock
) -> None:
    """HIPAA 164.312(a)(2)(iii): a warning before idle expiry; "Stay signed in" POSTs
    /session/ping with the CSRF header (ASVS 5.0 3.5.1) and counts as activity on the server."""
    short = dataclasses.replace(settings, idle_timeout_minutes=1, idle_warning_seconds=58)
    base_url = serve(short)
    sign_in(page, base_url)
    expect(page).to_have_url(f"{base_url}/")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out in")
    screenshot(page, "idle-warning.png")

    clock.advance(seconds=50)
    with page.expect_response(f"{base_url}/session/ping") as pinged:
        page.get_by_role("button", name="Stay signed in").click()
    response = pinged.value
    assert response.status == 200 and response.request.method == "POST"
    assert response.request.headers.get("x-csrftoken")
    expect(warning).to_be_hidden()

    # 100 s after sign-in but 50 s after the ping: still signed in only because the ping counted.
    clock.advance(seconds=50)
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("p.meta")).to_contain_text(OFFICER)


def test_wrong_password_shows_the_error_and_keeps_the_email(page: Page, base_url: str) -> None:
    """ASVS 5.0 6.3.8: a generic refusal message; the e-mail is kept, the password is not echoed."""
    sign_in(page, base_url, password="not the right password 1")
    expect(page.get_by_role("alert")).to_contain_text("The e-mail or password is not correct")
    expect(page.locator("#email")).to_have_value(OFFICER)
    expect(page.locator("#password")).to_have_value("")
    expect(page.locator("header .who")).to_have_count(0)


def test_sign_out_button_ends_the_session(page: Page, base_url: str) -> None:
    """HIPAA 164.312(a)(2)(iii), ASVS 5.0 7.4.1: the header's Sign out lands on /login, and `/`
    then asks for sign-in again."""
    sign_in(page, base_url)
    expect(page).to_have_url(f"{base_url}/")
    page.locator("header .who").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base_url}/login")
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/login?next=/")


def test_pages_load_only_from_this_server_without_csp_violations(page: Page, base_url: str) -> None:
    """ASVS 5.0 3.4.3 (CSP self only) and the issue's "nothing loaded from another host": loading
    /login and / logs no console errors or failed requests, and every request is to this server."""
    console: list[ConsoleMessage] = []
    failed: list[Request] = []
    requested: list[str] = []
    page.on("console", lambda message: console.append(message))
    page.on("requestfailed", lambda request: failed.append(request))
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto(f"{base_url}/login")
    assert (
        response is not None and "default-src 'self'" in response.headers["content-security-policy"]
    )
    sign_in(page, base_url)
    expect(page).to_have_url(f"{base_url}/")
    page.wait_for_load_state("load")

    problems = [f"{m.type}: {m.text}" for m in console if m.type in ("error", "warning")]
    assert problems == []
    assert [r.url for r in failed] == []
    assert f"{base_url}/static/app.css" in requested and f"{base_url}/static/app.js" in requested
    assert [url for url in requested if not url.startswith(f"{base_url}/")] == []
