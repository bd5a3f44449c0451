"""The per-user daily digest: what falls due in the next 14 days, once a day after the send hour.

Only incidents the user may see (restricted ones: owner and assignees), and no PHI: incident
numbers, duties, dates and links.
"""

from __future__ import annotations

import json
import logging
import smtplib
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from incident_tracker.core import lifecycle
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import Incident, ObligationRecord, User, UserPreference
from incident_tracker.mail import compose, failure
from incident_tracker.services.audit import SYSTEM, Actor
from incident_tracker.services.call import Call
from incident_tracker.services.register import visible
from incident_tracker.services.reminders import zone

log = logging.getLogger(__name__)
HORIZON_DAYS = 14
SEND_HOUR = 8


def send_digests(
    engine: Engine, audit_key: str, mailer: Any, sender: str, base_url: str, now: datetime
) -> int:
    """Send today's digests that have not gone yet; returns how many were sent. One that cannot
    be composed or sent (an address an old record holds) is tried again on a later tick, and
    the others still go."""
    with unit_of_work(engine, read_only=True) as session:
        call = Call(session, SYSTEM, now, audit_key)
        local = now.astimezone(zone(call))
        if local.hour < SEND_HOUR:
            return 0
        today = local.date()
        wanting = session.exec(
            select(UserPreference, User)
            .join(User, col(User.id) == UserPreference.user_id)
            .where(col(UserPreference.daily_digest).is_(True), col(User.is_active).is_(True))
        ).all()
        due = [(p.user_id, u) for p, u in wanting if p.last_digest_on != today]
    sent = 0
    for user_id, user in due:
        try:
            sent += _send_one(engine, audit_key, mailer, sender, base_url, now, today, user)
        except _THIS_MESSAGE_ONLY as exc:
            log.warning("digest for user %s: %s", user_id, failure(exc, "sending the digest"))
        except OSError:  # the server cannot be reached: every digest waits for a later tick
            raise
        except Exception as exc:  # cannot be composed (an address an old record holds)
            log.warning("digest for user %s: %s", user_id, failure(exc, "composing the digest"))
    return sent


# Refusals of one message (smtplib's errors are OSErrors too, but these leave the server usable).
_THIS_MESSAGE_ONLY = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


def _send_one(
    engine: Engine,
    audit_key: str,
    mailer: Any,
    sender: str,
    base_url: str,
    now: datetime,
    today: date,
    user: User,
) -> int:
    """One user's digest in its own transaction: 1 when it went, 0 when it had already gone."""
    user_id = user.id or 0
    with unit_of_work(engine) as session:
        preference = session.get(UserPreference, user_id)
        if preference is None or preference.last_digest_on == today:
            return 0
        actor = Actor(user.id, user.email, user.role)
        rows = session.exec(
            select(ObligationRecord, Incident.number)
            .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
            .where(
                visible(Call(session, actor, now, audit_key)),
                col(Incident.status).in_(lifecycle.OPEN_STATUSES),
                col(ObligationRecord.live).is_(True),
                col(ObligationRecord.done_on).is_(None),
                col(ObligationRecord.kind) != "record",
                col(ObligationRecord.due) <= today + timedelta(days=HORIZON_DAYS),
            )
            .order_by(col(ObligationRecord.due))
            .limit(200)
        ).all()
        lines = [
            f"{r.due}  {number}  {r.rule_id}{' ' + r.state if r.state else ''}  "
            f"{json.loads(r.terms)['recipient']}  {base_url.rstrip('/')}/incidents/"
            f"{r.incident_id}"
            for r, number in rows
        ]
        body = "\n".join(
            [f"Due in the next {HORIZON_DAYS} days (or overdue), as of {today}:", ""]
            + (lines or ["Nothing."])
            + ["", "This message contains no patient information."]
        )
        domain = sender.rsplit("@", 1)[-1] or "incident-tracker"
        message = compose(
            sender,
            user.email,
            f"Deadlines digest for {today}",
            body,
            f"<digest-{user.id}-{today}@{domain}>",
        )
        with mailer.connection() as connection:
            connection.send(message)
        preference.last_digest_on = today
        session.add(preference)
        Call(session, SYSTEM, now, audit_key).audit(
            "digest.sent", object_type="user", object_id=user.id, detail=f"{len(rows)} items"
        )
    return 1
