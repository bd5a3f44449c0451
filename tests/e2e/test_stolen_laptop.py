"""Browser walk of the stolen laptop, end to end (Playwright on Debian's chromium).

A HIPAA covered entity's laptop with 2,300 patients' names and SSNs (NY 900, NJ 1,100, CA 300)
is stolen. The privacy officer logs it, chooses to notify without an assessment (the breach is
presumed, 45 CFR 164.402(2)), enters the notice details once, drafts one individual letter and
the NY media notice (more than 500 NY residents, 164.406), and submits both; legal approves. The
NJ State Police are told first (N.J.S.A. 56:8-163(c)(1)); the mailing list of the 2,300 is
uploaded, checked against the counts entered (the same, so no duty changes) and confirmed, and the
merged letters are started: the first 20 are made in the request, and their PDF is read (and
its first page rendered to look at); the other 2,280 are the scheduler's work, many minutes of
PDF rendering, so the joined PDF is downloaded in test_individuals_flow.py (44 people). The
letter is recorded as mailed to all 2,300 and settles F1 (164.404), NY1 (Gen. Bus. Law
§ 899-aa(2)), NJ2 (56:8-163(a)) and CA1 (Civ. Code § 1798.82(a), with the 12-month offer
§ 1798.82(d)(2)(G) requires for SSNs) at once. Then
discovery is corrected by three days: the approved media notice prints the old date, so it is
flagged stale on its page, the incident page and the board, and the board lists every open duty.

Today is Monday 2026-11-23 (the injected clock). Discovered Monday 2026-11-02, the media notice
prints "November 2, 2026"; corrected to Friday 2026-10-30 it should print "October 30, 2026".
The organisation profile and the legal reviewer's account are set up through the services.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Incident, ObligationRecord
from incident_tracker.services import organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, make_user
from tests.e2e.conftest import ARTIFACTS, Serve, screenshot, sign_in
from tests.services.notice_support import FULL_DETAILS
from tests.services.sending_support import ORG

LEGAL = "legal@example.org"
DISCOVERED, CORRECTED = "2026-11-02", "2026-10-30"
RESIDENTS = (("NY", "900"), ("NJ", "1100"), ("CA", "300"))
SETTLED = ("F1", "NY1", "NJ2", "CA1")


def set_up(settings: Settings, clock: FixedClock) -> None:
    """Not the point of the walk: the organisation profile and a second user for legal."""
    make_user(settings, LEGAL, "legal_reviewer")
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            organisation.update(call, ORG)
    finally:
        engine.dispose()


def obligation_ids(settings: Settings) -> tuple[int, dict[str, int], set[int]]:
    """The incident, its live obligations by rule id (and State), and the legal duties still
    open (F8, the six-year documentation record of 164.530(j), is kept, not sent)."""
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            incident = session.exec(select(Incident)).one()
            rows = [
                r
                for r in session.exec(
                    select(ObligationRecord).where(ObligationRecord.incident_id == incident.id)
                )
                if r.live
            ]
    finally:
        engine.dispose()
    ids = {f"{r.rule_id} {r.state}".strip(): r.id or 0 for r in rows}
    still_open = {r.id or 0 for r in rows if r.done_on is None and r.kind == "legal"}
    return incident.id or 0, ids, still_open


def log_the_incident(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/incidents/new")
    page.fill("#title", "Stolen laptop with patient schedules")
    page.fill("#narrative", "A clinic laptop was stolen from an employee's car.")
    page.select_option("#breach_type", "theft")
    page.select_option("#location", "laptop")
    page.check("input[name=occurred_kind][value=date]")
    page.fill("#occurred_on", "2026-10-28")
    page.fill("#discovered_on", DISCOVERED)
    page.select_option("#entity_type", "covered_entity")
    for row, (code, count) in enumerate(RESIDENTS, 1):
        page.get_by_label(f"State {row}", exact=True).fill(code)
        page.get_by_label(f"Residents affected in State {row}", exact=True).fill(count)
    for element in ("name", "ssn"):
        page.check(f"input[name=data_elements][value={element}]")
    page.check("input[name=medium][value=electronic]")
    page.check("input[name=acquired][value=yes]")
    page.check("input[name=phi_encrypted][value=no]")
    screenshot(page, "laptop-1-new-incident.png")
    page.get_by_role("button", name="Create incident").click()
    expect(page.locator("h1")).to_contain_text("Stolen laptop with patient schedules")


def mailing_list(path: Path) -> Path:
    """The 2,300 from the stolen laptop's schedules: 900 NY, 1,100 NJ, 300 CA, all living."""
    towns = {"NY": ("Albany", "12207"), "NJ": ("Trenton", "08608"), "CA": ("Fresno", "93650")}
    rows = ["name,address_line1,address_line2,city,state,zip,email,deceased"]
    for code, count in RESIDENTS:
        city, zip_code = towns[code]
        rows += [
            f"Pat {code} {i},{i} Main St,,{city},{code},{zip_code},,no" for i in range(int(count))
        ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def confirm_the_list_and_start_the_letters(
    page: Page, base_url: str, incident_id: int, csv_file: Path
) -> None:
    """The list matches the counts entered at intake, so confirming it changes no duty; the
    merged letters start with the approved letter, the first chunk made at once."""
    page.goto(f"{base_url}/incidents/{incident_id}/individuals")
    page.set_input_files("#file", str(csv_file))
    page.get_by_role("button", name="Check the list").click()
    expect(
        page.get_by_text("2,300 rows read; 2,300 people after removing 0 duplicates")
    ).to_be_visible()
    for code, count in RESIDENTS:
        shown = f"{int(count):,}"
        expect(page.get_by_role("row", name=f"{code} {shown} {shown}")).to_be_visible()
    screenshot(page, "laptop-6-list-preview.png")
    page.get_by_role(
        "button", name="Confirm: use these counts and recompute the obligations"
    ).click()
    expect(page.get_by_text("2,300 people, confirmed")).to_be_visible()
    page.get_by_role("button", name="Make the merged letters").click(timeout=90_000)
    expect(page.locator("#letter-count")).to_have_text("20 of 2,300", timeout=90_000)
    expect(page.locator("#letter-status")).not_to_have_text("failed")
    expect(page.get_by_role("link", name="Download PDF")).to_have_count(0)  # not all made yet
    screenshot(page, "laptop-6-letters-started.png")


def first_letters(settings: Settings) -> str:
    """The text of the first chunk's PDF (20 letters) where the worker keeps it until the run
    is joined; its first page is rendered to test-artifacts/laptop-letter-01.png to look at."""
    [chunk] = (settings.letter_storage / "work").glob("*/000000000.pdf")
    info = subprocess.run(["pdfinfo", str(chunk)], capture_output=True, text=True).stdout
    assert int(info.split("Pages:")[1].split()[0]) >= 20
    ARTIFACTS.mkdir(exist_ok=True)
    image = ARTIFACTS / "laptop-letter-01"  # pdftoppm adds .png
    pdftoppm = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*pdftoppm, str(chunk), str(image)], check=True)
    found = subprocess.run(["pdftotext", str(chunk), "-"], capture_output=True, text=True)
    return found.stdout


