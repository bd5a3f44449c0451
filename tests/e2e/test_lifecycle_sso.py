"""An account's whole life in Debian's chromium, single sign-on and break-glass included.

Without single sign-on: an admin invites, the invitee sets a password from the e-mailed link (read
from a real SMTP server), enrols a second factor (their role must use one), signs out, signs in
with a TOTP code (the same code is refused when replayed), then with a recovery code, and resets
a forgotten password by e-mail, passing the second factor first.

Then the organisation turns single sign-on on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET;
the app restarted on the same database) against an OpenID provider served over HTTP on 127.0.0.1
(oidc-provider-mock, built on Authlib's server). The browser goes to the provider's own page and
back. Refused: an e-mail no admin registered, an e-mail the provider does not mark verified, and
an answer that comes back after the ten minutes the app waits; the invitee's local password is
refused too. Accepted: the invitee's verified e-mail is linked by issuer and subject, and the app
still asks its own second factor. The provider does not enforce PKCE (RFC 7636), so every code
redemption is recorded at the provider and the verifier the app sent is checked against the S256
challenge of the authorization request it started from (§4.2, §4.6).

Last, the admin (signed in by single sign-on) breaks the glass on the invitee's restricted
incident (45 CFR 164.312(a)(2)(ii)): the owner is told by e-mail at once and the page lists the use.

The clock starts at the real time and only moves forward: the provider signs its ID tokens with
the real time and the app checks them against its injected clock (no more than a minute early).
Screenshots of the single sign-on pages go to test-artifacts/sso-*.png.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import importlib
import io
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests
from authlib.deprecate import AuthlibDeprecationWarning
from flask import Flask
from playwright.sync_api import Page, expect
from sqlmodel import Session, select
from werkzeug.serving import BaseWSGIServer, make_server

from incident_tracker import create_app
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.db.models import AuditEvent, OidcLink, User
from incident_tracker.services import sso, users
from incident_tracker.web.sso import SSO_PENDING_SECONDS
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import Serve, screenshot, sign_in
from tests.e2e.test_account_lifecycle import ADMIN, CHOSEN, INVITEE, RESET, sign_out
from tests.mailbox import Mailbox, body, link_in
from tests.services.test_obligation_versions import NY_600
from tests.web.test_incident_lifecycle import seed

with warnings.catch_warnings():
    # The provider (a test tool, not the app) imports two Authlib modules Authlib deprecates:
    # its JOSE module and its httpx client. The app uses neither (services/oidc_client.py).
    warnings.filterwarnings(
        "ignore", "authlib.jose module is deprecated", AuthlibDeprecationWarning
    )
    warnings.filterwarnings("ignore", "The httpx module is deprecated", AuthlibDeprecationWarning)
    oidc_provider_mock = importlib.import_module("oidc_provider_mock")

# The provider's token endpoint calls an Authlib server hook Authlib deprecates (in the provider's
# thread, on every code redeemed); only that message is let through, everything else stays an error.
pytestmark = pytest.mark.filterwarnings(
    r"ignore:get_jwt_config\(self, grant\) is deprecated:DeprecationWarning"
)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class TokenRequests:
    """WSGI middleware in front of the provider: keeps the form of every POST to its token
    endpoint, so the test sees the `code_verifier` the app sent server to server."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        self.forms: list[dict[str, list[str]]] = []

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/oauth2/token" and environ["REQUEST_METHOD"] == "POST":
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            self.forms.append(parse_qs(raw.decode()))
            environ["wsgi.input"] = io.BytesIO(raw)
        return self.app(environ, start_response)


@dataclasses.dataclass
class Provider:
    url: str
    tokens: TokenRequests

    def user(self, sub: str, **claims: object) -> None:
        answer = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        assert answer.status_code == 204

    def register(self, redirect_uri: str) -> tuple[str, str]:
        answer = requests.post(
            f"{self.url}/oauth2/clients", json={"redirect_uris": [redirect_uri]}, timeout=10
        ).json()
        return str(answer["client_id"]), str(answer["client_secret"])


