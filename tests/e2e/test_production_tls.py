"""The app as the README's "Deploying for real" section runs it: production settings, a migrated
database, accounts made with `incident-tracker create-user` (password on stdin), gunicorn serving
HTTPS itself with a certificate, and Debian's chromium signing in with a second factor (enrolled
at the first sign-in, as production requires of every role), logging an incident and sending a
notice to legal review over TLS.

Every POST crosses Flask-WTF's strict HTTPS referrer check (WTF_CSRF_SSL_STRICT): it passes only
because the pages' `Referrer-Policy: same-origin` lets the browser send a Referer to this origin
(https://flask-wtf.readthedocs.io/en/1.2.x/config/). The certificate is self-signed and made here
with the openssl command; the browser context accepts it, Python's own check trusts it as its CA.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from tests.e2e.conftest import TIMEOUT_MS, screenshot

BIN = Path(sys.executable).parent
ADMIN = "admin@example.org"
OFFICER = "officer@example.org"
PASSWORD = "a long production passphrase 7"
EXPIRED = "The form expired or was not sent from this site"
STARTUP_SECONDS = 20


@dataclass(frozen=True)
class Deployment:
    base_url: str
    database: Path
    cert: Path
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1 (one day, P-256)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def operator(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [str(BIN / "incident-tracker"), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"incident-tracker {args[0]}: {done.stderr}"
    return done.stdout


def wait_until_serving(
    base_url: str, cert: Path, server: subprocess.Popen[bytes], log: Path
) -> None:
    """Poll /healthz over TLS, checking the certificate against itself as the only CA."""
    context = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", context=context, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    """The README's commands, in order, in a clean environment (nothing inherited but PATH)."""
    instance = tmp_path / "instance"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "INCIDENT_TRACKER_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "AUDIT_KEY": secrets.token_urlsafe(48),
        "MFA_ENCRYPTION_KEY": secrets.token_urlsafe(48),
        "INSTANCE_PATH": str(instance),
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
    }
    operator(env, "migrate")
    operator(env, "create-user", "--role", "admin", ADMIN, stdin=PASSWORD + "\n")
    operator(env, "create-user", "--role", "privacy_officer", OFFICER, stdin=PASSWORD + "\n")
    cert, key = self_signed(tmp_path)
    port, log = free_port(), tmp_path / "gunicorn.log"
    env["BASE_URL"] = f"https://127.0.0.1:{port}"
    command = [
        str(BIN / "python"),
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--certfile",
        str(cert),
        "--keyfile",
        str(key),
        "incident_tracker.wsgi:app",
    ]
    base_url = f"https://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=out, stderr=out)
    try:
        wait_until_serving(base_url, cert, server, log)
        yield Deployment(base_url, instance / "incident-tracker.db", cert, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def open_context(browser: Browser, posts: list[Request]) -> BrowserContext:
    """A fresh context that accepts the self-signed certificate and records every POST."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, ignore_https_errors=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    return context


def sign_in(page: Page, base_url: str, email: str) -> int:
    """Production asks every role for a second factor (MFA_REQUIRED_ROLES defaults to all): the
    first sign-in leads only to enrolment; then sign out and in again with the password and a
    code from the authenticator (pyotp at the server's real clock). Returns the POSTs made."""
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/account/mfa")
    page.goto(f"{base_url}/incidents")  # any other page: back to enrolment
    expect(page).to_have_url(f"{base_url}/account/mfa")
    totp = pyotp.TOTP(page.locator("#mfa-secret").inner_text())
    page.fill("#code", totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="Sign out").click()
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/login/code")
    page.fill("#code", totp.at(time.time() + 30))  # the next step's: the last one is spent
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/")
    return 5  # password, enrolment, sign-out, password, code


def assert_posts_carried_this_origin(posts: list[Request], base_url: str, count: int) -> None:
    """Every POST went to the app with a Referer from the app (Referrer-Policy: same-origin)."""
    assert len(posts) == count, [p.url for p in posts]
    for post in posts:
        assert post.url.startswith(f"{base_url}/")
        assert post.all_headers().get("referer", "").startswith(f"{base_url}/"), post.url


def post_sign_in(base_url: str, cert: Path, referer: str | None) -> tuple[int, str, str]:
    """The admin's sign-in POST with the form's own token and cookie, with or without a Referer:
    the status, the final address (after the redirect) and the page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=str(cert))),
        urllib.request.HTTPCookieProcessor(jar),
    )
    with opener.open(f"{base_url}/login", timeout=5) as page:
        form = page.read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    body = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": ADMIN, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(f"{base_url}/login", data=body, method="POST")
    if referer is not None:
        request.add_header("Referer", referer)
    try:
        with opener.open(request, timeout=5) as answer:
            return answer.status, answer.url, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.url, refused.read().decode()


def test_production_over_tls_signs_in_logs_an_incident_and_submits_a_notice_for_review(
    browser: Browser, deployment: Deployment
) -> None:
    base_url = deployment.base_url

    # The admin: sign-in page headers over HTTPS, the cookie, then the organisation profile.
    admin_posts: list[Request] = []
    admin = open_context(browser, admin_posts)
    try:
        page = admin.new_page()
        first = page.goto(f"{base_url}/login")
        assert first is not None and first.status == 200
        assert first.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        assert first.headers["referrer-policy"] == "same-origin"
        signing_in = sign_in(page, base_url, ADMIN)
        cookies = admin.cookies()
        assert [c["name"] for c in cookies] == ["__Host-session"]
        assert cookies[0]["secure"] and cookies[0]["httpOnly"] and cookies[0]["path"] == "/"
        page.goto(f"{base_url}/admin/organisation")
        page.fill("#legal_name", "Smith & Sons Health")
        page.fill("#address", "100 Main Street, Albany, NY 12207")
        page.check("#is_covered_entity")
        page.select_option("#covered_entity_type", "provider")
        page.fill("#toll_free_number", "1-800-555-0100")
        page.fill("#contact_email", "privacy@smith-sons.example")
        page.get_by_role("button", name="Save profile").click()
        expect(page.locator(".flash")).to_contain_text("Organisation profile saved.")
        assert_posts_carried_this_origin(admin_posts, base_url, signing_in + 1)
    finally:
        admin.close()

    # The privacy officer: an incident discovered two days ago (the server's clock is real).
    officer_posts: list[Request] = []
    officer = open_context(browser, officer_posts)
    try:
        page = officer.new_page()
        signing_in = sign_in(page, base_url, OFFICER)
        discovered = (datetime.now(UTC) - timedelta(days=2)).date()
        page.goto(f"{base_url}/incidents/new")
        page.fill("#title", "Misdirected claim batch")
        page.fill("#narrative", "A claim batch went to a payer that is not the patients' plan.")
        page.select_option("#breach_type", "unauthorized_access_disclosure")
        page.select_option("#location", "network_server")
        page.fill("#discovered_on", discovered.isoformat())
        page.get_by_label("State 1", exact=True).fill("NY")
        page.get_by_label("Residents affected in State 1", exact=True).fill("600")
        for element in ("name", "ssn"):
            page.check(f"input[name=data_elements][value={element}]")
        page.check("input[name=medium][value=electronic]")
        page.check("input[name=acquired][value=yes]")
        page.check("input[name=phi_encrypted][value=no]")
        page.get_by_role("button", name="Create incident").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(base_url)}/incidents/\d+$"))
        expect(page.get_by_role("status")).to_contain_text("created; its obligations are below")
        incident_url = page.url

        # The notice details once, then the individual notice (F1, 45 CFR 164.404) drafted
        # and sent to legal review.
        page.goto(f"{incident_url}/notices")  # the incident's notices page
        page.locator("#notices").get_by_role("link", name="Notice details").click()
        page.fill("#what_happened", "A claim batch with names and SSNs went to the wrong payer.")
        page.fill("#what_we_are_doing", "The payer deleted the batch; we now check each address.")
        page.fill("#notice_date", (discovered + timedelta(days=5)).isoformat())
        page.get_by_role("button", name="Save details").click()
        expect(page.locator(".flash")).to_contain_text("Notice details saved (revision 1)")
        page.goto(f"{incident_url}/notices")
        individuals = page.locator('#notices tbody tr[data-rule-id="F1"]')
        expect(individuals).to_have_count(1)
        expect(individuals.locator("td").first).to_contain_text("notice to individuals")
        individuals.get_by_role("link").click()
        page.get_by_role("button", name="Create the draft").click()
        expect(page.locator("#review")).to_contain_text("Draft")
        expect(page.locator(".review-side")).to_contain_text("Nothing missing.")
        expect(page.locator(".notice-text")).to_contain_text("Smith & Sons Health")
        page.get_by_role("button", name="Submit for legal review").click()
        expect(page.locator("#review")).to_contain_text("In legal review")
        expect(page.locator("body")).not_to_contain_text(EXPIRED)
        screenshot(page, "production-tls-notice-in-review.png")
        # Sign-in with enrolment, incident, details, draft, submit.
        assert_posts_carried_this_origin(officer_posts, base_url, signing_in + 4)
    finally:
        officer.close()

    assert csrf_failures(deployment.database) == [], deployment.log.read_text()

    # The strict referrer check is still on: a valid token without a Referer, or with another
    # site's, is refused and audited; with the app's own Referer the form is answered.
    for referer in (None, "https://evil.example/login"):
        status, _, page_text = post_sign_in(base_url, deployment.cert, referer)
        assert status == 400 and EXPIRED in page_text
    status, landed, _ = post_sign_in(base_url, deployment.cert, f"{base_url}/login")
    assert (status, landed) == (200, f"{base_url}/login/code")  # the password alone: no session
    # Signed out, the refusals are counted in the address's failure window (one audit summary
    # row when it closes), not written one row each.
    failures = csrf_failures(deployment.database)
    assert len(failures) == 2
    assert "referrer header is missing" in failures[0]
    assert "referrer does not match" in failures[1]


def csrf_failures(database: Path) -> list[str]:
    """Refused forms: audit rows of signed-in users, then the signed-out window counts."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT detail FROM audit_event WHERE action = 'security.csrf_failure' ORDER BY id"
        ).fetchall()
        windows = db.execute("SELECT reasons FROM auth_failure_window ORDER BY id").fetchall()
    found = [str(detail) for (detail,) in rows]
    refused = [
        reason
        for (reasons,) in windows
        for reason, count in json.loads(reasons).items()
        if reason.startswith("form refused")
        for _ in range(count)
    ]
    return found + sorted(refused, key=lambda r: "does not match" in r)  # the order sent
