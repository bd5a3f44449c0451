"""Browser check of the deadline board's "Later" group (Playwright on Debian's chromium).

Today is Mon 2026-11-23 in New York. A laptop stolen and discovered Sat 2026-11-21, 300 CA
residents: CA1 (Civ. Code 1798.82(a)(2), 30 calendar days) 2026-12-21, in 28 days; F1 (45 CFR
164.404(b), 60 days) 2027-01-20, in 58 days. Both more than 7 days out: "Later". Screenshot in
test-artifacts/board-later.png.
"""

from __future__ import annotations

from dataclasses import replace

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.db.models import ObligationRecord, User
from tests.e2e.conftest import OFFICER, screenshot, sign_in
from tests.web.test_board_every_duty import LAPTOP
from tests.web.test_incident_lifecycle import seed


def test_the_board_lists_duties_28_and_58_days_out_under_later(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            officer = session.exec(select(User).where(User.email == OFFICER)).one()
        (incident_id,) = seed(settings, clock, replace(LAPTOP, owner_id=officer.id))
        with Session(engine) as session:
            ids = {
                r.rule_id: r.id
                for r in session.exec(
                    select(ObligationRecord).where(ObligationRecord.incident_id == incident_id)
                )
            }
    finally:
        engine.dispose()
    sign_in(page, base_url)
    later = page.locator("section[aria-labelledby=later-h]")
    expect(later.get_by_role("heading")).to_have_text("Later (3)")
    ca1 = later.locator(f'tr[data-obligation-id="{ids["CA1"]}"]')
    f1 = later.locator(f'tr[data-obligation-id="{ids["F1"]}"]')
    expect(ca1).to_have_attribute("data-status", "open")
    expect(f1).to_have_attribute("data-status", "open")
    expect(ca1).to_contain_text("2026-12-21")
    expect(ca1).to_contain_text("in 28 days")
    expect(f1).to_contain_text("2027-01-20")
    expect(f1).to_contain_text("in 58 days")
    expect(ca1).to_contain_text("complete and sign the risk assessment")
    rows = later.locator("tr[data-obligation-id]")
    expect(rows.first).to_have_attribute("data-obligation-id", str(ids["CA1"]))  # soonest first
    for other in ("overdue", "week", "waiting", "none"):
        expect(
            page.locator(f"section[aria-labelledby={other}-h] tr[data-obligation-id]")
        ).to_have_count(0)
    screenshot(page, "board-later.png")
