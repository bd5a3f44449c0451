"""Two web nodes behind one TLS proxy, as the README's "Several web nodes, one scheduler" runs
them: two gunicorn processes with production settings, each with its own instance folder but
the same SECRET_KEY and AUDIT_KEY, one database (the test's backend: PostgreSQL when
TEST_DATABASE_URL is set, else one SQLite file, which two nodes on one host may share) and one
STORAGE_PATH folder.

The requests carry what the proxy adds (X-Forwarded-Proto/-Host/-For, TRUSTED_PROXIES=1), and
each goes to the node the test picks, as a round-robin proxy would: a notice drafted through one
node, approved through the other, downloads through either with the same sign-in session (the
sessions are rows in the database); an attachment uploaded through one downloads through the
other. Nothing lands in either node's instance folder.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import Session, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.db.models import Attachment, NoticeApproval
from tests.conftest import AUDIT_KEY, PASSWORD, make_user
from tests.e2e.test_production_tls import free_port
from tests.web.test_notice_review import setup_incident

BIN = Path(sys.executable).parent
PUBLIC_HOST = "tracker.example"  # the name the proxy serves; the nodes never see their own
STARTUP_SECONDS = 30
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n" + bytes(range(256))


@dataclass
class Browser:
    """One person's browser as the proxy relays it: cookies kept here, each request sent to the
    node given. The session cookie is `__Host-` and Secure: the browser sends it because, to the
    browser, the site is https://tracker.example."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, port: int, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {
            "Host": f"127.0.0.1:{port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": PUBLIC_HOST,
            "X-Forwarded-For": "203.0.113.7",
            "Referer": f"https://{PUBLIC_HOST}/",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            for name, value in answer.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";", 1)[0]
                    key, _, kept = pair.partition("=")
                    self.cookies[key.strip()] = kept.strip()
            return answer.status, {k.lower(): v for k, v in answer.getheaders()}, content
        finally:
            connection.close()

    def token(self, port: int, path: str = "/") -> str:
        status, _, page = self.request(port, "GET", path)
        assert status == 200, page[:500]
        found = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        assert found, f"no CSRF token on {path}"
        return found.group(1).decode()

    def post(self, port: int, path: str, **fields: str) -> int:
        fields["csrf_token"] = self.token(port)
        body = urllib.parse.urlencode(fields).encode()
        status, _, page = self.request(
            port, "POST", path, body, "application/x-www-form-urlencoded"
        )
        assert status == 302, page.decode(errors="replace")[:2000]
        return status

    def sign_in(self, port: int, email: str) -> None:
        token = self.token(port, "/login")
        body = urllib.parse.urlencode(
            {"csrf_token": token, "email": email, "password": PASSWORD}
        ).encode()
        status, headers, page = self.request(
            port, "POST", "/login", body, "application/x-www-form-urlencoded"
        )
        assert status == 302 and headers["location"].endswith("/"), page[:2000]
        assert "__Host-session" in self.cookies


@dataclass(frozen=True)
class Cluster:
    ports: tuple[int, int]
    instances: tuple[Path, Path]
    storage: Path
    settings: Settings  # the shared database, for reading rows


def start_node(env: dict[str, str], port: int, log: Path, cwd: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "python"),
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "incident_tracker.wsgi:app",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=out)


def wait_until_serving(port: int, node: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert node.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status in (200, 503):
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise AssertionError(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture
def cluster(settings: Settings, tmp_path: Path) -> Iterator[Cluster]:
    """Node A and node B: the per-node environment the README lists, nothing else inherited."""
    storage = tmp_path / "storage"
    shared = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "INCIDENT_TRACKER_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "AUDIT_KEY": AUDIT_KEY,
        "MFA_ENCRYPTION_KEY": secrets.token_urlsafe(48),  # the same on every node
        "BASE_URL": "https://tracker.example.org",
        # The second factor has its own tests (tests/e2e/test_production_tls.py signs in with
        # one in production); these nodes sign in with the password alone.
        "MFA_REQUIRED_ROLES": "none",
        "DATABASE_URL": settings.db_url,
        "STORAGE_PATH": str(storage),
        "TRUSTED_PROXIES": "1",
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
    }
    instances = (tmp_path / "node-a", tmp_path / "node-b")
    ports = (free_port(), free_port())
    nodes = []
    try:
        for name, instance, port in zip("ab", instances, ports, strict=True):
            log = tmp_path / f"node-{name}.log"
            env = {**shared, "INSTANCE_PATH": str(instance)}
            nodes.append((start_node(env, port, log, tmp_path), port, log))
        for node, port, log in nodes:
            wait_until_serving(port, node, log)
        yield Cluster(ports, instances, storage, settings)
    finally:
        for node, _, _ in nodes:
            node.terminate()
        for node, _, _ in nodes:
            try:
                node.wait(timeout=10)
            except subprocess.TimeoutExpired:
                node.kill()
                node.wait()


def row(settings: Settings, model: type) -> object:
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            return session.exec(select(model)).one()
    finally:
        engine.dispose()


def test_a_notice_approved_through_one_node_downloads_through_the_other(
    cluster: Cluster, settings: Settings, clock: FixedClock
) -> None:
    officer_user = make_user(settings, "officer@example.org", "privacy_officer")
    make_user(settings, "legal@example.org", "legal_reviewer")
    incident_id, f1 = setup_incident(settings, clock, officer_user.id or 0)
    notice = f"/incidents/{incident_id}/obligations/{f1}/notice"
    a, b = cluster.ports

    officer, legal = Browser(), Browser()
    officer.sign_in(a, "officer@example.org")
    officer.post(b, notice)  # signed in through A, drafts through B
    officer.post(a, notice + "/submit", number="1")
    legal.sign_in(b, "legal@example.org")
    legal.post(b, notice + "/approve", number="1", override="1", reason="Counsel: facts pending")

    approval = row(settings, NoticeApproval)
    assert isinstance(approval, NoticeApproval)
    for who, port, fmt, expected in (
        (officer, a, "pdf", approval.pdf_sha256),
        (legal, a, "docx", approval.docx_sha256),
        (officer, b, "pdf", approval.pdf_sha256),
    ):
        status, headers, content = who.request(port, "GET", f"{notice}/versions/1/approved.{fmt}")
        assert status == 200, content[:500]
        assert "attachment;" in headers["content-disposition"]
        assert hashlib.sha256(content).hexdigest() == expected
    stored = cluster.storage / "notices" / approval.pdf_storage
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == approval.pdf_sha256

    # Evidence uploaded through B downloads through A.
    boundary, body = encode_multipart(
        {
            "csrf_token": officer.token(b),
            "kind": "forensic_report",
            "file": FileStorage(io.BytesIO(PDF), "Forensic report.pdf"),
        }
    )
    status, _, page = officer.request(
        b,
        "POST",
        f"/incidents/{incident_id}/attachments",
        body,
        f"multipart/form-data; boundary={boundary}",
    )
    assert status == 302, page[:2000]
    attachment = row(settings, Attachment)
    assert isinstance(attachment, Attachment)
    status, _, content = legal.request(
        a, "GET", f"/incidents/{incident_id}/attachments/{attachment.id}"
    )
    assert (status, content) == (200, PDF)
    assert (cluster.storage / "attachments" / attachment.storage_name).read_bytes() == PDF

    for instance in cluster.instances:
        assert not (instance / "notices").exists() and not (instance / "attachments").exists()
