"""The incident summary, its timeline and its sections in a browser: every demo incident's pages
open, each section is photographed at a laptop's and a phone's size, old anchors of the one-page
incident land on their sections, and a duty is marked done with the keyboard alone."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from sqlmodel import select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Organisation, User
from incident_tracker.services import demo_incidents, demo_reviews, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, PASSWORD
from tests.e2e.conftest import ARTIFACTS, OFFICER, sign_in

SECTIONS = ("obligations", "notices", "assessment", "facts", "evidence", "people", "history")
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
SHOTS = Path("/tmp/shots")


def seed_demo(settings: Settings, clock: FixedClock) -> dict[str, int]:
    """The demo incidents (services/demo_incidents.py) for the signed-in officer, with the
    demo notices in review; {title: id}."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "seed", trusted=True), clock.now(), AUDIT_KEY)
            if session.get(Organisation, 1) is None:
                session.add(Organisation(id=1, legal_name="Demo Health", toll_free_number="1"))
                session.flush()
            officer = session.exec(select(User).where(User.email == OFFICER)).one()
            reviewer = users.create_user(
                call, "counsel@example.org", "legal_reviewer", PASSWORD, "Counsel"
            )
            made = demo_incidents.seed(call, officer, reviewer)
            demo_reviews.seed(
                call, officer, reviewer, demo_incidents.by_role(made), settings.notice_storage
            )
            return {i.title: i.id or 0 for i in made}
    finally:
        engine.dispose()


def _shoot(page: Page, name: str) -> None:
    for folder in (SHOTS, ARTIFACTS):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), full_page=True)


def test_every_demo_incident_has_a_summary_timeline_and_sections_at_two_sizes(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    made = seed_demo(settings, clock)
    assert len(made) >= 5
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base_url)
    rows: dict[int, int] = {}
    for title, incident_id in made.items():
        page.goto(f"{base_url}/incidents/{incident_id}")
        expect(page.locator("h1")).to_contain_text(title)
        expect(page.locator("#decision-h")).to_be_visible()
        expect(page.locator("figure.timeline svg[role=img] title")).to_have_count(1)
        assert page.locator("details.timeline-text li").count() >= 2  # discovery and today
        for name in SECTIONS:
            response = page.goto(f"{base_url}/incidents/{incident_id}/{name}")
            assert response is not None and response.status == 200, (title, name)
            expect(page.locator("nav.sections [aria-current=page]")).to_have_count(1)
            if name == "obligations":
                rows[incident_id] = page.locator("tr[data-obligation-id]").count()
    assert errors == []
    busiest = max(rows, key=lambda i: rows[i])  # the one with the most duties
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base_url}/incidents/{busiest}")
        _shoot(page, f"incident-summary-{size}.png")
        for name in SECTIONS:
            page.goto(f"{base_url}/incidents/{busiest}/{name}")
            _shoot(page, f"incident-{name}-{size}.png")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Next 90 days on a timeline").click()
    expect(page.locator("#window-timeline svg[role=img]")).to_have_count(1)
    assert page.locator("table.next-duties tbody tr").count() > 0
    _shoot(page, "next-90-days-laptop.png")
    page.emulate_media(media="print")
    page.goto(f"{base_url}/incidents/{busiest}")
    expect(page.locator("nav.sections")).to_be_hidden()
    _shoot(page, "incident-summary-print.png")


def test_old_anchors_of_the_one_page_incident_land_on_their_sections(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    made = seed_demo(settings, clock)
    incident_id = next(iter(made.values()))
    sign_in(page, base_url)
    page.goto(f"{base_url}/incidents/{incident_id}#holds")
    page.wait_for_url(f"**/incidents/{incident_id}/evidence#holds")
    page.goto(f"{base_url}/incidents/{incident_id}/obligations")
    row = page.locator("tr[data-obligation-id]").first
    obligation_id = row.get_attribute("data-obligation-id")
    page.goto(f"{base_url}/incidents/{incident_id}#obligation-{obligation_id}")
    page.wait_for_url(f"**/incidents/{incident_id}/obligations#obligation-{obligation_id}")
    page.goto(f"{base_url}/incidents/{incident_id}#sent")
    page.wait_for_url(f"**/incidents/{incident_id}/notices#sent")


def tab_to(page: Page, target: Locator, most: int = 8) -> None:
    """Tab (the keyboard alone) until `target` has the focus."""
    for _ in range(most):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def test_a_duty_is_marked_done_with_the_keyboard_and_nothing_is_prefilled(
    page: Page, base_url: str, settings: Settings, clock: FixedClock
) -> None:
    made = seed_demo(settings, clock)
    sign_in(page, base_url)
    open_rows = "tr[data-status=open]:has(details.mark-done)"
    for incident_id in made.values():
        page.goto(f"{base_url}/incidents/{incident_id}/obligations")
        if page.locator(open_rows).count():
            break
    row = page.locator(open_rows).first
    obligation_id = row.get_attribute("data-obligation-id")
    row.locator("details.mark-done summary").focus()
    page.keyboard.press("Enter")
    date_field = page.locator(f"#done-on-{obligation_id}")
    method = page.locator(f"#method-{obligation_id}")
    expect(date_field).to_have_value("")
    expect(method).to_have_value("")
    page.keyboard.press("Tab")
    expect(date_field).to_be_focused()
    date_field.press_sequentially(clock.now().date().strftime("%m%d%Y"))
    tab_to(page, method)  # past the date's month, day and year fields
    page.keyboard.press("ArrowDown")  # the first method, "mail"
    expect(method).to_have_value("mail")
    tab_to(page, row.get_by_role("button", name="Mark done"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/obligations#obligation-{obligation_id}")
    expect(page.locator(f"#obligation-{obligation_id}")).to_have_attribute("data-status", "done")