def _thread(server: BaseWSGIServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return thread


@pytest.fixture
def provider() -> Iterator[Provider]:
    """The provider as a real HTTP server on 127.0.0.1: clients must register, nonce required."""
    tokens = TokenRequests(
        oidc_provider_mock.app(require_client_registration=True, require_nonce=True)
    )
    server = make_server("127.0.0.1", 0, tokens, threaded=True)
    thread = _thread(server)
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}", tokens)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def serve_sso(provider: Provider) -> Iterator[Callable[[Settings], str]]:
    """Start the app with single sign-on on: the port is bound first, so the client registers
    its exact redirect URI with the provider before the app is made with the client's id."""
    running: list[tuple[BaseWSGIServer, threading.Thread, Flask]] = []

    def start(settings: Settings) -> str:
        server = make_server("127.0.0.1", 0, Flask("placeholder"), threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        client_id, secret = provider.register(f"{base}/login/sso/callback")
        app = create_app(
            dataclasses.replace(
                settings,
                oidc_issuer=provider.url,
                oidc_client_id=client_id,
                oidc_client_secret=secret,
            )
        )
        server.app = app
        running.append((server, _thread(server), app))
        return base

    yield start
    for server, thread, app in running:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.extensions["incident_tracker.engine"].dispose()


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def to_provider(page: Page, base_url: str, provider: Provider) -> dict[str, list[str]]:
    """From the app's sign-in page to the provider's own page; the authorization request."""
    page.goto(f"{base_url}/login")
    page.get_by_role("link", name="Sign in with single sign-on").click()
    expect(page.locator("h1")).to_have_text("Authorize Client")
    assert page.url.startswith(f"{provider.url}/oauth2/authorize?")
    asked = parse_qs(urlsplit(page.url).query)
    assert asked["response_type"] == ["code"] and asked["code_challenge_method"] == ["S256"]
    assert asked["state"][0] and asked["nonce"][0] and "openid" in asked["scope"][0].split()
    return asked


def authorize(page: Page, sub: str, asked: dict[str, list[str]], provider: Provider) -> None:
    """The provider's form, as its user fills it; then the PKCE pair is checked: the verifier
    the app redeemed this code with is the one whose S256 it sent first (RFC 7636 §4.6)."""
    redeemed = len(provider.tokens.forms)
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()
    assert len(provider.tokens.forms) == redeemed + 1
    [verifier] = provider.tokens.forms[-1]["code_verifier"]
    assert 43 <= len(verifier) <= 128
    assert [s256(verifier)] == asked["code_challenge"]
    assert provider.tokens.forms[-1]["grant_type"] == ["authorization_code"]


def catch_up(clock: FixedClock) -> None:
    """The injected clock forward to at least the real time (the provider's ID tokens carry
    the real issue time; never backward, or a spent TOTP step would come round again)."""
    behind = (datetime.now(UTC) - clock.now()).total_seconds()
    clock.advance(seconds=max(0.0, behind) + 1)


def code_step(page: Page, code: str) -> None:
    expect(page.locator("h1")).to_have_text("Sign-in code")
    page.fill("#code", code)
    page.get_by_role("button", name="Continue").click()


def password(page: Page, base_url: str, email: str, chosen: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", chosen)
    page.get_by_role("button", name="Sign in").click()


def audited(settings: Settings, action: str) -> list[AuditEvent]:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))
    finally:
        engine.dispose()


def user_of(settings: Settings, email: str) -> User:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            return session.exec(select(User).where(User.email == email)).one()
    finally:
        engine.dispose()


def links(settings: Settings) -> list[tuple[str, str, str]]:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            found = session.exec(select(OidcLink, User.email).join(User)).all()
            return sorted((email, link.issuer, link.subject) for link, email in found)
    finally:
        engine.dispose()


def local_lifecycle(page: Page, base_url: str, clock: FixedClock, mailbox: Mailbox) -> pyotp.TOTP:
    """Invite, password, enrolment, TOTP (and its replay), recovery code, reset by e-mail."""
    sign_in(page, base_url, ADMIN, PASSWORD)
    page.goto(f"{base_url}/admin/users")
    page.fill("#email", INVITEE)
    page.select_option("#role", "privacy_officer")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".flash")).to_contain_text("a one-time link (72 hours) is on its way")
    own_role = page.get_by_label(f"Role for {ADMIN}")
    own_role.select_option("read_only")  # demoting oneself: refused beside the field
    page.locator("tr", has=own_role).get_by_role("button", name="Change role").click()
    refusal = page.locator("tr", has_text=ADMIN).get_by_role("alert")
    expect(refusal).to_have_text(users.OWN_ADMIN_ROLE)
    expect(page.get_by_label(f"Role for {ADMIN}")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "users-own-role-refused.png")
    sign_out(page)

    page.goto(link_in(mailbox.wait_for(INVITEE)))
    page.fill("#new_password", CHOSEN)
    page.get_by_role("button", name="Set my password").click()
    expect(page).to_have_url(f"{base_url}/account/mfa")
    totp = pyotp.TOTP(page.locator("#mfa-secret").inner_text())
    page.fill("#code", totp.at(clock.now()))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Continue").click()
    sign_out(page)

    clock.advance(seconds=30)
    used = totp.at(clock.now())
    password(page, base_url, INVITEE, CHOSEN)
    code_step(page, used)
    expect(page).to_have_url(f"{base_url}/")
    sign_out(page)
    password(page, base_url, INVITEE, CHOSEN)
    code_step(page, used)  # the same code, same 30-second window: replayed
    expect(page.get_by_role("alert")).to_contain_text("not correct, or it was already used")
    code_step(page, codes[0])
    expect(page.locator(".flash")).to_contain_text("recovery code; it cannot be used again")
    sign_out(page)

    page.goto(f"{base_url}/password/forgot")
    page.fill("#email", INVITEE)
    page.get_by_role("button", name="Send me a reset link").click()
    page.goto(link_in(mailbox.wait_for(INVITEE, count=2)))
    clock.advance(seconds=30)
    code_step(page, totp.at(clock.now()))
    page.fill("#new_password", RESET)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.locator(".flash")).to_contain_text("Your password is set")
    return totp


