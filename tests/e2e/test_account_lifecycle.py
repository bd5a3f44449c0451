"""An account's whole life in Debian's chromium: an admin invites, the invitee sets a password
from the e-mailed link (read from a real SMTP server), is held at enrolment (their role must use
a second factor), enrols, signs out, signs in with a TOTP code, then with a recovery code (which
works once), and resets a forgotten password by e-mail, passing the second factor first. Codes
come from pyotp at the injected clock, from the seed the enrolment page showed."""

from __future__ import annotations

import dataclasses
import re

import pyotp
from playwright.sync_api import Page, expect

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import Serve, screenshot, sign_in
from tests.mailbox import Mailbox, link_in

ADMIN = "admin@example.org"
INVITEE = "newcomer@example.org"
CHOSEN = "an invitee's own passphrase 4"
RESET = "a reset passphrase after all 8"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".flash")).to_contain_text("You are signed out.")


def password_step(page: Page, base_url: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", INVITEE)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/login/code")


def test_invite_enrol_sign_in_with_totp_and_recovery_code_then_reset_by_e_mail(
    page: Page, serve: Serve, settings: Settings, clock: FixedClock, mailbox: Mailbox
) -> None:
    settings = dataclasses.replace(
        settings, mail=mailbox.settings, mfa_required_roles=("privacy_officer",)
    )
    make_user(settings, ADMIN, "admin")
    base_url = serve(settings)

    sign_in(page, base_url, ADMIN, PASSWORD)
    page.goto(f"{base_url}/admin/users")
    page.fill("#email", INVITEE)
    page.select_option("#role", "privacy_officer")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".flash")).to_contain_text("a one-time link (72 hours) is on its way")
    expect(page.locator("code.secret")).to_have_count(0)  # no password on screen
    sign_out(page)

    page.goto(link_in(mailbox.wait_for(INVITEE)))
    expect(page.locator("h1")).to_have_text("Choose your password")
    page.fill("#new_password", "password")
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator("#new_password-error")).to_contain_text("12 characters")
    page.fill("#new_password", CHOSEN)
    page.get_by_role("button", name="Set my password").click()
    expect(page).to_have_url(f"{base_url}/account/mfa")
    page.goto(f"{base_url}/incidents/new")  # nothing else until a second factor is set up
    expect(page).to_have_url(f"{base_url}/account/mfa")
    expect(page.locator("img[alt^='QR code']")).to_have_attribute("src", re.compile("^data:"))
    totp = pyotp.TOTP(page.locator("#mfa-secret").inner_text())
    page.fill("#code", totp.at(clock.now()))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "mfa-recovery-codes.png")
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/")
    sign_out(page)

    clock.advance(seconds=30)
    password_step(page, base_url, CHOSEN)
    page.fill("#code", totp.at(clock.now()))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/")
    sign_out(page)

    password_step(page, base_url, CHOSEN)
    page.fill("#code", codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".flash")).to_contain_text("recovery code; it cannot be used again")
    sign_out(page)
    password_step(page, base_url, CHOSEN)
    page.fill("#code", codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct, or it was already used")

    page.goto(f"{base_url}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.fill("#email", INVITEE)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account uses that address")
    page.goto(link_in(mailbox.wait_for(INVITEE, count=2)))
    expect(page.locator("h1")).to_have_text("Sign-in code")
    clock.advance(seconds=30)
    page.fill("#code", totp.at(clock.now()))
    page.get_by_role("button", name="Continue").click()
    page.fill("#new_password", RESET)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.locator(".flash")).to_contain_text("Your password is set")
    clock.advance(seconds=30)
    password_step(page, base_url, RESET)
    page.fill("#code", totp.at(clock.now()))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/")
