"""The auditor pages in Chromium: the dashboard's four server-drawn charts each beside its table,
and the annual small-breach log with a submission recorded through its form (45 CFR 164.408(c)),
which marks F5 done. Screenshots go to test-artifacts/."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from incident_tracker import signing
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.db.models import ObligationRecord, User
from incident_tracker.services import evidence_files, sending
from incident_tracker.services.sending import SentInput
from tests.e2e.conftest import OFFICER, screenshot, sign_in
from tests.services.sending_support import NY_CA, as_user, load, obligation_id
from tests.web.test_incident_lifecycle import seed


def _seed(settings: Settings, clock: FixedClock) -> list[int]:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            officer = session.exec(select(User).where(User.email == OFFICER)).one()
    finally:
        engine.dispose()
    small = replace(NY_CA, owner_id=officer.id, states={"NY": 120})
    ids = seed(
        settings,
        clock,
        small,
        replace(
            small,
            title="Misdirected fax",
            discovered_on=date(2026, 10, 5),
            breach_type="unauthorized_access_disclosure",
        ),
        replace(
            NY_CA,
            owner_id=officer.id,
            title="Server intrusion",
            occurred_on=date(2026, 5, 30),
            discovered_on=date(2026, 6, 2),
        ),
    )
    # The intrusion's letters went out on 2026-07-20, 48 days after discovery: F1 on time
    # (due 60 days after 2026-06-02, 2026-08-01, 45 CFR 164.404(b)).
    engine = make_engine(settings.db_url)
    try:
        f1 = obligation_id(engine, ids[2], "F1")
        as_user(
            engine,
            clock,
            None,
            lambda c: sending.record_sent(
                c, load(c, ids[2]), f1, SentInput(date(2026, 7, 20), "mail", 1200)
            ),
        )
    finally:
        engine.dispose()
    return ids


def test_the_dashboard_shows_four_charts_with_their_tables(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    _seed(settings, clock)
    sign_in(page, base_url)
    page.goto(f"{base_url}/dashboard?year=2026")
    for chart in ("chart-per-month", "chart-days", "chart-on-time", "chart-weeks"):
        section = page.locator(f"#{chart}")
        expect(section.locator("svg.chart")).to_be_visible()
        expect(section.locator("table.chart-table")).to_be_visible()
    per_month = page.locator("#chart-per-month table.chart-table tbody tr")
    expect(per_month).to_have_count(1)  # one row: no incident type was given
    expect(per_month.first.locator("td").last).to_have_text("3")
    days = page.locator("#chart-days table.chart-table tbody tr").nth(1)
    expect(days.locator("td")).to_have_text(["1", "48.0", "48", "48"])
    expect(page.locator("#chart-on-time table.chart-table tbody tr").first).to_contain_text("F1")
    screenshot(page, "dashboard.png")


def test_the_annual_log_records_a_submission_from_its_form(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    ids = _seed(settings, clock)
    sign_in(page, base_url)
    page.goto(f"{base_url}/annual-log/2026")
    entries = page.locator("section.annual-entry")
    expect(entries).to_have_count(2)  # the 1,200-resident intrusion reports to HHS at once (F4)
    first = page.locator(f"#entry-{ids[0]}")
    first.get_by_label("Submitted on").fill("2026-11-16")
    first.get_by_label("Portal confirmation number").fill("OCR-2026-001")
    first.get_by_role("button", name="Record submission").click()
    expect(page.locator(f"#entry-{ids[0]}")).to_have_attribute("data-status", "submitted")
    screenshot(page, "annual-log.png")
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            f5 = session.exec(
                select(ObligationRecord).where(
                    ObligationRecord.incident_id == ids[0], ObligationRecord.rule_id == "F5"
                )
            ).one()
    finally:
        engine.dispose()
    assert (f5.done_on, f5.done_reference) == (date(2026, 11, 16), "OCR-2026-001")


def test_the_evidence_file_is_asked_for_built_and_offered_for_download(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    ids = _seed(settings, clock)
    sign_in(page, base_url)
    page.goto(f"{base_url}/incidents/{ids[2]}/evidence")
    page.locator("#evidence-file-link a").click()
    page.get_by_label("Include privileged material").check()
    page.get_by_role("button", name="Build the evidence file").click()
    expect(page.locator("#evidence-status")).to_have_attribute("data-status", "queued")
    engine = make_engine(settings.db_url)
    try:
        assert evidence_files.worker_for(engine, settings, clock.now).step()
    finally:
        engine.dispose()
    page.locator("#evidence-refresh").click()
    expect(page.locator("#evidence-status")).to_have_attribute("data-status", "done")
    expect(page.locator("#evidence-status")).to_contain_text("privileged material included")
    screenshot(page, "evidence-file.png")
    with page.expect_download() as download:
        page.locator("#evidence-download").click()
    path = download.value.path()
    assert signing.verify_zip(path).ok