def test_the_whole_account_lifecycle_then_single_sign_on_then_break_glass(
    page: Page,
    serve: Serve,
    serve_sso: Callable[[Settings], str],
    settings: Settings,
    clock: FixedClock,
    mailbox: Mailbox,
    provider: Provider,
) -> None:
    page.set_default_timeout(15_000)  # a sign-in by the provider is four requests on two servers
    settings = dataclasses.replace(
        settings, mail=mailbox.settings, mfa_required_roles=("privacy_officer",)
    )
    make_user(settings, ADMIN, "admin")
    totp = local_lifecycle(page, serve(settings), clock, mailbox)
    invitee = user_of(settings, INVITEE)
    restricted = dataclasses.replace(
        NY_600,
        title="Quokka psychiatry export",
        restricted=True,
        owner_id=invitee.id,
        discovered_on=date(2026, 10, 1),
    )
    (incident_id,) = seed(settings, clock, restricted)

    # Single sign-on on, the same database, the app restarted.
    base_url = serve_sso(settings)
    catch_up(clock)
    password(page, base_url, INVITEE, RESET)
    expect(page.get_by_role("alert")).to_contain_text("This site uses single sign-on")
    screenshot(page, "sso-1-login.png")

    provider.user("stranger-sub", email="stranger@example.org", email_verified=True)
    provider.user("unverified-sub", email=INVITEE, email_verified=False)
    for sub in ("stranger-sub", "unverified-sub"):
        asked = to_provider(page, base_url, provider)
        if sub == "stranger-sub":
            screenshot(page, "sso-2-provider.png")
        authorize(page, sub, asked, provider)
        assert page.url.startswith(f"{base_url}/login/sso/callback?")
        expect(page.get_by_role("alert")).to_contain_text(sso.NOT_SET_UP.split(":")[0])
        screenshot(page, f"sso-3-refused-{sub}.png")
        page.goto(f"{base_url}/")
        expect(page).to_have_url(f"{base_url}/login?next=/")  # not signed in
    refusals = [e.detail for e in audited(settings, "auth.sso_refused")]
    assert refusals == [
        "no account with this e-mail (no self-sign-up) (stranger@example.org)",
        f"e-mail not verified by the provider ({INVITEE})",
    ]

    # An answer after the ten minutes the app waits for it: refused, and no link made.
    provider.user("newcomer-sub", email=INVITEE, email_verified=True)
    asked = to_provider(page, base_url, provider)
    clock.advance(seconds=SSO_PENDING_SECONDS + 1)
    page.fill("input[name=sub]", "newcomer-sub")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("alert")).to_have_text(sso.FAILED)
    assert audited(settings, "auth.sso_refused")[-1].detail == (
        "state missing, expired or not this browser's"
    )
    assert links(settings) == []

    # The invitee: linked by issuer and subject, and the app's own second factor still asked.
    asked = to_provider(page, base_url, provider)
    authorize(page, "newcomer-sub", asked, provider)
    expect(page).to_have_url(f"{base_url}/login/code")
    screenshot(page, "sso-4-code.png")
    clock.advance(seconds=30)
    code_step(page, totp.at(clock.now()))
    expect(page).to_have_url(f"{base_url}/")
    expect(page.locator("body")).to_contain_text(INVITEE)
    screenshot(page, "sso-5-signed-in.png")
    assert links(settings) == [(INVITEE, provider.url, "newcomer-sub")]
    sign_out(page)

    # The admin signs in by single sign-on too, and breaks the glass on the invitee's incident.
    provider.user("admin-sub", email=ADMIN, email_verified=True)
    authorize(page, "admin-sub", to_provider(page, base_url, provider), provider)
    expect(page).to_have_url(f"{base_url}/")
    page.goto(f"{base_url}/incidents/{incident_id}")
    expect(page.locator("h1")).to_have_text("404")
    expect(page.get_by_text("Quokka")).to_have_count(0)
    page.get_by_role("link", name="break the glass").click()
    page.get_by_label("Reason").fill("Owner on leave; HHS called about this export today")
    opened_at = clock.now()
    page.get_by_role("button", name="Break glass").click()
    expect(page.locator("h1")).to_contain_text("Quokka psychiatry export")
    screenshot(page, "sso-6-incident.png")
    page.get_by_role("link", name="People", exact=True).click()  # owner, assignees, break-glass
    uses = page.locator("#break-glass-uses li")
    expect(uses).to_have_count(1)
    until = (opened_at + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M UTC")
    expect(uses).to_contain_text(f"{ADMIN}")
    expect(uses).to_contain_text(f"access until {until}")
    screenshot(page, "sso-7-break-glass-uses.png")
    told = mailbox.wait_for(INVITEE, count=3)  # invitation, reset link, then this
    assert told["Subject"].startswith(f"Break-glass: {ADMIN} opened ")
    assert "Quokka" not in body(told)  # no incident details by e-mail
    assert links(settings) == sorted(
        [(INVITEE, provider.url, "newcomer-sub"), (ADMIN, provider.url, "admin-sub")]
    )
