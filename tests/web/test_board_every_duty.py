"""The deadline board shows every open duty once (overdue, next 7 days, later, waiting, no fixed
date), paginated per group with exact totals; each incident's next step; honest defaults (no
risk-assessment outcome until assessed); form tokens and future dates refused.

Today is Mon 2026-11-23 in New York (tests.conftest.START, 09:00 UTC)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import AuditEvent, Incident, ObligationRecord, SentRecord, User
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import csrf_token, sign_in
from tests.web.test_incident_lifecycle import obligation_ids, seed
from tests.web.test_incidents import incident_form

# Discovered Sat 2026-11-21, 300 CA residents, name + SSN, not encrypted, not yet assessed:
# CA1 (Civ. Code 1798.82(a)(2), 30 calendar days) 2026-12-21 = in 28 days; F1 (45 CFR 164.404(b),
# 60 calendar days) 2027-01-20 = in 58 days; fewer than 500 affected, so F5 (164.408(c)) is the
# annual log, 60 days after 2026-12-31 = 2027-03-01 = in 98 days. All "later" (over 7 days out).
LAPTOP = IncidentValues(
    title="Stolen laptop",
    discovered_on=date(2026, 11, 21),
    occurred_on=date(2026, 11, 20),
    breach_type="theft",
    location="laptop",
    states={"CA": 300},
    data_elements=("name", "ssn"),
    acquired=True,
    phi_encrypted=False,
)


def section(page: str, name: str) -> str:
    found = re.search(rf'<section aria-labelledby="{name}-h">(.*?)</section>', page, re.S)
    assert found, name
    return found.group(1)


def rows(html: str) -> dict[int, str]:
    """data-obligation-id -> data-status of each board row in `html`."""
    return {
        int(i): s for i, s in re.findall(r'data-obligation-id="(\d+)" data-status="(\w+)"', html)
    }


def test_a_duty_28_and_one_58_days_out_are_on_the_board_under_later(
    client: FlaskClient, settings: Settings, clock: FixedClock, officer: User, app: Flask
) -> None:
    (incident_id,) = seed(settings, clock, replace(LAPTOP, owner_id=officer.id))
    ids = obligation_ids(app, incident_id)
    sign_in(client, officer.email)
    page = client.get("/").get_data(as_text=True)
    later = section(page, "later")
    assert "Later (3)" in page
    assert rows(later) == {ids["CA1"]: "open", ids["F1"]: "open", ids["F5"]: "open"}
    assert later.index("2026-12-21") < later.index("2027-01-20") < later.index("2027-03-01")
    assert "in 28 days" in later and "in 58 days" in later and "in 98 days" in later
    # not yet assessed: the step is the assessment; a covered entity's duty in words
    assert later.count("complete and sign the risk assessment") == 3
    assert "covered entity&#39;s duty" in later
    for other in ("overdue", "week", "waiting", "none"):
        assert not rows(section(page, other)), other


def test_every_open_duty_is_shown_once_and_each_group_pages_by_25(
    client: FlaskClient, settings: Settings, clock: FixedClock, officer: User, app: Flask
) -> None:
    """14 laptops: 42 later duties (3 each) -> page 1 shows 25, page 2 the other 17, with the
    exact total."""
    seed(settings, clock, *[replace(LAPTOP, owner_id=officer.id, title=f"L{n}") for n in range(14)])
    sign_in(client, officer.email)
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?later_page=2").get_data(as_text=True)
    assert "Later (42)" in first and "1–25 of 42" in first and 'href="/?later_page=2' in first
    one, two = rows(section(first, "later")), rows(section(second, "later"))
    assert (len(one), len(two)) == (25, 17) and not set(one) & set(two)
    with Session(app.extensions["incident_tracker.engine"]) as session:
        open_legal = session.exec(
            select(ObligationRecord.id).where(
                ObligationRecord.kind == "legal", col(ObligationRecord.done_on).is_(None)
            )
        ).all()
    assert set(one) | set(two) == set(open_legal)
    assert "26–42 of 42" in second and 'href="/#later-h"' in second  # back to page 1
    assert client.get("/?later_page=99").status_code == 200  # past the end: the last page
    assert client.get("/?later_page=x%C2%B2").status_code == 200  # not a number: page 1


def test_the_incident_page_says_presumed_breach_and_the_next_step(
    client: FlaskClient, settings: Settings, clock: FixedClock, officer: User, app: Flask
) -> None:
    (unassessed, assessed) = seed(
        settings,
        clock,
        replace(LAPTOP, owner_id=officer.id),
        replace(LAPTOP, owner_id=officer.id, risk_assessment="not_low_probability"),
    )
    ids = obligation_ids(app, unassessed)
    sign_in(client, officer.email)
    page = client.get(f"/incidents/{unassessed}").get_data(as_text=True)
    section = client.get(f"/incidents/{unassessed}/assessment").get_data(as_text=True)
    assert "Presumed breach until assessed." in section
    facts = client.get(f"/incidents/{unassessed}/facts").get_data(as_text=True)
    assert "<dd>presumed breach until assessed" in facts
    step = re.search(r'<p class="card" id="next-action"(.*?)</p>', page, re.S)
    assert step and f'data-obligation-id="{ids["CA1"]}"' in step.group(1)
    assert "complete and sign the risk assessment" in step.group(1) and "2026-12-21" in step.group(
        1
    )
    duties = client.get(f"/incidents/{unassessed}/obligations").get_data(as_text=True)
    assert (
        f'<tr id="obligation-{ids["F1"]}" data-obligation-id="{ids["F1"]}" data-status="open"'
        in duties
    )
    other = client.get(f"/incidents/{assessed}").get_data(as_text=True)
    other_section = client.get(f"/incidents/{assessed}/assessment").get_data(as_text=True)
    assert "Presumed breach until assessed." not in other_section
    assert 'data-step="draft"' in other and "draft the notice" in other


def test_a_new_incident_form_has_no_outcome_until_assessed(
    client: FlaskClient, officer: User
) -> None:
    sign_in(client, officer.email)
    form = client.get("/incidents/new").get_data(as_text=True)
    select_html = re.search(r'<select id="risk_assessment".*?</select>', form, re.S)
    assert select_html and "selected" not in select_html.group(0)
    assert "presumed breach until assessed" in select_html.group(0)


def test_a_discovery_or_occurrence_date_after_today_is_refused_next_to_the_field(
    client: FlaskClient, officer: User, app: Flask
) -> None:
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    refused = client.post(
        "/incidents",
        data=incident_form(token, discovered_on="2027-06-01", occurred_on="2026-11-24"),
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert page.count("cannot be in the future (today is 2026-11-23)") == 2
    assert 'value="2027-06-01"' in page  # the input is kept
    ok = client.post("/incidents", data=incident_form(token, discovered_on="2026-11-23"))
    assert ok.status_code == 302  # today itself is fine
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert len(session.exec(select(Incident)).all()) == 1


def test_a_create_form_sent_twice_saves_once_and_links_to_the_first(
    client: FlaskClient, officer: User, app: Flask
) -> None:
    sign_in(client, officer.email)
    form = client.get("/incidents/new").get_data(as_text=True)
    token = re.search(r'name="form_token" value="([^"]+)"', form)
    assert token
    data = incident_form(csrf_token(client, "/incidents/new"), form_token=token.group(1))
    first = client.post("/incidents", data=data)
    assert first.status_code == 302
    again = client.post("/incidents", data=data)
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "Already saved" in page and first.headers["Location"].endswith(
        re.search(r'href="(/incidents/\d+)"', page).group(1)  # type: ignore[union-attr]
    )
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert len(session.exec(select(Incident)).all()) == 1


def test_record_sent_twice_makes_one_record(
    client: FlaskClient, settings: Settings, clock: FixedClock, officer: User, app: Flask
) -> None:
    (incident_id,) = seed(
        settings, clock, replace(LAPTOP, owner_id=officer.id, risk_assessment="not_low_probability")
    )
    ca1 = obligation_ids(app, incident_id)["CA1"]
    sign_in(client, officer.email)
    url = f"/incidents/{incident_id}/obligations/{ca1}/sent"
    form = client.get(url).get_data(as_text=True)
    token = re.search(r'name="form_token" value="([^"]+)"', form)
    assert token
    data = {
        "csrf_token": csrf_token(client, url),
        "form_token": token.group(1),
        "sent_on": "2026-11-23",
        "method": "email",
        "recipients": "300",
    }
    first = client.post(url, data=data)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    again = client.post(url, data=data)
    assert again.status_code == 409 and "Already saved" in again.get_data(as_text=True)
    with Session(app.extensions["incident_tracker.engine"]) as session:
        assert len(session.exec(select(SentRecord)).all()) == 1
        sent = session.exec(select(AuditEvent).where(AuditEvent.action == "sent.record")).all()
        assert len(sent) == 1
