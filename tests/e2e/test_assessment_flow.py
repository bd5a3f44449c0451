"""Browser test of the guided risk assessment: Playwright driving Debian's
chromium through every step of the walk to a signed record, and back to a step after an idle
sign-out.

The incident is built so that every step applies: a CDPH-licensed facility's laptop, encrypted
to NIST SP 800-111 but with its password taped to it (so the key is compromised and the full
analysis follows), holding names, SSNs and diagnoses of 600 NY, 30 NJ and 40 CA residents.
Signed on 2026-11-23 (the injected clock, 04:00 in New York): the NY (2)(a) determination
covers more than 500 NY residents, so NY2 is due 10 days later, 2026-12-03 (hand-counted).
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import User
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, PASSWORD
from tests.e2e.conftest import ARTIFACTS, OFFICER, screenshot, sign_in

NY2_DUE = "2026-12-03"


def seed(settings: Settings, clock: FixedClock) -> int:
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            owner = session.exec(select(User).where(User.email == OFFICER)).one()
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            incident = incidents.create(
                call,
                IncidentValues(
                    title="Stolen clinic laptop",
                    discovered_on=date(2026, 11, 2),
                    entity_type="ca_licensed_health_facility",
                    breach_type="theft",
                    location="laptop",
                    states={"NY": 600, "NJ": 30, "CA": 40},
                    data_elements=("name", "ssn", "diagnosis"),
                    acquired=True,
                    owner_id=owner.id,
                ),
            )
            return incident.id or 0
    finally:
        engine.dispose()


def choose(page: Page, key: str, value: str) -> None:
    page.check(f'input[name={key}][value="{value}"]')


def write(page: Page, key: str, text: str) -> None:
    page.fill(f"#q-{key}", text)


def next_step(page: Page, title: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text(title)


def test_an_officer_walks_every_step_to_a_signed_record(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    """Every step of the walk in order, the proposal with its reasons, the state determinations,
    the signature, then the record with its answers, citations and version."""
    incident_id = seed(settings, clock)
    sign_in(page, base_url)
    page.goto(f"{base_url}/incidents/{incident_id}")
    expect(page.locator("[data-decision=none]")).to_contain_text("Not assessed yet")
    page.goto(f"{base_url}/incidents/{incident_id}/assessment")
    expect(page.locator("#assessment")).to_contain_text("Not assessed yet")
    page.get_by_role("link", name="Start the risk assessment").click()

    expect(page.locator("h1")).to_have_text("How will you decide?")
    choose(page, "approach", "assess")
    next_step(page, "Secured or unsecured PHI")
    choose(page, "encrypted", "yes")
    choose(page, "destruction", "none")
    next_step(page, "Encryption to the HHS guidance, and the key")
    choose(page, "encryption_use", "at_rest")
    choose(page, "encryption_standard", "sp800_111")
    choose(page, "fips", "140-2")
    choose(page, "key_compromised", "yes")
    choose(page, "device_state", "off")
    write(page, "encryption_evidence", "BitLocker on; the password was on a note in the bag.")
    next_step(page, "Exception 164.402(1)(i): good-faith workforce access")
    for key, value in (
        ("ei_workforce", "no"),
        ("ei_unintentional", "no"),
        ("ei_good_faith", "no"),
        ("ei_scope", "no"),
        ("ei_no_further", "no"),
    ):
        choose(page, key, value)
    next_step(page, "Exception 164.402(1)(ii): inadvertent disclosure between authorized persons")
    for key in ("eii_authorized_sender", "eii_authorized_recipient", "eii_inadvertent"):
        choose(page, key, "no")
    choose(page, "eii_no_further", "no")
    next_step(page, "Exception 164.402(1)(iii): the recipient could not have retained it")
    choose(page, "eiii_good_faith_belief", "no")
    next_step(page, "Factor (i): the nature and extent of the PHI")
    expect(
        page.locator("input[name=fi_identifiers][value=ssn]")
    ).to_be_checked()  # from the incident
    choose(page, "fi_clinical_detail", "detailed")
    choose(page, "fi_reidentification", "identified")
    choose(page, "fi_rating", "low")
    write(page, "fi_evidence", "Clinic schedule export: names, SSNs, diagnoses.")
    next_step(page, "Factor (ii): the unauthorized person")
    choose(page, "fii_recipient", "known_other")
    choose(page, "fii_obligated", "yes")
    choose(page, "fii_can_reidentify", "no")
    choose(page, "fii_rating", "low")
    write(page, "fii_evidence", "Recovered by the police from a pawn shop; NDA signed.")
    next_step(page, "Factor (iii): actually acquired or viewed")
    choose(page, "fiii_acquired_viewed", "no")
    choose(page, "fiii_evidence_kind", "forensic")
    choose(page, "fiii_rating", "low")
    write(page, "fiii_evidence", "Forensic image: no logon or file access after the theft.")
    next_step(page, "Factor (iv): mitigation")
    page.check("input[name=fiv_steps][value=retrieved]")
    page.check("input[name=fiv_steps][value=credentials_reset]")
    choose(page, "fiv_assurance", "written")
    choose(page, "fiv_credibility", "high")
    choose(page, "fiv_complete", "complete")
    choose(page, "fiv_rating", "low")
    write(page, "fiv_evidence", "Laptop back on 11-05; password changed; wiped and reimaged.")
    next_step(page, "Conclusion")

    expect(page.locator(".proposal .proposed")).to_contain_text("Low probability of compromise")
    expect(page.locator(".proposal")).to_contain_text("45 CFR 164.402(2)(iii)")
    expect(page.locator("input[name=chosen_outcome][value=low_probability]")).to_be_checked()
    expect(page.locator(".effects")).to_contain_text("CA1")  # 1798.82 stays
    screenshot(page, "assessment-conclusion.png")
    next_step(page, "New York: the § 899-aa(2)(a) determination")
    choose(page, "ny_inadvertent_authorized", "yes")
    choose(page, "ny_not_likely_misuse", "yes")
    write(page, "ny_determination_text", "No access after the theft (forensics); recovered.")
    next_step(page, "New Jersey: the 56:8-163(a) determination")
    expect(page.locator(".effects")).to_contain_text("NY2")  # the saved determination counts
    choose(page, "nj_misuse_not_possible", "yes")
    write(page, "nj_determination_text", "Recovered unaccessed; see factor (iii).")
    next_step(page, "California (CDPH): the 22 CCR 79901(b)(1) exclusions")
    choose(page, "cdph_exclusion", "F")
    write(page, "cdph_basis", "This documented assessment finds a low probability.")
    next_step(page, "Review and sign")

    expect(page.locator(".effects")).to_contain_text(f"due {NY2_DUE}")
    expect(page.locator(".effects")).to_contain_text("No longer owed")
    page.fill("#q-signer_name", "Pat Officer")
    page.check("input[name=attest][value=yes]")
    screenshot(page, "assessment-sign.png")
    page.get_by_role("button", name="Sign the assessment").click()

    expect(page.locator("h1")).to_have_text("Breach risk assessment, version 1")
    record = page.locator(".record")
    for text in (
        "Pat Officer (officer@example.org)",
        "Low probability of compromise",
        "FIPS 140-2",
        "The key or credential was compromised",
        "ny_harm_determination_on",
        "Forensic image: no logon or file access after the theft.",
        "[22 CCR 79901(b)(1); Health & Safety Code 1280.15]",
    ):
        expect(record).to_contain_text(text)
    screenshot(page, "assessment-record.png")

    page.goto(f"{base_url}/incidents/{incident_id}/assessment")
    expect(page.locator("#assessment")).to_contain_text("Signed version 1")
    page.locator("#assessment").screenshot(path=str(ARTIFACTS / "assessment-section.png"))
    page.goto(f"{base_url}/incidents/{incident_id}")
    expect(page.locator(".decision")).to_contain_text("version 1")
    page.goto(f"{base_url}/incidents/{incident_id}/obligations")
    expect(page.locator("table.obligations")).to_contain_text("NY2")
    expect(page.locator("table.obligations")).to_contain_text(NY2_DUE)
    pdf = page.request.get(f"{base_url}/incidents/{incident_id}/assessments/1.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "assessment-record.pdf").write_bytes(pdf.body())


def test_after_an_idle_sign_out_the_officer_signs_in_and_is_back_on_the_step(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    """HIPAA 164.312(a)(2)(iii): the idle timer leaves a step for the sign-in
    page with the step as `next`; the draft is in the database, so nothing is lost."""
    incident_id = seed(settings, clock)
    page.clock.install()
    sign_in(page, base_url)
    page.goto(f"{base_url}/incidents/{incident_id}/assessment/approach")
    choose(page, "approach", "assess")
    next_step(page, "Secured or unsecured PHI")
    clock.advance(minutes=16)  # the server's idle limit has passed...
    page.clock.run_for("16:00")  # ...and so has the page's timer
    expect(page).to_have_url(
        f"{base_url}/login?next=%2Fincidents%2F{incident_id}%2Fassessment%2Fsafe_harbor"
    )
    page.fill("#email", OFFICER)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/incidents/{incident_id}/assessment/safe_harbor")
    page.get_by_role("link", name="How will you decide?").click()
    expect(page.locator("input[name=approach][value=assess]")).to_be_checked()
