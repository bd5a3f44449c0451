"""Sessions and the access review (ASVS 5.0 7.4.2, 7.5.2; HIPAA 164.308(a)(4)(ii)(C)).

A user sees their active sessions (device, address, start, last activity) and ends one: its
cookie is refused from then on. An admin ends every session of a user; disabling a user or
changing their role ends them too. The access review lists every account with its role, second
factor, last sign-in, incidents visible and break-glass uses in a period, as a page and a CSV
whose cells never start a formula.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.services.test_obligation_versions import NY_600

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
FORMULA = "=cmd@example.org"  # a valid address that a spreadsheet would run as a formula


def browser(app: Flask, email: str, agent: str, address: str = "127.0.0.1") -> FlaskClient:
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": address})
    sign_in(client, email)
    return client


def signed_out(client: FlaskClient) -> bool:
    response = client.get("/")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def post(client: FlaskClient, path: str, **data: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def test_a_user_sees_their_sessions_and_ends_one(
    app: Flask, officer: Any, clock: FixedClock
) -> None:
    laptop = browser(app, officer.email, FIREFOX, "10.0.0.7")
    clock.advance(minutes=5)
    phone = browser(app, officer.email, SAFARI, "10.0.0.9")
    page = laptop.get("/account/sessions").get_data(as_text=True)
    rows = re.findall(r'<tr id="session-(\d+)">(.*?)</tr>', page, re.S)
    assert len(rows) == 2
    shown = {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells)).strip() for _, cells in rows}
    assert any("Firefox on Linux this browser 10.0.0.7 2026-11-23 09:00" in r for r in shown)
    assert any("Safari on iPhone 10.0.0.9 2026-11-23 09:05 2026-11-23 09:05" in r for r in shown)
    phone_id = next(i for i, cells in rows if "iPhone" in cells)
    response = post(laptop, f"/account/sessions/{phone_id}/end")
    assert response.status_code == 302
    assert signed_out(phone)
    assert not signed_out(laptop)
    after = laptop.get("/account/sessions").get_data(as_text=True)
    assert "iPhone" not in after and "Firefox on Linux" in after
    # someone else's session, or an ended one, is "not found"
    assert post(laptop, f"/account/sessions/{phone_id}/end").status_code == 404


def test_an_admin_ends_every_session_of_a_user(app: Flask, admin: Any, officer: Any) -> None:
    laptop = browser(app, officer.email, FIREFOX)
    phone = browser(app, officer.email, SAFARI)
    boss = browser(app, admin.email, FIREFOX)
    assert 'aria-label="End every session of officer@example.org"' in boss.get(
        "/admin/users"
    ).get_data(as_text=True)
    assert post(boss, f"/admin/users/{officer.id}/end-sessions").status_code == 302
    assert signed_out(laptop) and signed_out(phone)
    assert not signed_out(boss)


@pytest.mark.parametrize("change", ["disable", "role"])
def test_disabling_a_user_or_changing_their_role_ends_their_sessions(
    app: Flask, admin: Any, officer: Any, change: str
) -> None:
    laptop = browser(app, officer.email, FIREFOX)
    boss = browser(app, admin.email, FIREFOX)
    path = f"/admin/users/{officer.id}/{change}"
    assert post(boss, path, role="legal_reviewer").status_code == 302
    assert signed_out(laptop)


@pytest.fixture
def reviewed(settings: Settings, clock: FixedClock, admin: Any, officer: Any) -> dict[str, Any]:
    """One open and one restricted incident (the officer owns it); an account whose address
    starts with '='; the admin breaks the glass once."""
    make_user(settings, FORMULA, "read_only")
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
        base = replace(NY_600, discovered_on=date(2026, 10, 1), owner_id=officer.id)
        incidents.create(call, base)
        hidden = incidents.create(call, replace(base, restricted=True, title="Restricted one"))
    engine.dispose()
    return {"hidden": hidden.id}


def test_the_access_review_page_and_csv(
    app: Flask, admin: Any, officer: Any, reviewed: dict[str, Any], clock: FixedClock
) -> None:
    boss = browser(app, admin.email, FIREFOX)
    browser(app, officer.email, FIREFOX)
    reason = {"reason": "Owner unreachable during an HHS call"}
    assert post(boss, f"/incidents/{reviewed['hidden']}/break-glass", **reason).status_code == 302
    page = boss.get("/admin/access-review").get_data(as_text=True)
    assert 'value="2026-08-25"' in page and 'value="2026-11-23"' in page  # the last 90 days
    assert re.search(r'data-email="officer@example.org">.*?data-visible="2"', page, re.S)
    assert re.search(r'data-email="admin@example.org">.*?data-visible="1"', page, re.S)
    assert re.search(r'data-email="admin@example.org">.*?data-break-glass="1"', page, re.S)
    response = boss.get("/admin/access-review.csv?from=2026-11-01&to=2026-11-30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_email = {row["email"]: row for row in table}
    assert set(by_email) == {"admin@example.org", "officer@example.org", "'" + FORMULA}
    assert by_email["admin@example.org"] == {
        "email": "admin@example.org",
        "role": "admin",
        "active": "yes",
        "mfa": "no",
        "last_sign_in": "2026-11-23T09:00:00+00:00",
        "incidents_visible": "1",
        "break_glass_uses": "1",
        "period": "2026-11-01 to 2026-11-30",
    }
    assert by_email["officer@example.org"]["incidents_visible"] == "2"
    assert by_email["'" + FORMULA]["last_sign_in"] == ""
    # a period before the use counts none; a period that ends before it starts is refused
    earlier = boss.get("/admin/access-review.csv?from=2026-10-01&to=2026-11-22")
    rows = {r["email"]: r for r in csv.DictReader(io.StringIO(earlier.get_data(as_text=True)))}
    assert rows["admin@example.org"]["break_glass_uses"] == "0"
    bad = boss.get("/admin/access-review?from=2026-12-01&to=2026-11-01")
    assert bad.status_code == 422
    assert "the start must be on or before the end" in bad.get_data(as_text=True)
    assert boss.get("/admin/access-review?from=tomorrow").status_code == 422
    officer_client = browser(app, officer.email, FIREFOX)
    assert officer_client.get("/admin/access-review").status_code == 403
    assert officer_client.get("/admin/access-review.csv").status_code == 403
