"""Browser check of break-glass (Playwright on Debian's chromium): an admin who is not on a
restricted incident gets "does not exist", follows the break-glass offer, gives a reason and sees
the incident, with its use listed on its People section. Screenshot in
test-artifacts/break-glass.png."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.db.models import User
from tests.conftest import make_user
from tests.e2e.conftest import OFFICER, screenshot, sign_in
from tests.services.test_obligation_versions import NY_600
from tests.web.test_incident_lifecycle import seed

ADMIN = "glass-admin@example.org"


def test_an_admin_breaks_the_glass_with_a_reason_and_sees_the_incident(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            officer = session.exec(select(User).where(User.email == OFFICER)).one()
    finally:
        engine.dispose()
    secret = replace(
        NY_600,
        title="Quokka psychiatry export",
        restricted=True,
        owner_id=officer.id,
        discovered_on=date(2026, 10, 1),
    )
    (incident_id,) = seed(settings, clock, secret)
    make_user(settings, ADMIN, "admin")
    sign_in(page, base_url, ADMIN)
    page.goto(f"{base_url}/incidents/{incident_id}")
    expect(page.locator("h1")).to_have_text("404")
    expect(page.get_by_text("Quokka")).to_have_count(0)
    page.get_by_role("link", name="break the glass").click()
    page.get_by_role("button", name="Break glass").click()  # the browser asks for the reason
    expect(page.locator("#reason:invalid")).to_have_count(1)
    page.get_by_label("Reason").fill("Owner on leave; HHS called about this export today")
    page.get_by_role("button", name="Break glass").click()
    expect(page.locator("h1")).to_contain_text("Quokka psychiatry export")
    page.get_by_role("link", name="People", exact=True).click()  # the section listing the uses
    uses = page.locator("#break-glass-uses li")
    expect(uses).to_have_count(1)
    expect(uses).to_contain_text(ADMIN)
    expect(uses).to_contain_text("access until 2026-11-23 13:00 UTC")
    screenshot(page, "break-glass.png")
