"""Password reset and invitation links (45 CFR 164.308(a)(5)(ii)(D); ASVS 5.0 6.4): the same
answer whether or not an address has an account, the link by e-mail read from a real SMTP server,
single use, 30 minutes for a reset and 72 hours for an invitation, the second factor asked before
a new password, every session ended; the admin's "send reset link" and the operator's
`users reset-password`, which prints a link and never a password."""

from __future__ import annotations

import dataclasses
import re
from io import StringIO

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.cli import main
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import AuditEvent, User
from tests.conftest import PASSWORD, csrf_token, sign_in
from tests.mailbox import Mailbox, link_in
from tests.web.test_mfa import code_step, enrol, page

NEW_PASSWORD = "a brand new passphrase 31"
ANSWER = "If an account uses that address, a link to reset its password is on its way."


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return dataclasses.replace(settings, mail=mailbox.settings)


def path_of(link: str) -> str:
    return link.removeprefix("http://localhost")


def forgot(client: FlaskClient, email: str) -> str:
    response = client.post(
        "/password/forgot",
        data={"email": email, "csrf_token": csrf_token(client, "/password/forgot")},
    )
    assert response.status_code == 200
    return page(response)


def set_password(client: FlaskClient, path: str, password: str = NEW_PASSWORD) -> object:
    return client.post(
        path, data={"new_password": password, "csrf_token": csrf_token(client, "/login")}
    )


def reset_link(client: FlaskClient, mailbox: Mailbox, email: str, count: int = 1) -> str:
    forgot(client, email)
    return path_of(link_in(mailbox.wait_for(email, count)))


def test_forgot_password_answers_the_same_and_mails_only_a_real_account(
    app: Flask, client: FlaskClient, officer: User, mailbox: Mailbox
) -> None:
    assert "Forgot your password?" in page(client.get("/login"))
    unknown = forgot(client, "nobody@example.org")
    known = forgot(client, officer.email.upper())
    assert ANSWER in unknown and unknown == known
    message = mailbox.wait_for(officer.email)
    assert message["Subject"] == "Reset your incident tracker password"
    assert re.fullmatch(r"http://localhost/password/reset/[\w-]+\.[0-9a-f]{32}", link_in(message))
    assert [m["To"] for m in mailbox.received] == [officer.email]


def test_reset_without_a_second_factor_sets_the_password_and_ends_every_session(
    app: Flask, client: FlaskClient, officer: User, mailbox: Mailbox
) -> None:
    signed_in = app.test_client()
    sign_in(signed_in, officer.email)
    path = reset_link(client, mailbox, officer.email)
    assert "Choose a new password" in page(client.get(path))
    weak = set_password(client, path, "password")
    assert weak.status_code == 422 and "12 characters" in page(weak)  # type: ignore[attr-defined]
    assert set_password(client, path).status_code == 302  # type: ignore[attr-defined]
    assert signed_in.get("/").status_code == 302  # the old session ended
    sign_in(app.test_client(), officer.email, NEW_PASSWORD)
    with Session(app.extensions["incident_tracker.engine"]) as db:
        rows = db.exec(
            select(AuditEvent.action).where(col(AuditEvent.action).startswith("user.reset"))
        ).all()
        assert list(rows) == ["user.reset_link_issued"]
        assert db.exec(select(AuditEvent).where(AuditEvent.action == "user.password_reset")).one()


def test_a_reset_link_is_single_use_expires_after_30_minutes_and_cannot_be_forged(
    client: FlaskClient, officer: User, mailbox: Mailbox, clock: FixedClock
) -> None:
    path = reset_link(client, mailbox, officer.email)
    assert set_password(client, path).status_code == 302  # type: ignore[attr-defined]
    reused = client.get(path)
    assert reused.status_code == 410 and "already used" in page(reused)
    again = set_password(client, path, "yet another long passphrase 5")
    assert again.status_code == 410  # type: ignore[attr-defined]
    late = reset_link(client, mailbox, officer.email, count=2)
    clock.advance(minutes=30)
    expired = client.get(late)
    assert expired.status_code == 410 and "expired" in page(expired)
    assert set_password(client, late).status_code == 410  # type: ignore[attr-defined]
    raw, _, signature = late.rsplit("/", 1)[1].partition(".")
    forged = client.get(f"/password/reset/{raw}.{'0' * len(signature)}")
    assert forged.status_code == 410 and "not valid" in page(forged)
    newer = reset_link(client, mailbox, officer.email, count=3)
    older = reset_link(client, mailbox, officer.email, count=4)
    assert client.get(newer).status_code == 410  # a newer link retires the earlier one
    assert client.get(older).status_code == 200


