"""Sign-in and sessions (HIPAA 164.312(a)(2)(iii) automatic logoff, (d) authentication; ASVS 5.0
V6-V7), with the clock injected."""

from __future__ import annotations

from flask.testing import FlaskClient

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import User
from tests.conftest import PASSWORD, csrf_token, make_user, sign_in


def test_sign_in_lands_on_home_and_shows_who_is_signed_in(
    client: FlaskClient, officer: User
) -> None:
    sign_in(client, officer.email)
    page = client.get("/")
    assert page.status_code == 200
    assert "officer@example.org" in page.get_data(as_text=True)


def test_home_requires_sign_in(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_user_and_wrong_password_get_the_same_message(
    client: FlaskClient, officer: User
) -> None:
    token = csrf_token(client)
    unknown = client.post(
        "/login", data={"email": "nobody@example.org", "password": PASSWORD, "csrf_token": token}
    )
    wrong = client.post(
        "/login",
        data={"email": officer.email, "password": "wrong password 123", "csrf_token": token},
    )
    assert unknown.status_code == wrong.status_code == 401
    message = "The e-mail or password is not correct"
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)


def test_a_cookie_replayed_after_sign_out_is_refused(client: FlaskClient, officer: User) -> None:
    sign_in(client, officer.email)
    cookie = client.get_cookie("session")
    assert cookie is not None
    saved = cookie.value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    client.set_cookie("session", saved)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_idle_sessions_end_after_15_minutes(
    client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    sign_in(client, officer.email)
    clock.advance(minutes=14, seconds=59)
    assert client.get("/").status_code == 200
    clock.advance(minutes=15, seconds=1)
    response = client.get("/", follow_redirects=True)
    assert "signed out after 15 minutes without activity" in response.get_data(as_text=True)


def test_activity_keeps_the_session_until_the_absolute_limit(
    client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    sign_in(client, officer.email)
    for _ in range(12 * 6 - 1):  # every 10 minutes for just under 12 hours
        clock.advance(minutes=10)
        assert client.get("/").status_code == 200
    clock.advance(minutes=10, seconds=1)
    response = client.get("/", follow_redirects=True)
    assert "reached its time limit" in response.get_data(as_text=True)


def test_disabling_a_user_ends_their_sessions(
    app: object, settings: Settings, officer: User, admin: User
) -> None:
    from flask import Flask

    assert isinstance(app, Flask)
    officer_client, admin_client = app.test_client(), app.test_client()
    sign_in(officer_client, officer.email)
    sign_in(admin_client, admin.email)
    token = csrf_token(admin_client, "/admin/users")
    response = admin_client.post(f"/admin/users/{officer.id}/disable", data={"csrf_token": token})
    assert response.status_code == 302
    assert officer_client.get("/").status_code == 302
    token = csrf_token(officer_client)
    again = officer_client.post(
        "/login", data={"email": officer.email, "password": PASSWORD, "csrf_token": token}
    )
    assert again.status_code == 401


def test_account_locks_after_10_failures_and_unlocks_after_15_minutes(
    client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    token = csrf_token(client)
    for _ in range(10):
        client.post(
            "/login",
            data={"email": officer.email, "password": "wrong password 123", "csrf_token": token},
        )
    right = client.post(
        "/login", data={"email": officer.email, "password": PASSWORD, "csrf_token": token}
    )
    assert right.status_code == 401
    clock.advance(minutes=15, seconds=1)
    sign_in(client, officer.email)


def test_client_address_is_throttled_after_20_failures(
    client: FlaskClient, settings: Settings
) -> None:
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login", data={"email": f"u{i}@example.org", "password": "x" * 12, "csrf_token": token}
        ).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_sign_in_issues_a_new_session_cookie(client: FlaskClient, officer: User) -> None:
    csrf_token(client)
    before = client.get_cookie("session")
    sign_in(client, officer.email)
    after = client.get_cookie("session")
    assert after is not None and (before is None or before.value != after.value)


def test_next_parameter_cannot_redirect_off_site(client: FlaskClient, officer: User) -> None:
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={
            "email": officer.email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_weak_password_is_refused_when_creating_a_user(settings: Settings) -> None:
    import pytest

    from incident_tracker.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        make_user(settings, "weak@example.org", "read_only", "password1234")
    assert "most common passwords" in caught.value.field_errors["password"]
