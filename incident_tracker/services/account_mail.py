"""E-mails about a user's own account: invitation and reset links, a second factor removed.

Sent at once over SMTP from the request that asks (the link must reach the user now, and the
token is never stored where a queue could hold it); a failure is logged as its class only (mail.py
`failure`) and reported to the caller. Production refuses plaintext SMTP here as the scheduler
does (45 CFR 164.312(e)(1)). No message carries patient information.
"""

from __future__ import annotations

import logging
import smtplib
from email.utils import make_msgid

from incident_tracker.mail import MailSettings, SMTPMailer, Uncomposable, compose, failure

log = logging.getLogger(__name__)
FOOTER = (
    "\n\nThis message contains no patient information. If you did not expect it, tell your "
    "administrator."
)


def send(mail: MailSettings, production: bool, to: str, subject: str, body: str) -> bool:
    """True when the SMTP server accepted the message."""
    return sent_id(mail, production, to, subject, body) is not None


def sent_id(mail: MailSettings, production: bool, to: str, subject: str, body: str) -> str | None:
    """The Message-ID when the SMTP server accepted the message (for the outbox ledger)."""
    problems = mail.problems(production)
    if problems:
        log.error("account e-mail not sent: %s", "; ".join(problems))
        return None
    domain = mail.sender.rsplit("@", 1)[-1] or "incident-tracker"
    message_id = make_msgid("account", domain)
    try:
        message = compose(mail.sender, to, subject, body + FOOTER, message_id)
        with SMTPMailer(mail).connection() as connection:
            connection.send(message)
    except (OSError, smtplib.SMTPException, Uncomposable) as exc:
        log.error("%s", failure(exc, "sending an account e-mail"))
        return None
    return message_id


def invitation(link: str, hours: int) -> tuple[str, str]:
    return (
        "You are invited to the incident tracker",
        "An administrator created an account for you. Choose your password here (the link "
        f"works once, for {hours} hours):\n\n{link}",
    )


def reset(link: str, minutes: int) -> tuple[str, str]:
    return (
        "Reset your incident tracker password",
        "Someone asked to reset the password of this account. If it was you, choose a new "
        f"password here (the link works once, for {minutes} minutes):\n\n{link}\n\nIf it was "
        "not you, ignore this message: your password stays as it is.",
    )


def second_factor_removed(by: str) -> tuple[str, str]:
    return (
        "Your second sign-in factor was removed",
        f"An administrator ({by}) removed the authenticator app from your incident tracker "
        "account, and your sessions were ended. At your next sign-in you will set up a new one.",
    )
