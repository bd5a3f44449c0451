"""Browser test of the hand-offs between people: Playwright driving Debian's chromium, the hand-off
e-mails sent by the reminder dispatcher to the local SMTP server (tests/mailbox.py).

1. The officer submits the individual notice to the legal reviewer; legal finds it in "My reviews"
   and in an e-mail (no PHI, a link); legal requests changes; the officer is told, finds it in
   "Changes requested", edits and re-submits; legal approves; the officer is told.
2. A one-lawyer organisation: the reviewer who edited the HHS notice sees the approve button
   disabled with the reason; the administrator allows it on the organisation profile; the reviewer
   approves with the attestation.
3. A read-only user reports a possible incident; the privacy office sees it on the board; the
   reporter sees only its status.

The incident: 600 NY residents, discovered 2026-10-19 (tests/e2e/test_notice_review_flow.py):
F1 is due discovery + 60 days = 2026-12-18 (45 CFR 164.404(b)).
"""

from __future__ import annotations

import dataclasses

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Incident
from incident_tracker.mail import SMTPMailer
from incident_tracker.services import notice_details
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.dispatch import Dispatcher
from tests.conftest import AUDIT_KEY, make_user
from tests.e2e.conftest import OFFICER, Serve, screenshot, sign_in
from tests.e2e.test_notice_review_flow import make_incident
from tests.mailbox import Mailbox, body, link_in
from tests.services.notice_support import FULL_DETAILS

LEGAL = "legal@example.org"
ADMIN = "admin@example.org"
READER = "coder@example.org"
SLOW_MS = 20_000  # rendering a notice's approved DOCX and PDF on a busy machine takes seconds


def save_details(settings: Settings, clock: FixedClock, iid: int) -> None:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            incident = session.get(Incident, iid)
            assert incident is not None
            form = dict.fromkeys(notice_details.FORM_FIELDS, "") | FULL_DETAILS
            notice_details.save(call, incident, form, 0)
    finally:
        engine.dispose()


