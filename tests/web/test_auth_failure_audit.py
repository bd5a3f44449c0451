"""Failed sign-ins and password changes: counted in the throttle store and audited as one summary
row per client address per ten-minute window, written once the window has closed; lock-outs keep
their own row (ASVS 5.0 16.3.1, 6.3.1; 45 CFR 164.308(a)(5)(ii)(C)). The change-password form is
throttled like sign-in."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.db.models import AuditEvent, AuthFailureWindow, User
from incident_tracker.services import auth_failures
from incident_tracker.services.audit_checkpoints import AuditKeeper
from tests.conftest import AUDIT_KEY, PASSWORD, csrf_token, sign_in

NEW_PASSWORD = "another long passphrase 77"


def _rows(app: Flask, action: str | None = None) -> list[AuditEvent]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        query = select(AuditEvent)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(session.exec(query.order_by(col(AuditEvent.id))).all())


def _keeper(app: Flask, clock: FixedClock, tmp_path: Path) -> AuditKeeper:
    engine = app.extensions["incident_tracker.engine"]
    return AuditKeeper(engine, AUDIT_KEY, tmp_path / "checkpoints", clock.now)


def _attempt(client: FlaskClient, token: str, email: str, password: str) -> int:
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/login", data=data).status_code


def test_150_failed_sign_ins_from_one_address_make_one_summary_row(
    app: Flask, client: FlaskClient, officer: User, clock: FixedClock, tmp_path: Path
) -> None:
    """A flood from one address, 3 s apart inside one window (09:00:00 to 09:07:27): the first
    20 are checked and refused (401), the rest refused by the throttle (429), and the audit
    trail gains nothing until the window closes; then one row carries it all."""
    token = csrf_token(client)
    accounts = [officer.email, "ghost@example.org", "nobody@example.org"]
    before = len(_rows(app))
    statuses = []
    for i in range(150):
        statuses.append(_attempt(client, token, accounts[i % 3], "wrong password 123"))
        if i < 149:
            clock.advance(seconds=3)
    assert statuses == [401] * 20 + [429] * 130
    assert len(_rows(app)) == before
    clock.advance(minutes=2, seconds=33)  # 09:10:00: the 09:00 window has closed
    assert _keeper(app, clock, tmp_path).tick().summaries == 1
    (summary,) = _rows(app)[before:]
    assert (summary.action, summary.client_address, summary.actor_id) == (
        auth_failures.SUMMARY,
        "127.0.0.1",
        None,
    )
    assert json.loads(summary.new_values or "") == {
        "count": 150,
        "throttled": 130,
        # 20 checked: 7 for the officer (attempts 1, 4, ... 19), 13 for the two unknown e-mails
        "reasons": {"throttled": 130, "unknown account": 13, "wrong password": 7},
        "accounts": accounts,
        "unlisted_attempts": 0,
        "first_at": "2026-11-23T09:00:00+00:00",
        "last_at": "2026-11-23T09:07:27+00:00",
    }
    assert summary.detail == (
        "150 failed attempts (130 refused by the throttle) for 3 accounts, "
        "2026-11-23T09:00:00+00:00 to 2026-11-23T09:07:27+00:00"
    )
    assert _keeper(app, clock, tmp_path).tick().summaries == 0  # summarised once only
    assert len(_rows(app, auth_failures.SUMMARY)) == 1


def test_a_flood_across_a_window_boundary_makes_two_rows_one_per_window(
    app: Flask, client: FlaskClient, clock: FixedClock, tmp_path: Path
) -> None:
    """Failures at 09:08 and 09:12: two windows; the 09:00 one is written by the first failure
    after it closed, the 09:10 one by the scheduler's job after it closed."""
    token = csrf_token(client)
    clock.advance(minutes=8)
    assert _attempt(client, token, "a@example.org", "x" * 12) == 401
    assert _rows(app, auth_failures.SUMMARY) == []
    clock.advance(minutes=4)
    assert _attempt(client, token, "b@example.org", "x" * 12) == 401
    first = _rows(app, auth_failures.SUMMARY)
    assert [json.loads(r.new_values or "")["accounts"] for r in first] == [["a@example.org"]]
    clock.advance(minutes=8)
    _keeper(app, clock, tmp_path).tick()
    rows = _rows(app, auth_failures.SUMMARY)
    assert [json.loads(r.new_values or "")["accounts"] for r in rows] == [
        ["a@example.org"],
        ["b@example.org"],
    ]


def test_a_lock_out_keeps_its_own_row_at_once(
    app: Flask, client: FlaskClient, officer: User
) -> None:
    token = csrf_token(client)
    for _ in range(10):
        assert _attempt(client, token, officer.email, "wrong password 123") == 401
    (locked,) = _rows(app, "auth.account_locked")
    assert (locked.actor_id, locked.client_address) == (officer.id, "127.0.0.1")
    assert _rows(app, auth_failures.SUMMARY) == []  # the failures wait for their window


def _change(client: FlaskClient, current: str, new: str = NEW_PASSWORD) -> int:
    token = csrf_token(client, "/account/password")
    data = {"current_password": current, "new_password": new, "csrf_token": token}
    return client.post("/account/password", data=data).status_code


