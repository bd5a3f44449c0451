"""Sending e-mail over SMTP, configured from the environment (HIPAA 164.312(e): TLS in production).

Reminders carry no PHI: an incident number, the duty, its due date and a link.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from incident_tracker.core.parsing import has_control_characters, without_control_characters


@dataclass(frozen=True)
class MailSettings:
    host: str = "127.0.0.1"
    port: int = 8025
    security: str = "none"  # none | starttls | ssl
    user: str = ""
    password: str = ""
    sender: str = "incident-tracker@localhost"
    allow_plaintext: bool = False
    drill_to: str = ""  # drill mode: every message goes to this one address
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings:
        def flag(key: str) -> bool:
            return env.get(key, "").strip().lower() in {"1", "true", "yes", "on"}

        return cls(
            host=env.get("SMTP_HOST", "127.0.0.1"),
            port=int(env.get("SMTP_PORT", "8025") or 8025),
            security=env.get("SMTP_SECURITY", "none").strip().lower(),
            user=env.get("SMTP_USER", ""),
            password=env.get("SMTP_PASSWORD", ""),
            sender=env.get("SMTP_FROM", "incident-tracker@localhost"),
            allow_plaintext=flag("SMTP_ALLOW_PLAINTEXT"),
            drill_to=env.get("MAIL_DRILL_TO", ""),
        )

    def problems(self, production: bool) -> list[str]:
        found = []
        if self.security not in ("none", "starttls", "ssl"):
            found.append("SMTP_SECURITY must be none, starttls or ssl")
        if production and self.security == "none" and not self.allow_plaintext:
            found.append("SMTP_SECURITY must be starttls or ssl (or SMTP_ALLOW_PLAINTEXT=1)")
        return found


class Connection(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class Mailer(Protocol):
    def connection(self) -> Any: ...


def _held_data(smtp: smtplib.SMTP, msg: Any, release: Callable[[], None]) -> tuple[int, bytes]:
    """smtplib's DATA step, holding back the end of the data until `release()` returns.

    The server accepts a message (and will deliver it) only when it reads the final "." line, so
    nothing done before that line can make the message go: meanwhile the caller can finish other
    work, such as committing the record of the previous message."""
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    content = msg.encode("ascii") if isinstance(msg, str) else bytes(msg)
    content = _LEADING_DOT.sub(b"..", content)
    if not content.endswith(b"\r\n"):
        content += b"\r\n"
    smtp.send(content)
    try:
        release()
    except BaseException:
        smtp.close()  # the "." never went: the server drops the message, nothing is delivered
        raise
    smtp.send(b".\r\n")
    return smtp.getreply()


_LEADING_DOT = re.compile(rb"(?m)^\.")


class _SMTP(smtplib.SMTP):
    release: Callable[[], None] | None = None

    def data(self, msg: Any) -> tuple[int, bytes]:
        if self.release is None:
            return super().data(msg)
        return _held_data(self, msg, self.release)


class _SMTPSSL(smtplib.SMTP_SSL):
    release: Callable[[], None] | None = None

    def data(self, msg: Any) -> tuple[int, bytes]:
        if self.release is None:
            return super().data(msg)
        return _held_data(self, msg, self.release)


class SMTPMailer:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    @contextmanager
    def connection(self) -> Iterator[_SMTPConnection]:
        """One SMTP session for a batch of messages."""
        s = self.settings
        context = ssl.create_default_context()
        smtp: _SMTP | _SMTPSSL
        if s.security == "ssl":
            smtp = _SMTPSSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = _SMTP(s.host, s.port, timeout=s.timeout)
        try:
            # The end of a held message is a few bytes sent on their own: without this, Nagle's
            # algorithm would wait for the server's delayed ACK of the data before sending them.
            if smtp.sock is not None:
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.user:
                smtp.login(s.user, s.password)
            yield _SMTPConnection(smtp, s)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):  # the server went away: just let go
                smtp.close()


class _SMTPConnection:
    def __init__(self, smtp: _SMTP | _SMTPSSL, settings: MailSettings) -> None:
        self.smtp = smtp
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        self.send_after(message, None)

    def send_after(self, message: EmailMessage, ready: Callable[[], None] | None) -> None:
        """Send `message`, but let the server accept it only once `ready()` has returned: the
        envelope and the data go first, the final "." after. If `ready()` raises, the connection
        is dropped before the "." and the message is not delivered."""
        if self.settings.drill_to:
            del message["To"]
            message["To"] = self.settings.drill_to
        self.smtp.release = ready
        try:
            self.smtp.send_message(message)
        finally:
            self.smtp.release = None


class Uncomposable(ValueError):
    """A message that cannot be written as e-mail: retried later, like a refused send."""


def compose(sender: str, to: str, subject: str, body: str, message_id: str) -> EmailMessage:
    """Names reach the subject from the database, and a record older than the forms' check may
    hold a line break: it is cleaned here, so no value can add a header (RFC 5322 section 2.2).
    An address is never cleaned (the result could be someone else's): one with control
    characters makes the message fail."""
    if any(has_control_characters(v) for v in (sender, to, message_id)):
        raise Uncomposable("an address or Message-ID has a line break or control character")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = without_control_characters(subject)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def failure(exc: BaseException, doing: str) -> str:
    """What the ledger, the tick's result and the log keep of a failed message: the exception's
    class, what was being done and an SMTP reply code, never the exception's text (it can quote
    a header value, an address or a statement's values)."""
    code = getattr(exc, "smtp_code", None) if isinstance(exc, smtplib.SMTPException) else None
    reply = f" (SMTP reply {code})" if isinstance(code, int) else ""
    return f"{type(exc).__name__}: failed {doing}{reply}"[:500]