def test_review_round_trip_one_lawyer_attestation_and_a_staff_report(
    page: Page,
    browser: Browser,
    serve: Serve,
    settings: Settings,
    clock: FixedClock,
    mailbox: Mailbox,
) -> None:
    settings = dataclasses.replace(settings, mail=mailbox.settings)
    make_user(settings, LEGAL, "legal_reviewer")
    make_user(settings, ADMIN, "admin")
    make_user(settings, READER, "read_only")
    iid, ids = make_incident(settings, clock)
    save_details(settings, clock, iid)
    base_url = serve(settings)
    engine = make_engine(settings.db_url)
    dispatcher = Dispatcher(
        engine, AUDIT_KEY, SMTPMailer(mailbox.settings), "tracker@example.org", base_url, clock.now
    )
    f1_url = f"{base_url}/incidents/{iid}/obligations/{ids['F1']}/notice"
    page.set_default_timeout(SLOW_MS)
    legal_context = browser.new_context(viewport={"width": 1280, "height": 900})
    legal_context.set_default_timeout(SLOW_MS)
    legal = legal_context.new_page()
    try:
        # 1. The officer drafts and submits to the legal reviewer.
        sign_in(page, base_url)
        page.goto(f1_url)
        page.get_by_role("button", name="Create the draft").click()
        page.select_option("#reviewer", label="legal")
        page.get_by_role("button", name="Submit for legal review").click()
        expect(page.locator("#review")).to_contain_text("In legal review")
        expect(page.locator("#waiting-for")).to_contain_text("legal")

        # Legal: "My reviews" and the e-mail through the ledger.
        sign_in(legal, base_url, LEGAL)
        legal.locator("#nav-my-reviews").click()
        row = legal.locator(f'#queue-reviews tr[data-obligation-id="{ids["F1"]}"]')
        expect(row).to_contain_text("2026-12-18")
        screenshot(legal, "handoffs-1-my-reviews.png")
        assert dispatcher.tick().sent == 1
        mail = mailbox.wait_for(LEGAL)
        assert "submitted for your review" in str(mail["Subject"])
        assert "Due: 2026-12-18" in body(mail) and "laptop" not in body(mail)
        legal.goto(link_in(mail))
        expect(legal.locator("#review")).to_contain_text("In legal review")
        legal.get_by_role("button", name="Request changes").click()
        expect(legal.locator("#review")).to_contain_text("Changes requested")

        # The officer is told, finds it under "Changes requested", edits and re-submits.
        assert dispatcher.tick().sent == 1
        assert "changes requested" in str(mailbox.wait_for(OFFICER)["Subject"])
        page.goto(f"{base_url}/notifications")
        expect(page.locator("table.notifications")).to_contain_text("changes requested")
        page.locator("#nav-changes-requested").click()
        page.locator(f'#queue-changes tr[data-obligation-id="{ids["F1"]}"] a').nth(1).click()
        page.locator("#edit-text").click()
        text = page.locator("textarea#text")
        text.fill(text.input_value() + "\nCall us with any question.")
        page.get_by_role("button", name="Save as version 2").click()
        page.get_by_role("button", name="Submit for legal review").click()
        expect(page.locator("#review")).to_contain_text("In legal review")

        # Legal approves; the officer is told.
        assert dispatcher.tick().sent == 1
        assert "re-submitted" in str(mailbox.wait_for(LEGAL, count=2)["Subject"])
        legal.goto(f1_url)
        legal.get_by_role("button", name="Approve version 2").click()
        expect(legal.locator("#review")).to_contain_text("Approved")
        assert dispatcher.tick().sent == 1
        assert "approved" in str(mailbox.wait_for(OFFICER, count=2)["Subject"])
        page.goto(f"{base_url}/notifications")
        expect(page.locator("table.notifications")).to_contain_text("approved")
        screenshot(page, "handoffs-2-officer-notified.png")

        # 2. One lawyer: legal edits the HHS notice, so approval waits for the profile setting.
        f4_url = f"{base_url}/incidents/{iid}/obligations/{ids['F4']}/notice"
        page.goto(f4_url)
        page.get_by_role("button", name="Create the draft").click()
        legal.goto(f4_url)
        legal.locator("#edit-text").click()
        legal_text = legal.locator("textarea#text")
        legal_text.fill(legal_text.input_value() + "\nReviewed by counsel.")
        legal.get_by_role("button", name="Save as version 2").click()
        page.goto(f4_url)
        page.get_by_role("button", name="Submit for legal review").click()
        legal.goto(f4_url)
        expect(legal.locator("#approve")).to_be_disabled()
        expect(legal.locator("#approve-blocked")).to_contain_text(
            "asks another legal reviewer to approve it"
        )
        screenshot(legal, "handoffs-3-approve-disabled.png")
        admin_context = browser.new_context(viewport={"width": 1280, "height": 900})
        admin_context.set_default_timeout(SLOW_MS)
        admin = admin_context.new_page()
        try:
            sign_in(admin, base_url, ADMIN)
            admin.goto(f"{base_url}/admin/organisation")
            admin.check("#approver_may_be_editor")
            admin.get_by_role("button", name="Save notice review settings").click()
            expect(admin.locator(".flash")).to_contain_text("Notice review settings saved")
        finally:
            admin_context.close()
        legal.goto(f4_url)
        legal.get_by_role("button", name="Approve version 2").click()
        expect(legal.locator(".error", has_text="attestation")).to_contain_text(
            "you wrote this version: tick the attestation"
        )
        legal.check("#attest")
        legal.check("#override")  # the HHS form's own fields are filled on the portal
        legal.fill("#reason", "Filed on the OCR portal, which asks for these itself.")
        legal.get_by_role("button", name="Approve version 2").click()
        expect(legal.locator("#review")).to_contain_text("Approved")
        screenshot(legal, "handoffs-4-approved-with-attestation.png")
    finally:
        legal_context.close()

    # 3. A read-only user reports a possible incident.
    coder_context = browser.new_context(viewport={"width": 1280, "height": 900})
    coder_context.set_default_timeout(SLOW_MS)
    coder = coder_context.new_page()
    try:
        sign_in(coder, base_url, READER)
        coder.locator("#nav-report").click()
        coder.fill("#what_happened", "I pasted a patient's chart into a chatbot.")
        coder.fill("#first_knew_on", "2026-11-20")
        coder.fill("#whose_data", "one patient of the cardiology clinic")
        coder.select_option("#what_kind", "unauthorized_access_disclosure")
        coder.fill("#number_affected", "1")
        coder.get_by_role("button", name="Send to the privacy office").click()
        expect(coder.locator("#my-reports")).to_contain_text("Received by the privacy office")
        screenshot(coder, "handoffs-5-my-reports.png")
        with unit_of_work(engine) as session:
            number = session.exec(
                select(Incident.number).where(Incident.title.startswith("Staff report"))  # type: ignore[attr-defined]
            ).one()
            reported = session.exec(select(Incident.id).where(Incident.number == number)).one()
        assert coder.goto(f"{base_url}/incidents/{reported}").status == 404  # type: ignore[union-attr]
    finally:
        coder_context.close()
    page.goto(f"{base_url}/")
    expect(page.locator("main")).to_contain_text(number)
    screenshot(page, "handoffs-6-board-shows-the-report.png")
    engine.dispose()
