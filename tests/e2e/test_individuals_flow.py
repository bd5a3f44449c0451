"""Browser test: the officer uploads the affected-individual list, checks
the per-State preview, confirms it, makes the merged letters while the page follows their
progress, downloads the PDF (rendered to PNG to look at), and records the letters as sent with
proof; the obligations update. Playwright on Debian's chromium against 127.0.0.1. The individual
notice is approved by legal first (set up through the services): letters made from a draft carry
"DRAFT — not approved" and cannot be recorded as sent.

Hand-computed: discovered Monday 2026-09-14, so F1 is due 2026-11-13 (60 days, 164.404(b)).
The letters recorded as mailed Friday 2026-11-20 are also the NY resident notice (§ 899-aa(2)(b)),
so NY1 is done that day and the NY agencies' notice that goes "with" it (NY3-AG, § 899-aa(8)(a))
is due 2026-11-20.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import ObligationRecord, User
from incident_tracker.services import incidents, letters, organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, make_user
from tests.e2e.conftest import ARTIFACTS, OFFICER, screenshot, sign_in
from tests.services.sending_support import NY_CA, ORG, People, approve_individual_notice

HEADER = "name,address_line1,address_line2,city,state,zip,email,deceased"


def mailing_list() -> str:
    """44 people (30 NY, 14 CA) and one repeated line: more than two chunks of 20 letters."""
    rows = [f"Nia Vale {i},{i} Elm St,,Albany,NY,12207,,no" for i in range(30)]
    rows += [f"Cal Vale {i},{i} Palm Ave,,Fresno,CA,93650,,no" for i in range(14)]
    rows.insert(5, "nia vale 0,0 Elm Street,,ALBANY,NY,12207,,no")
    return "\n".join((HEADER, *rows)) + "\n"


def seed(settings: Settings, clock: FixedClock) -> int:
    """The incident, and its individual notice (F1) drafted by the officer and approved by a legal
    reviewer, so the letters are made from the approved version."""
    legal = make_user(settings, "legal@example.org", "legal_reviewer")
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            officer = session.exec(select(User).where(User.email == OFFICER)).one()
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            organisation.update(call, ORG)
            incident_id = incidents.create(call, replace(NY_CA, owner_id=officer.id)).id or 0
        people = People(officer=officer, reviewer=legal, reader=legal)
        approve_individual_notice(engine, clock, people, incident_id, settings.notice_storage)
        return incident_id
    finally:
        engine.dispose()


def due_of(settings: Settings, incident_id: int, rule: str) -> tuple[str | None, str | None]:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            row = session.exec(
                select(ObligationRecord).where(
                    ObligationRecord.incident_id == incident_id, ObligationRecord.rule_id == rule
                )
            ).one()
            return (str(row.due) if row.due else None, str(row.done_on) if row.done_on else None)
    finally:
        engine.dispose()


def test_officer_uploads_the_list_makes_the_letters_and_records_them_sent(
    page: Page, base_url: str, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    incident_id = seed(settings, clock)
    sign_in(page, base_url)
    page.goto(f"{base_url}/incidents/{incident_id}/notices")
    page.get_by_role("link", name="The list and the merged letters").click()
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(mailing_list(), encoding="utf-8")
    page.set_input_files("#file", str(csv_file))
    page.get_by_role("button", name="Check the list").click()
    expect(page.get_by_text("45 rows read; 44 people after removing 1 duplicate")).to_be_visible()
    expect(page.get_by_role("row", name="CA 600 14")).to_be_visible()
    screenshot(page, "individuals-preview.png")
    page.get_by_role("button", name="Confirm: use these counts").click()
    expect(page.get_by_text("44 people, confirmed")).to_be_visible()

    page.set_default_navigation_timeout(60_000)  # the first chunk of 20 is made in the request
    page.get_by_role("button", name="Make the merged letters").click(timeout=60_000)
    expect(page.locator("#letter-count")).to_have_text("20 of 44")  # the first chunk, inline
    bar = page.locator("#letter-bar")
    expect(bar).to_have_attribute("value", "20")
    screenshot(page, "letters-progress.png")
    worker = letters.LetterWorker(
        make_engine(settings.db_url),
        AUDIT_KEY,
        settings.instance_path / "letters",
        clock.now,
    )
    assert worker.step()  # the scheduler's part, played by the test: 40 of 44
    expect(page.locator("#letter-count")).to_have_text("40 of 44", timeout=15_000)
    assert worker.step()  # 44 of 44, then the files are joined
    worker.engine.dispose()
    download_link = page.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible(timeout=15_000)
    screenshot(page, "letters-done.png")
    with page.expect_download() as event:
        download_link.click()
    pdf = tmp_path / "letters.pdf"
    event.value.save_as(pdf)
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:" in pages and int(pages.split("Pages:")[1].split()[0]) >= 44
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "letter")],
        check=True,
    )
    assert (ARTIFACTS / "letter-01.png").stat().st_size > 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Dear Nia Vale 0:" in text and "Dear Cal Vale 13:" in text
    assert "DRAFT" not in text  # made from the approved version

    page.goto(f"{base_url}/incidents/{incident_id}/notices#sent")
    page.locator("#sent tr", has_text="F1").get_by_role("link", name="Record sent…").click()
    page.fill("#sent_on", "2026-11-20")
    page.select_option("#method", "mail")
    page.fill("#recipients", "44")
    page.fill("#reference", "USPS 3877 firm mailing book")
    receipt = tmp_path / "mailing-receipt.pdf"
    receipt.write_bytes(b"%PDF-1.4 USPS PS Form 3877")
    page.set_input_files("#proof", str(receipt))
    page.get_by_role("button", name="Record as sent").click()
    expect(page.locator("#sent")).to_contain_text(
        "2026-11-20 · first-class mail · 44 recipients · USPS 3877 firm mailing book"
    )
    expect(page.locator("#sent")).to_contain_text("mailing-receipt.pdf")
    screenshot(page, "sent-recorded.png")
    assert due_of(settings, incident_id, "F1")[1] == "2026-11-20"
    assert due_of(settings, incident_id, "NY1")[1] == "2026-11-20"
    assert due_of(settings, incident_id, "NY3-AG")[0] == "2026-11-20"