def notify_without_assessment(page: Page) -> None:
    page.locator(".primary-action").get_by_role("link").click()  # the summary's next step
    expect(page.locator("h1")).to_have_text("How will you decide?")
    page.check('input[name=approach][value="notify"]')
    page.get_by_role("button", name="Save and continue").click()
    screenshot(page, "laptop-2-assessment-next.png")


def test_the_stolen_laptop_from_intake_to_a_stale_media_notice(
    page: Page,
    browser: Browser,
    serve: Serve,
    settings: Settings,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    set_up(settings, clock)
    base_url = serve(settings)
    sign_in(page, base_url)
    log_the_incident(page, base_url)
    notify_without_assessment(page)
    incident_id, ids, _ = obligation_ids(settings)
    screenshot(page, "laptop-3-incident.png")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Review and sign")
    page.fill("#q-signer_name", "Pat Officer")
    page.check("input[name=attest][value=yes]")
    page.get_by_role("button", name="Sign the assessment").click()
    expect(page.locator("h1")).to_have_text("Breach risk assessment, version 1")

    # The notice details, once for every draft (the CA offer of § 1798.82(d)(2)(G) included).
    page.goto(f"{base_url}/incidents/{incident_id}/notice-details")
    page.fill("#what_happened", FULL_DETAILS["what_happened"])
    page.fill("#what_we_are_doing", FULL_DETAILS["what_we_are_doing"])
    page.fill("#notice_date", "2026-11-20")
    page.fill("#ip_provider", "IDShield")
    page.fill("#ip_months", "12")
    page.fill("#ip_enrollment_url", "https://idshield.example/enroll")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".flash")).to_contain_text("Notice details saved (revision 1)")

    letter_url = f"{base_url}/incidents/{incident_id}/obligations/{ids['F1']}/notice"
    media_url = f"{base_url}/incidents/{incident_id}/obligations/{ids['F3 NY']}/notice"
    for url, name in ((letter_url, "letter"), (media_url, "media")):
        page.goto(url)
        page.get_by_role("button", name="Create the draft").click()
        expect(page.locator("#review")).to_contain_text("Draft")
        screenshot(page, f"laptop-4-{name}-draft.png")
        page.get_by_role("button", name="Submit for legal review").click()
        expect(page.locator("#review")).to_contain_text("In legal review")

    legal_context = browser.new_context(viewport={"width": 1280, "height": 900})
    legal = legal_context.new_page()
    try:
        sign_in(legal, base_url, LEGAL)
        for url, name in ((letter_url, "letter"), (media_url, "media")):
            legal.goto(url)
            legal.get_by_role("button", name="Approve version 1").click()
            expect(legal.locator("#review")).to_contain_text("Approved")
            screenshot(legal, f"laptop-5-{name}-approved.png")
    finally:
        legal_context.close()

    # The NJ State Police first (56:8-163(c)(1)), then the one letter to all 2,300.
    page.goto(f"{base_url}/incidents/{incident_id}/obligations/{ids['NJ1']}/sent")
    page.fill("#sent_on", "2026-11-18")
    page.select_option("#method", "portal")
    page.fill("#reference", "NJSP-2026-4411")
    page.get_by_role("button", name="Record as sent").click()
    before = obligation_ids(settings)
    page.set_default_navigation_timeout(90_000)  # the first 20 letters are made in the request
    confirm_the_list_and_start_the_letters(
        page, base_url, incident_id, mailing_list(tmp_path / "list.csv")
    )
    page.set_default_navigation_timeout(10_000)
    assert obligation_ids(settings) == before  # the same counts: the same duties, still open
    letters_text = first_letters(settings)
    assert "Dear Pat NY 0:" in letters_text and "Dear Pat NY 19:" in letters_text
    assert "IDShield" in letters_text and "12 months" in letters_text  # § 1798.82(d)(2)(G)
    assert "MISSING" not in letters_text and "DRAFT" not in letters_text
    page.goto(f"{base_url}/incidents/{incident_id}/obligations/{ids['F1']}/sent")
    expect(page.locator("#notice_version_id")).to_be_checked()
    settles = page.locator("#settles")
    for key in ("NY1", "NJ2", "CA1"):
        expect(settles.locator(f'[data-obligation-id="{ids[key]}"]')).to_have_attribute(
            "data-settles", "yes"
        )
    page.fill("#sent_on", "2026-11-20")
    page.select_option("#method", "mail")
    page.fill("#recipients", "2,300")
    page.fill("#reference", "USPS 3877 firm mailing book")
    screenshot(page, "laptop-7-record-sent.png")
    page.get_by_role("button", name="Record as sent").click()
    expect(page.locator("#sent")).to_contain_text("2,300 recipients")
    page.goto(f"{base_url}/incidents/{incident_id}/obligations")
    for key in SETTLED:
        expect(page.locator(f'[data-obligation-id="{ids[key]}"]').first).to_have_attribute(
            "data-status", "done"
        )
    screenshot(page, "laptop-8-incident-sent.png")
    page.locator("table.obligations").first.screenshot(
        path=str(screenshot(page, "laptop-8-incident-sent.png").with_name("laptop-8-table.png"))
    )

    # Discovery corrected: the approved media notice prints the old date, so it is stale.
    page.goto(f"{base_url}/incidents/{incident_id}/edit")
    page.fill("#discovered_on", CORRECTED)
    page.get_by_role("button", name="Save and recompute").click()
    expect(page.locator("[data-count=stale]")).not_to_contain_text("0 stale")  # the summary
    page.goto(f"{base_url}/incidents/{incident_id}/notices")
    expect(page.locator(f"#notice-{ids['F3 NY']}")).to_contain_text("stale")
    page.goto(media_url)
    stale = page.locator("#facts-stale")
    expect(stale).to_have_attribute("data-facts-status", "stale")
    expect(stale).to_contain_text("November 2, 2026 → October 30, 2026")
    screenshot(page, "laptop-9-media-stale.png")

    # The board: every open duty of the incident once, as a row with its id and status.
    page.goto(f"{base_url}/")
    _, ids, still_open = obligation_ids(settings)
    rows = page.locator("tr[data-obligation-id]")
    shown = [int(v) for v in rows.evaluate_all("rs => rs.map(r => r.dataset.obligationId)")]
    assert sorted(shown) == sorted(still_open)
    for key in SETTLED:
        assert ids[key] not in shown
    expect(page.locator('tr[data-obligation-id][data-status="open"]')).to_have_count(
        len(still_open)
    )
    media_row = page.locator(f'tr[data-obligation-id="{ids["F3 NY"]}"]')
    expect(media_row.locator('[data-facts-status="stale"]')).to_have_text("stale notice")
    expect(page.locator('tr [data-facts-status="stale"]')).to_have_count(1)
    screenshot(page, "laptop-10-board.png")
