"""Browser test of the incident register: Playwright driving Debian's chromium against the app on
127.0.0.1.

A privacy officer logs an incident with residents of three States, sees every obligation with its
due date, citation and reason, sees the State whose law is not evaluated, then moves the discovery
date and watches the obligations recompute with their history kept (architecture.md §1.5).
Dates are hand-computed here, not taken from the engine. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import OFFICER, screenshot

# The clock stands at 2026-11-23 09:00 UTC (04:00 in New York, the default time zone): today is
# 2026-11-23 for the "days left" column.
# Discovered Monday 2026-10-19. F1, 45 CFR 164.404(b): 60 calendar days -> 12 days to 10-31,
# 30 to 11-30, 18 more -> Friday 2026-12-18, 25 days after 2026-11-23.
# NY1 (HIPAA covered entity): the HIPAA notice satisfies NY, so NY1 follows F1 (2026-12-18); its
# alternative reading is the 30-day clock of 899-aa(2): 2026-10-19 + 30 = 2026-11-18.
# NY5, 899-aa(9): 5 business days after the HHS notice on 2026-12-18: Dec 21, 22, 23, 24, (25 is
# Christmas), 28 -> 2026-12-28.
DISCOVERED = "2026-10-19"
F1_DUE, F1_DAYS_LEFT, NY1_ALT, NY5_DUE = "2026-12-18", "25 days left", "2026-11-18", "2026-12-28"
# Moved to Thursday 2026-10-22: F1 = 10-22 + 60 = Monday 2026-12-21 (28 days left); NY1 alt
# 2026-11-21; NY5 = Dec 22, 23, 24, (25), 28, 29 -> 2026-12-29.
MOVED = "2026-10-22"
F1_MOVED, F1_MOVED_DAYS, NY1_ALT_MOVED, NY5_MOVED = (
    "2026-12-21",
    "28 days left",
    "2026-11-21",
    "2026-12-29",
)


def obligation(page: Page, rule: str, citation: str) -> Locator:
    """The one row of the obligations table for `rule` (its data-rule-id is exactly the rule id:
    "F1", not "F10" or "NY3-AG" for "NY3"), found with its citation; its first cell names the rule
    and ends with the id in brackets ("notice to individuals (45 CFR 164.404) [F1]")."""
    rows = page.locator(f'table.obligations tbody tr[data-rule-id="{rule}"]')
    row = rows.filter(has_text=citation)
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_contain_text(f"[{rule}]")
    return row


def fill_new_incident(page: Page) -> None:
    """The questions a privacy officer answers for a claim file with SSNs sent out unencrypted."""
    page.fill("#title", "EDI 837 batch sent to the wrong payer")
    page.fill("#narrative", "A claim batch went to a payer that is not the patients' plan.")
    page.select_option("#breach_type", "unauthorized_access_disclosure")
    page.select_option("#location", "network_server")
    page.fill("#discovered_on", DISCOVERED)
    for row, (code, count) in enumerate((("NY", "600"), ("NJ", "1200"), ("TX", "30")), 1):
        page.get_by_label(f"State {row}", exact=True).fill(code)
        page.get_by_label(f"Residents affected in State {row}", exact=True).fill(count)
    for element in ("name", "ssn", "diagnosis"):
        page.check(f"input[name=data_elements][value={element}]")
    page.check("input[name=medium][value=electronic]")
    page.check("input[name=acquired][value=yes]")
    page.check("input[name=phi_encrypted][value=no]")


def test_privacy_officer_creates_an_incident_and_sees_obligations_then_recompute(
    page: Page, base_url: str
) -> None:
    """An incident with NY 600, NJ 1200 and TX 30 residents shows F1
    due 60 days after discovery (45 CFR 164.404(b)), the NY (899-aa), NJ (56:8-163) and TX
    (Tex. Bus. & Com. Code § 521.053) duties, and no State left unevaluated; moving discovery
    three days recomputes every date and keeps version 1 in the history (HIPAA 164.530(j)
    documentation, architecture.md §1.5)."""
    page.goto(f"{base_url}/login")
    page.fill("#email", OFFICER)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/")

    page.goto(f"{base_url}/incidents/new")
    expect(page.locator("h1")).to_have_text("Log an incident")
    fill_new_incident(page)
    page.get_by_role("button", name="Create incident").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/incidents/\d+$"))
    expect(page.get_by_role("status")).to_contain_text("created; its obligations are below")
    expect(page.locator("h1")).to_contain_text("EDI 837 batch sent to the wrong payer")
    incident_url = page.url
    # The summary leads; the duties are on the incident's obligations page (due, then urgency).
    page.goto(f"{incident_url}/obligations")
    f1 = obligation(page, "F1", "45 CFR 164.404(b)")
    expect(f1).to_contain_text("Affected individuals")
    expect(f1.locator("td").nth(1)).to_contain_text(F1_DUE)
    expect(f1.locator("td").nth(2)).to_contain_text(F1_DAYS_LEFT)
    ny1 = obligation(page, "NY1", "899-aa(2)(b)(ii)")
    expect(ny1.locator("td").nth(1)).to_contain_text(F1_DUE)
    expect(ny1.locator("td").nth(1)).to_contain_text(f"alt {NY1_ALT}")
    expect(obligation(page, "NY3-AG", "899-aa(8)(a)")).to_contain_text("NY Attorney General")
    expect(obligation(page, "NY5", "899-aa(9)").locator("td").nth(1)).to_contain_text(NY5_DUE)
    nj1 = obligation(page, "NJ1", "N.J.S.A. 56:8-163(c)(1)")
    expect(nj1).to_contain_text("NJ Division of State Police")
    expect(nj1.locator("td").nth(2)).to_have_text("no fixed date")
    expect(obligation(page, "NJ3", "N.J.S.A. 56:8-163(f)")).to_contain_text("consumer reporting")
    # Tex. Bus. & Com. Code § 521.053(b): 60 days after discovery, the same date as F1; Texas is
    # certified, so no provisional tag; no State is left "not evaluated".
    tx1 = page.locator('table.obligations tbody tr[data-rule-id="TX1"]')
    expect(tx1).to_have_count(1)
    expect(tx1).to_contain_text("Texas residents")
    expect(tx1.locator("td").nth(1)).to_contain_text(F1_DUE)
    expect(tx1).not_to_contain_text("provisional")
    expect(page.locator("ul.not-evaluated li")).to_have_count(0)
    expect(f1).not_to_contain_text("History")
    screenshot(page, "incident-created.png")
    page.goto(f"{incident_url}/facts")
    affected = page.locator("dl.facts dt:text-is('Affected') + dd")
    for residents in ("1,830", "NY 600", "NJ 1,200", "TX 30"):
        expect(affected).to_contain_text(residents)

    page.get_by_role("link", name="Edit facts").click()
    expect(page.locator("#discovered_on")).to_have_value(DISCOVERED)
    expect(page.get_by_label("State 3", exact=True)).to_have_value("TX")
    page.fill("#discovered_on", MOVED)
    page.get_by_role("button", name="Save and recompute").click()

    expect(page).to_have_url(incident_url)
    expect(page.get_by_role("status")).to_contain_text("saved; obligations recomputed")
    page.goto(f"{incident_url}/obligations")
    f1 = obligation(page, "F1", "45 CFR 164.404(b)")
    expect(f1.locator("td").nth(1)).to_contain_text(F1_MOVED)
    expect(f1.locator("td").nth(1)).not_to_contain_text(F1_DUE)
    expect(f1.locator("td").nth(2)).to_contain_text(F1_MOVED_DAYS)
    f1_id = f1.get_attribute("data-obligation-id")
    ny1 = obligation(page, "NY1", "899-aa(2)(b)(ii)")
    expect(ny1.locator("td").nth(1)).to_contain_text(f"alt {NY1_ALT_MOVED}")
    expect(obligation(page, "NY5", "899-aa(9)").locator("td").nth(1)).to_contain_text(NY5_MOVED)
    # Tex. Bus. & Com. Code § 521.053(b): 60 days after the moved discovery date, as F1.
    tx1 = page.locator('table.obligations tbody tr[data-rule-id="TX1"]')
    expect(tx1.locator("td").nth(1)).to_contain_text(F1_MOVED)
    expect(page.locator("ul.not-evaluated li")).to_have_count(0)
    screenshot(page, "incident-recomputed.png")
    # Each duty's earlier computations are kept and shown on the history page (164.530(j)).
    page.goto(f"{incident_url}/history")
    history = page.locator(f"details#history-{f1_id}")
    expect(history.locator("summary")).to_contain_text("2 versions")
    expect(history.locator("li").nth(0)).to_contain_text(f"v1 2026-11-23 09:00 UTC: due {F1_DUE}")
    expect(history.locator("li").nth(1)).to_contain_text(f"v2 2026-11-23 09:00 UTC: due {F1_MOVED}")
    expect(history.locator("li").nth(1)).to_contain_text("facts changed: discovered_on")
    page.goto(f"{incident_url}/facts")
    expect(page.locator("dl.facts dt:text-is('Discovered') + dd")).to_have_text(MOVED)
