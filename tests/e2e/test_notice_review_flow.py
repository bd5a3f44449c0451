"""Browser test of the notice review: Playwright driving Debian's chromium.

The privacy officer enters the notice details once and drafts the individual notice from its
obligation; a legal reviewer comments on a paragraph and approves; the officer downloads the
approved PDF (rendered to PNG with pdftoppm for a look), records it sent through the record-sent
form, and the obligations that run from the individual notice move.

The incident: 600 NY residents, names and SSNs, breach 2026-10-15, discovered Monday 2026-10-19.
Hand-computed (docs/law/rules.md): F1 = discovery + 60 days = 2026-12-18 (45 CFR 164.404(b)); F4,
500 or
more, contemporaneous with individual notice, outer limit the F1 date = 2026-12-18 (164.408(b));
NY5, 5 NY business days after the HHS notice (899-aa(9)), 2026-12-18 (Fri) -> Dec 21, 22, 23, 24,
(25 Christmas), 28 = 2026-12-28.
Letters sent Friday 2026-11-20: F4 -> 2026-11-20; NY5 -> Nov 23, 24, 25, (26 Thanksgiving), 27,
30 = 2026-11-30.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from datetime import date

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import ObligationRecord, User
from incident_tracker.services import incidents, organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, make_user
from tests.e2e.conftest import ARTIFACTS, OFFICER, Serve, screenshot, sign_in
from tests.services.notice_support import FULL_DETAILS, ORG

LEGAL = "legal@example.org"
INCIDENT = IncidentValues(
    title="Stolen laptop with claim files",
    discovered_on=date(2026, 10, 19),
    occurred_on=date(2026, 10, 15),
    breach_type="theft",
    location="laptop",
    states={"NY": 600},
    data_elements=("name", "ssn"),
    medium="electronic",
    acquired=True,
    phi_encrypted=False,
    risk_assessment="not_low_probability",
)


def make_incident(settings: Settings, clock: FixedClock) -> tuple[int, dict[str, int]]:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            officer = session.exec(select(User).where(User.email == OFFICER)).one()
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            organisation.update(call, ORG)
            made = incidents.create(
                call, IncidentValues(**{**INCIDENT.__dict__, "owner_id": officer.id})
            )
        with Session(engine) as session:
            rows = session.exec(
                select(ObligationRecord).where(ObligationRecord.incident_id == made.id)
            ).all()
            return made.id or 0, {r.rule_id + r.state: r.id or 0 for r in rows}
    finally:
        engine.dispose()


def due_cell(page: Page, obligation_id: int) -> str:
    return page.locator(f"#obligation-{obligation_id} td").nth(1).inner_text()  # Duty, Due, ...


def test_officer_drafts_legal_comments_and_approves_officer_exports_and_records_it_sent(
    page: Page, browser: Browser, serve: Serve, settings: Settings, clock: FixedClock
) -> None:
    make_user(settings, LEGAL, "legal_reviewer")
    iid, ids = make_incident(settings, clock)
    base_url = serve(settings)
    notice_url = f"{base_url}/incidents/{iid}/obligations/{ids['F1']}/notice"

    # The officer: the notices section, the details entered once, the draft and its check.
    sign_in(page, base_url)
    page.goto(f"{base_url}/incidents/{iid}/obligations")
    assert "2026-12-18" in due_cell(page, ids["F4"])
    assert "2026-12-28" in due_cell(page, ids["NY5"])
    page.goto(f"{base_url}/incidents/{iid}/notices")
    notices = page.locator("#notices")
    expect(notices.locator("#notice-" + str(ids["F1"]))).to_contain_text("Not drafted")
    notices.get_by_role("link", name="Notice details").click()
    page.fill("#what_happened", FULL_DETAILS["what_happened"])
    page.fill("#what_we_are_doing", FULL_DETAILS["what_we_are_doing"])
    page.fill("#notice_date", "2026-11-20")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".flash")).to_contain_text("Notice details saved (revision 1)")
    page.goto(notice_url)
    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator("#review")).to_contain_text("Draft")
    expect(page.locator(".check-list")).to_contain_text("45 CFR 164.404(c)(1)(A)")
    expect(page.locator(".review-side")).to_contain_text("Nothing missing.")
    expect(page.locator(".notice-text")).to_contain_text(FULL_DETAILS["what_happened"])
    page.get_by_role("button", name="Submit for legal review").click()
    expect(page.locator("#review")).to_contain_text("In legal review")
    screenshot(page, "notice-review-1-officer-submitted.png")

    # Legal: a comment on the "What Happened" paragraph, then approval.
    legal_context = browser.new_context(viewport={"width": 1280, "height": 900})
    legal = legal_context.new_page()
    try:
        sign_in(legal, base_url, LEGAL)
        legal.goto(notice_url)
        paragraph = legal.locator(".para", has_text=FULL_DETAILS["what_happened"])
        paragraph.locator("summary", has_text="Comment on this paragraph").click()
        paragraph.locator("textarea").fill("Say when the laptop was stolen & where it was.")
        paragraph.get_by_role("button", name="Add comment").click()
        thread = legal.locator(".thread")
        expect(thread).to_contain_text("Say when the laptop was stolen & where it was.")
        expect(legal.locator(".para", has=thread)).to_contain_text(FULL_DETAILS["what_happened"])
        legal.get_by_role("button", name="Approve version 1").click()
        expect(legal.locator("#review")).to_contain_text("Approved")
        expect(legal.locator(".flash")).to_contain_text("Version 1 approved and locked")
        screenshot(legal, "notice-review-2-legal-approved.png")
    finally:
        legal_context.close()

    # The officer exports the approved PDF and checks it against the hash on the page.
    page.goto(notice_url)
    shown_hash = re.search(r"SHA-256 ([0-9a-f]{64})", page.locator("#pdf-v1 + code").inner_text())
    assert shown_hash is not None
    with page.expect_download() as download_info:
        page.locator("#pdf-v1").click()
    pdf_path = ARTIFACTS / "notice-review-approved.pdf"
    download_info.value.save_as(pdf_path)
    content = pdf_path.read_bytes()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == shown_hash.group(
        1
    )
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Notice of Data Breach" in text and "stolen from an employee" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_path),
            str(ARTIFACTS / "notice-review-approved"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "notice-review-approved-1.png").stat().st_size > 0

    # ... and records it sent through the record-sent form; the obligations move.
    page.goto(f"{base_url}/incidents/{iid}/obligations/{ids['F1']}/sent")
    expect(page.locator("#notice_version_id")).to_be_checked()
    page.fill("#sent_on", "2026-11-20")
    page.select_option("#method", "mail")
    page.fill("#recipients", "600")
    page.get_by_role("button", name="Record as sent").click()
    page.wait_for_url(f"**/incidents/{iid}/notices#sent")
    expect(page.locator(f"#notice-{ids['F1']}")).to_contain_text("Sent")
    page.locator("#notices").screenshot(path=str(ARTIFACTS / "notice-review-4-notices-section.png"))
    page.goto(f"{base_url}/incidents/{iid}/obligations")
    expect(page.locator(f"#obligation-{ids['F4']}")).to_be_visible()
    assert "2026-11-20" in due_cell(page, ids["F4"])
    assert "2026-11-30" in due_cell(page, ids["NY5"])
    screenshot(page, "notice-review-3-recorded-sent.png")
    page.goto(notice_url)
    expect(page.locator("#review")).to_contain_text("Sent")
    expect(page.locator("#edit-text")).to_have_count(0)