def test_the_change_password_form_locks_the_account_after_10_wrong_passwords(
    app: Flask, officer: User, clock: FixedClock, tmp_path: Path
) -> None:
    """The sign-in limits: 10 wrong current passwords lock the account for 15 minutes (its own
    audit row); meanwhile even the right one is refused (429) and sign-in is refused too."""
    client = app.test_client()
    sign_in(client, officer.email)
    assert [_change(client, "wrong password 123") for _ in range(10)] == [422] * 10
    assert len(_rows(app, "auth.account_locked")) == 1
    refused = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/account/password"),
        },
    )
    assert refused.status_code == 429
    assert "this account is locked" in refused.get_data(as_text=True)
    other = app.test_client()
    assert _attempt(other, csrf_token(other), officer.email, PASSWORD) == 401
    clock.advance(minutes=14)
    assert client.get("/").status_code == 200  # still signed in (idle limit 15 minutes)
    clock.advance(minutes=1, seconds=1)  # the lock has run out
    assert _change(client, PASSWORD) == 302  # changed; every session ends
    sign_in(other, officer.email, NEW_PASSWORD)
    _keeper(app, clock, tmp_path).tick()
    (summary,) = _rows(app, auth_failures.SUMMARY)
    values = json.loads(summary.new_values or "")
    assert values["reasons"] == {"account locked": 2, "wrong current password": 10}
    assert values["accounts"] == [officer.email]


def test_the_change_password_form_shares_the_address_throttle_with_sign_in(
    app: Flask, officer: User
) -> None:
    """20 failed checks from one address in 15 minutes, sign-ins and password changes together,
    and the form refuses the 21st without checking it."""
    anonymous = app.test_client()
    token = csrf_token(anonymous)
    for i in range(15):
        assert _attempt(anonymous, token, f"u{i}@example.org", "x" * 12) == 401
    client = app.test_client()
    sign_in(client, officer.email)
    assert [_change(client, "wrong password 123") for _ in range(5)] == [422] * 5
    assert _change(client, PASSWORD) == 429
    assert _attempt(anonymous, token, officer.email, PASSWORD) == 429


def test_a_window_lists_50_accounts_and_counts_attempts_on_the_rest(
    app: Flask, client: FlaskClient, clock: FixedClock, tmp_path: Path
) -> None:
    """A spray over 53 e-mails (one tried twice): the row stays bounded, listing the first 50
    and counting the 4 attempts on the others."""
    token = csrf_token(client)
    tried = [f"u{i:02d}@example.org" for i in range(53)] + ["u52@example.org"]
    for email in tried:
        _attempt(client, token, email, "x" * 12)
    clock.advance(minutes=10)
    _keeper(app, clock, tmp_path).tick()
    (summary,) = _rows(app, auth_failures.SUMMARY)
    values = json.loads(summary.new_values or "")
    assert values["accounts"] == tried[:50]
    assert (values["count"], values["unlisted_attempts"]) == (54, 4)
    assert summary.detail is not None
    assert summary.detail.startswith(
        "54 failed attempts (34 refused by the throttle) for 50 accounts and 4 for others, "
    )


def test_summarised_windows_leave_the_throttle_store_after_a_day(
    app: Flask, client: FlaskClient, clock: FixedClock, tmp_path: Path
) -> None:
    """The store holds only what the throttle still needs; the audit row is the record."""
    _attempt(client, csrf_token(client), "a@example.org", "x" * 12)
    clock.advance(minutes=10)
    _keeper(app, clock, tmp_path).tick()
    assert len(_windows(app)) == 1
    clock.advance(days=1)
    _keeper(app, clock, tmp_path).tick()
    assert _windows(app) == [] and len(_rows(app, auth_failures.SUMMARY)) == 1


def _windows(app: Flask) -> list[AuthFailureWindow]:
    with Session(app.extensions["incident_tracker.engine"]) as session:
        return list(session.exec(select(AuthFailureWindow)).all())


def test_forged_signed_out_forms_are_counted_in_the_window_not_audited_one_by_one(
    app: Flask, client: FlaskClient, clock: FixedClock, tmp_path: Path
) -> None:
    """150 signed-out posts without a CSRF token, 2 s apart (09:00:00 to 09:04:58): each is
    refused with 400 and no audit row until the window closes; then one summary row counts
    all 150 under the refusal's reason and names no account."""
    before = len(_rows(app))
    statuses = []
    for i in range(150):
        statuses.append(client.post("/login", data={"email": "x@example.org"}).status_code)
        if i < 149:
            clock.advance(seconds=2)
    assert statuses == [400] * 150
    assert len(_rows(app)) == before
    clock.advance(minutes=5, seconds=2)  # 09:10:00: the 09:00 window has closed
    assert _keeper(app, clock, tmp_path).tick().summaries == 1
    (summary,) = _rows(app)[before:]
    assert summary.action == auth_failures.SUMMARY
    counted = json.loads(summary.new_values or "")
    assert (counted["count"], counted["accounts"]) == (150, [])
    assert sum(n for r, n in counted["reasons"].items() if r.startswith("form refused")) == 150