def test_a_reset_asks_the_second_factor_before_the_new_password(
    app: Flask, client: FlaskClient, officer: User, mailbox: Mailbox, clock: FixedClock
) -> None:
    sign_in(client, officer.email)
    secret, _ = enrol(client, clock)
    clock.advance(seconds=30)
    stranger = app.test_client()
    path = reset_link(stranger, mailbox, officer.email)
    assert "Sign-in code" in page(stranger.get(path))
    skipped = set_password(stranger, path)
    assert skipped.status_code == 302 and skipped.location.endswith(path)  # type: ignore[attr-defined]
    wrong = stranger.post(
        f"{path}/code", data={"code": "000000", "csrf_token": csrf_token(stranger, "/login")}
    )
    assert wrong.status_code == 401
    right = pyotp.TOTP(secret).at(clock.now())
    passed = stranger.post(
        f"{path}/code", data={"code": right, "csrf_token": csrf_token(stranger, "/login")}
    )
    assert passed.status_code == 302
    assert "Choose a new password" in page(stranger.get(path))
    assert set_password(stranger, path).status_code == 302  # type: ignore[attr-defined]
    assert client.get("/").status_code == 302  # the officer's session ended
    clock.advance(seconds=30)
    response = client.post(
        "/login",
        data={"email": officer.email, "password": NEW_PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.location.endswith("/login/code")
    assert code_step(client, pyotp.TOTP(secret).at(clock.now())).status_code == 302  # type: ignore[attr-defined]


def test_an_invitation_expires_after_72_hours_and_works_once(
    app: Flask, admin: User, mailbox: Mailbox, clock: FixedClock
) -> None:
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    for email in ("early@example.org", "late@example.org"):
        admin_client.post(
            "/admin/users/invite",
            data={"email": email, "role": "read_only", "csrf_token": csrf_token(admin_client, "/")},
        )
    early = path_of(link_in(mailbox.wait_for("early@example.org")))
    late = path_of(link_in(mailbox.wait_for("late@example.org")))
    invitee = app.test_client()
    assert (
        invitee.post(
            "/login",
            data={"email": "early@example.org", "password": "", "csrf_token": csrf_token(invitee)},
        ).status_code
        == 401
    )
    clock.advance(hours=71, minutes=59)
    assert set_password(invitee, early).status_code == 302  # type: ignore[attr-defined]
    assert invitee.get("/").status_code == 200  # signed in, no second factor required here
    assert app.test_client().get(early).status_code == 410
    clock.advance(minutes=1)
    expired = app.test_client().get(late)
    assert expired.status_code == 410 and "expired" in page(expired)


def test_the_admin_sends_a_reset_link_and_never_sees_a_password(
    app: Flask, admin: User, officer: User, mailbox: Mailbox
) -> None:
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    sent = admin_client.post(
        f"/admin/users/{officer.id}/reset-link",
        data={"csrf_token": csrf_token(admin_client, "/admin/users")},
    )
    assert sent.status_code == 302
    shown = page(admin_client.get("/admin/users"))
    assert f"A reset link is on its way to {officer.email}" in shown
    path = path_of(link_in(mailbox.wait_for(officer.email)))
    assert path.rsplit("/", 1)[1] not in shown
    other = app.test_client()
    assert set_password(other, path).status_code == 302  # type: ignore[attr-defined]
    sign_in(other, officer.email, NEW_PASSWORD)


def test_operators_get_a_one_time_link_from_the_command_line(
    app: Flask, settings: Settings, officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "INCIDENT_TRACKER_ENV": "test",
        "INSTANCE_PATH": str(settings.instance_path),
        "DATABASE_URL": settings.db_url,
        "SECRET_KEY": settings.secret_key,
        "AUDIT_KEY": settings.audit_key,
        "BASE_URL": "",
    }.items():
        monkeypatch.setenv(name, value)
    out, err = StringIO(), StringIO()
    assert main(["users", "reset-password", officer.email], out=out, err=err) == 2
    assert "--base-url or set BASE_URL" in err.getvalue()
    assert (
        main(
            ["users", "reset-password", "no@example.org", "--base-url", "https://t.example"],
            out=out,
            err=err,
        )
        == 2
    )
    out = StringIO()
    code = main(
        ["users", "reset-password", officer.email.upper(), "--base-url", "https://t.example/"],
        out=out,
        err=err,
    )
    assert code == 0
    (link,) = re.findall(r"https://t\.example/password/reset/\S+", out.getvalue())
    assert PASSWORD not in out.getvalue()
    client = app.test_client()
    path = link.removeprefix("https://t.example")
    assert set_password(client, path).status_code == 302  # type: ignore[attr-defined]
    sign_in(client, officer.email, NEW_PASSWORD)
    assert set_password(app.test_client(), path).status_code == 410  # type: ignore[attr-defined]
