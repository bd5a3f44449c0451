"""Server-side request forgery: a webhook URL is resolved once, every address it gives must be
public (loopback only where allowed: outside production), the connection goes to that address
(TLS still checks the host name), and nothing is followed elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from incident_tracker.services import webhook_transport as transport
from incident_tracker.services.webhook_transport import Refused
from tests.api.receiver import Receiver, certificate_for

REFUSED = [
    ("10.0.0.5", "private"),
    ("172.16.3.4", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),  # AWS, GCP and Azure instance metadata
    ("fe80::1", "link-local"),
    ("fd00:ec2::254", "metadata"),  # AWS metadata over IPv6
    ("100.100.100.200", "metadata"),  # Alibaba Cloud metadata
    ("100.64.0.1", "not a public one"),  # carrier-grade NAT, shared address space
    ("0.0.0.0", "private"),
    ("::ffff:10.0.0.5", "private"),  # IPv4-mapped IPv6
    ("127.0.0.1", "loopback"),
    ("::1", "loopback"),
    ("224.0.0.1", "private or reserved"),
]


@pytest.mark.parametrize(("address", "why"), REFUSED)
def test_non_public_addresses_are_refused(address: str, why: str) -> None:
    with pytest.raises(Refused, match=why):
        transport.check_address(address, allow_loopback=False)


def test_public_addresses_pass_and_loopback_only_where_allowed() -> None:
    assert transport.check_address("93.184.215.14", allow_loopback=False) == "93.184.215.14"
    assert transport.check_address("2606:4700::1", allow_loopback=False) == "2606:4700::1"
    assert transport.check_address("127.0.0.1", allow_loopback=True) == "127.0.0.1"
    with pytest.raises(Refused):
        transport.check_address("10.0.0.5", allow_loopback=True)  # loopback only, not private


@pytest.mark.parametrize(
    ("url", "production", "why"),
    [
        ("http://hooks.example.org/x", False, "use https://"),
        ("http://127.0.0.1:9000/x", True, "use https://"),  # not even local in production
        ("http://localhost:9000/x", False, "use https://"),  # only the literal address
        ("https://user:secret@hooks.example.org/", False, "no user name or password"),
        ("https:///x", False, "needs a host"),
        ("https://hooks.example.org:99999/", False, "not a valid URL"),
        ("gopher://hooks.example.org/", False, "use https://"),
    ],
)
def test_urls_are_https_or_local_http_outside_production(
    url: str, production: bool, why: str
) -> None:
    with pytest.raises(Refused, match=why):
        transport.check_url(url, production)


def test_a_name_with_any_private_address_is_refused_before_connecting() -> None:
    """A DNS answer mixing a public and a private address (rebinding's first step) is refused."""
    with pytest.raises(Refused, match="private"):
        transport.pin("hooks.example.org", 443, False, lambda _h, _p: ["93.184.215.14", "10.0.0.5"])
    with pytest.raises(Refused, match="link-local"):
        transport.post(
            "https://metadata.example.org/latest",
            b"{}",
            {},
            production=True,
            allow_loopback=False,
            resolve=lambda _h, _p: ["169.254.169.254"],
        )


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[Receiver, object]]:
    server, client = certificate_for("hooks.example.test", tmp_path)
    running = Receiver().start(server)
    try:
        yield running, client
    finally:
        running.stop()


def test_the_connection_is_pinned_to_the_one_resolved_address_with_tls_for_the_name(
    tls_receiver: tuple[Receiver, object],
) -> None:
    receiver, context = tls_receiver
    lookups: list[str] = []

    def resolve(host: str, _port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]  # the name's address; a second lookup is never made

    sent = transport.post(
        f"https://hooks.example.test:{receiver.port}/in?x=1",
        b'{"a":1}',
        {"Content-Type": "application/json"},
        production=False,
        allow_loopback=True,
        resolve=resolve,
        context=context,  # type: ignore[arg-type]
    )
    assert sent.status == 200
    assert lookups == ["hooks.example.test"]
    (got,) = receiver.received
    assert got.headers["Host"] == f"hooks.example.test:{receiver.port}"
    assert (got.path, got.body) == ("/in?x=1", b'{"a":1}')


def test_tls_is_checked_against_the_name_not_the_pinned_address(
    tls_receiver: tuple[Receiver, object],
) -> None:
    receiver, context = tls_receiver
    with pytest.raises(OSError):  # ssl.SSLCertVerificationError: another name's certificate
        transport.post(
            f"https://other.example.test:{receiver.port}/in",
            b"{}",
            {},
            production=False,
            allow_loopback=True,
            resolve=lambda _h, _p: ["127.0.0.1"],
            context=context,  # type: ignore[arg-type]
        )
    assert receiver.received == []
