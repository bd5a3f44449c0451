"""WCAG 2.2 AA in the browser with axe-core: the incident summary and each of its sections, the
deadline board and its 90-day view, the register, sign-in and the notice editor have no serious
or critical violation.

axe-core comes from the npm registry through package.json and its lockfile (`npm ci`, run by
`make test`); its source is injected with page.evaluate, since the pages' Content-Security-Policy
refuses inline script tags.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from incident_tracker.clock import FixedClock
from incident_tracker.config import PROJECT_ROOT, Settings
from tests.e2e.conftest import sign_in
from tests.e2e.test_incident_sections import SECTIONS, seed_demo

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


def violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.2 A/AA violations axe-core finds on the page as shown."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` in the repository (make test does)"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(RUN, TAGS)
    return [v for v in found if v["impact"] in ("serious", "critical")]


def test_the_pages_of_an_incident_the_board_the_register_and_sign_in_pass_axe(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    made = seed_demo(settings, clock)
    page.set_default_timeout(30_000)  # axe-core runs take a while on a busy machine
    page.goto(f"{base_url}/login")
    problems: dict[str, list[dict[str, Any]]] = {"/login": violations(page)}
    sign_in(page, base_url)
    incident_id = next(i for t, i in made.items() if "ransomware" in t.lower())
    paths = ["/", "/incidents", "/incidents/next-90-days", f"/incidents/{incident_id}"]
    paths += [f"/incidents/{incident_id}/{name}" for name in SECTIONS]
    for path in paths:
        page.goto(f"{base_url}{path}")
        problems[path] = violations(page)
    notice = None
    for drafted in made.values():  # a draft the demo made (services/demo_reviews.py) to edit
        page.goto(f"{base_url}/incidents/{drafted}/notices")
        rows = page.locator("table.notices tbody tr").filter(has_not_text="Not drafted")
        links = [rows.nth(n).locator("a").first.get_attribute("href") for n in range(rows.count())]
        notice = next((h for h in links if h and page.request.get(f"{base_url}{h}/edit").ok), None)
        if notice:
            break
    assert notice
    for path in (notice, f"{notice}/edit"):
        response = page.goto(f"{base_url}{path}")
        assert response is not None and response.status == 200, path
        problems[path] = violations(page)
    found = {p: v for p, v in problems.items() if v}
    assert found == {}, repr(found)
