"""The header in Debian's chromium: an admin's links fit on one line at 1366×768 and nothing
scrolls sideways at 390×844; every link stays reachable from the keyboard (WCAG 2.2 2.1.1,
1.4.10 reflow)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from incident_tracker.config import Settings
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import Serve, screenshot, sign_in

ADMIN = "administrator.of.the.privacy.office@example-hospital.org"
# Every link an admin's header offers, by its text: each must be reachable by Tab.
ADMIN_LINKS = (
    "Deadlines",
    "Incidents",
    "My duties",
    "Dashboard",
    "Annual log",
    "Users",
    "Organisation",
    "Audit trail",
    "Outbox",
    "Webhooks",
    "Access review",
    "Rule sets",
    "Notifications",
    "Calendar",
    "Password",
    "Two-step sign-in",
    "Sessions",
    "API tokens",
)
# How many lines the header's items stand on (an item on two lines counts as another).
ROWS = """() => {
  const lines = new Set();
  for (const item of document.querySelectorAll(
      "header.top > *, header.top nav > *, header.top .who > *")) {
    const box = item.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    lines.add(box.height > 32 ? -1 : Math.round(box.top + box.height / 2));
  }
  return lines.size;
}"""


def test_an_admins_header_fits_one_line_at_1366_and_reflows_at_390(
    page: Page, serve: Serve, settings: Settings
) -> None:
    make_user(settings, ADMIN, "admin")
    base_url = serve(settings)
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, base_url, ADMIN, PASSWORD)
    expect(page.locator("h1")).to_contain_text("Deadline board")
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 50, header
    assert page.evaluate(ROWS) == 1
    # An unread count widens the Notifications link; the header still keeps one line.
    page.evaluate(
        """() => document.querySelector('header.top a[href="/notifications"]')
            .insertAdjacentHTML("beforeend", ' <span class="tag">12 unread</span>')"""
    )
    assert page.evaluate(ROWS) == 1
    page.locator("header.top summary").get_by_text("Admin", exact=True).click()
    screenshot(page, "header-admin-1366.png")
    page.keyboard.press("Escape")
    expect(page.locator("header.top details.menu[open]")).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("header.top .who summary").click()  # opens in place, inside the width
    expect(page.get_by_role("link", name="API tokens")).to_be_visible()
    screenshot(page, "header-admin-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def focused(page: Page) -> tuple[str, str]:
    return page.evaluate(
        """() => { const e = document.activeElement;
            return [e.closest("header.top") ? e.tagName : "", e.textContent.trim()]; }"""
    )


def test_every_header_link_is_reached_by_tab_with_the_menus_opened_by_enter(
    page: Page, serve: Serve, settings: Settings
) -> None:
    make_user(settings, ADMIN, "admin")
    base_url = serve(settings)
    sign_in(page, base_url, ADMIN, PASSWORD)
    expect(page.locator("h1")).to_contain_text("Deadline board")
    reached: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        tag, text = focused(page)
        if tag == "SUMMARY":
            page.keyboard.press("Enter")
        elif tag == "A":
            reached.append(text)
        elif tag == "BUTTON":  # Sign out: the header's last control
            break
    assert [t for t in ADMIN_LINKS if t not in reached] == []
