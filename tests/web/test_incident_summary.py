"""The incident summary: the law-enforcement holds in force (45 CFR 164.412), each on the timeline
and its text list, and the old one-page anchors carried as links to their sections."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.services import evidence, incidents
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY
from tests.web.test_query_counts import SEEDER, People, officer_client, people, values

__all__ = ["officer_client", "people"]  # fixtures


def with_holds(settings: Settings, clock: FixedClock, people: People) -> int:
    """Discovered 2026-11-10 (today is 2026-11-23): an oral statement of 2026-11-12 with no
    end, one written statement that ended 2026-11-20, and one written statement voided."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, SEEDER, clock.now(), AUDIT_KEY)
            made = incidents.create(call, values(2, people, discovered_on=date(2026, 11, 10)))

            def hold(form: str, stated: date, until: date | None, agency: str) -> int:
                held = evidence.add_hold(
                    call, made, evidence.HoldInput(form, stated, until, "Det. Ruiz", agency, "all")
                )
                return held.id or 0

            hold("oral", date(2026, 11, 12), None, "NYPD")
            hold("written", date(2026, 11, 11), date(2026, 11, 20), "FBI")
            voided = hold("written", date(2026, 11, 13), date(2027, 1, 15), "DEA")
            evidence.void_hold(call, made, voided, "entered on the wrong incident")
            return made.id or 0
    finally:
        engine.dispose()


def test_the_summary_lists_the_holds_in_force_and_the_timeline_every_standing_one(
    settings: Settings, clock: FixedClock, people: People, officer_client: FlaskClient
) -> None:
    """45 CFR 164.412(b): an oral statement delays notice at most 30 days, so the one of
    2026-11-12 runs to 2026-12-12 (18 days of November after the 12th + 12 of December) and is in
    force on 2026-11-23; the written one ended 2026-11-20, before today; the voided one delays
    nothing and is on neither list."""
    incident_id = with_holds(settings, clock, people)
    page = officer_client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "1 law-enforcement hold in force: oral statement of 2026-11-12, until 2026-12-12" in page
    assert "FBI" not in page.split('data-count="holds"')[1].split("</li>")[0]
    assert "2026-11-12 to 2026-12-12: oral law-enforcement statement (NYPD)" in page
    assert "2026-11-11 to 2026-11-20: written law-enforcement statement (FBI)" in page
    assert "DEA" not in page
    assert page.count('<g class="hold">') == 2
    for old, section in (("holds", "evidence"), ("sent", "notices"), ("status", "history")):
        link = f'id="{old}" data-section-url="/incidents/{incident_id}/{section}#{old}"'
        assert link in page


def test_the_header_links_are_the_routes_of_the_summary_and_each_section(
    officer_client: FlaskClient,
) -> None:
    """The header builds one URL and appends each section's name: each must be the URL its
    route answers at, for every section."""
    from flask import url_for

    from incident_tracker.web.incident_sections import SECTIONS, section_urls

    with officer_client.application.test_request_context():
        urls = section_urls(7)
        assert urls.pop("summary") == url_for("incidents.detail", incident_id=7) == "/incidents/7"
        assert urls == {name: url_for(f"sections.{name}", incident_id=7) for name in SECTIONS}
        assert len(urls) == 7


def test_the_header_and_summary_links_built_from_the_summary_url_are_their_routes(
    officer_client: FlaskClient,
) -> None:
    """Editing and exporting the facts, the assessment's first step, a duty's notice and its
    sent form: the summary appends each to its own URL; each must be where its route answers."""
    from flask import url_for

    from incident_tracker.web.incident_sections import page_urls

    with officer_client.application.test_request_context():
        urls = page_urls(url_for("incidents.detail", incident_id=7))
        assert urls["edit"] == url_for("incidents.edit", incident_id=7) == "/incidents/7/edit"
        assert urls["export"] == url_for("incidents.export", incident_id=7)
        assert urls["assess"] == url_for("assessment.step", incident_id=7, step="approach")
        notice = url_for("notices.page", incident_id=7, obligation_id=31)
        assert f"{urls['duty']}31/notice" == notice == "/incidents/7/obligations/31/notice"
        assert f"{urls['duty']}31/sent" == url_for(
            "sending.sent_form", incident_id=7, obligation_id=31
        )
