"""Creating an API token asks a user with a second factor for a fresh code (45 CFR
164.312(d); ASVS 5.0 6.3.3): none, a wrong one or one already used is refused beside the field."""

from __future__ import annotations

import dataclasses
import re

import pyotp
import pytest
from flask.testing import FlaskClient

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import User
from tests.conftest import csrf_token, sign_in
from tests.mailbox import Mailbox
from tests.web.test_mfa import enrol


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return dataclasses.replace(settings, mail=mailbox.settings)


def test_a_token_needs_a_fresh_second_factor_code(
    client: FlaskClient, officer: User, clock: FixedClock
) -> None:
    sign_in(client, officer.email)
    secret, _ = enrol(client, clock)
    form = {"scope": "read", "expires": "30"}

    def create(**more: str) -> tuple[int, str]:
        token = csrf_token(client, "/account/api-tokens")
        answer = client.post("/account/api-tokens", data={**form, **more, "csrf_token": token})
        return answer.status_code, answer.get_data(as_text=True)

    status, html = create()
    assert status == 422 and 'id="code-error"' in html and "data-token" not in html
    used = pyotp.TOTP(secret).at(clock.now())  # the step enrolment just used
    status, html = create(code=used)
    assert status == 422 and "data-token" not in html
    clock.advance(seconds=30)
    status, html = create(code=pyotp.TOTP(secret).at(clock.now()))
    assert status == 200
    assert re.search(r"<code data-token>it_[^<]+</code>", html)
