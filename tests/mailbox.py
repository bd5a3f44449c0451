"""A real SMTP server (aiosmtpd on 127.0.0.1) that keeps what it receives, for tests that read
the account e-mails the app sends (reset and invitation links, second factor removed)."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller

from incident_tracker.mail import MailSettings

WAIT_SECONDS = 5.0


class Mailbox:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.received: list[EmailMessage] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(bytes(envelope.content), policy=policy.default)
        self.received.append(cast(EmailMessage, parsed))
        return "250 OK"

    @property
    def settings(self) -> MailSettings:
        return MailSettings(host="127.0.0.1", port=self.port, sender="tracker@example.org")

    def wait_for(self, to: str, count: int = 1) -> EmailMessage:
        """The `count`-th message to `to`, waiting a little (some are sent from a thread)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            found = [m for m in self.received if m["To"] == to]
            if len(found) >= count:
                return found[count - 1]
            time.sleep(0.02)
        raise AssertionError(f"no message {count} to {to}: {[m['To'] for m in self.received]}")

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def link_in(message: EmailMessage) -> str:
    """The one http(s) link in the message."""
    (found,) = re.findall(r"https?://\S+", body(message))
    return str(found)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()
