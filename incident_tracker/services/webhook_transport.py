"""Sending one webhook: the address resolved once and checked, the connection pinned to it,
redirects never followed, the body signed.

Server-side request forgery (OWASP ASVS 5.0 1.3.6, 15.3.2): a registered URL could name a host
that resolves to the database, the cloud metadata service or an admin port on the server's own
network. The host is resolved here once; every address it gives must be a public one (loopback
only outside production, for local receivers); the TCP connection goes to that checked address
(TLS still verifies the certificate against the host name), so a second lookup cannot swap in
another address; a 3xx answer is a failed attempt, never followed.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT = 10.0
# Cloud metadata services that are not link-local (169.254.169.254 and fd00:ec2::254 are refused
# as link-local / private anyway; Alibaba Cloud's is in the shared 100.64.0.0/10 block).
METADATA = frozenset(
    {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")}
)
Resolver = Callable[[str, int], list[str]]


class Refused(ValueError):
    """The URL or the address it resolves to may not be called."""


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(f"{host} does not resolve") from None
    return [str(info[4][0]) for info in infos]


def check_url(url: str, production: bool) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL: HTTPS, or HTTP to 127.0.0.1 outside
    production; no credentials in it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("not a valid URL") from None
    host = parts.hostname or ""
    if parts.username or parts.password:
        raise Refused("no user name or password in the URL")
    if not host:
        raise Refused("the URL needs a host")
    if parts.scheme == "https":
        return "https", host, port or 443
    if parts.scheme == "http" and host == "127.0.0.1" and not production:
        return "http", host, port or 80
    raise Refused("use https:// (http:// only to 127.0.0.1, and not in production)")


def check_address(address: str, allow_loopback: bool) -> str:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        if allow_loopback:
            return str(ip)
        raise Refused("the address is a loopback address")
    if ip in METADATA:
        raise Refused("the address is a cloud metadata service")
    if ip.is_link_local:
        raise Refused("the address is link-local (cloud metadata lives there)")
    if ip.is_private or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
        raise Refused("the address is private or reserved")
    if not ip.is_global:
        raise Refused("the address is not a public one")
    return str(ip)


def pin(host: str, port: int, allow_loopback: bool, resolve: Resolver) -> str:
    """The one address to connect to: every address the name gives must pass (an attacker's
    DNS could answer a public and a private one), then the first is used."""
    addresses = resolve(host, port)
    if not addresses:
        raise Refused(f"{host} does not resolve")
    checked = [check_address(a, allow_loopback) for a in addresses]
    return checked[0]


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=TIMESTAMP,v1=HMAC-SHA256(secret, TIMESTAMP + "." + body)` in hex."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=context)
        self._address = address
        self._context = context

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int) -> None:
        super().__init__(host, port, timeout=TIMEOUT)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


@dataclass(frozen=True)
class Sent:
    status: int


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    production: bool,
    allow_loopback: bool,
    resolve: Resolver = system_resolver,
    context: ssl.SSLContext | None = None,
) -> Sent:
    """POST once. Raises Refused (address), OSError (network) or returns the status."""
    scheme, host, port = check_url(url, production)
    address = pin(host, port, allow_loopback, resolve)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if scheme == "https":
        connection = _PinnedHTTPS(host, address, port, context or ssl.create_default_context())
    else:
        connection = _PinnedHTTP(host, address, port)
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return Sent(response.status)
    finally:
        connection.close()
