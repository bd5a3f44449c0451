"""A per-user, revocable secret calendar feed of open deadlines.

Only the SHA-256 of the secret is stored, so the database alone cannot rebuild a feed URL. The
feed lists, for the incidents its owner may see (the same SQL filter as the register), one all-day
event per open dated obligation: incident number, rule and recipient, never a title, narrative or
anything else about the people affected. Each event's UID is the obligation's stable identity, so a
moved deadline moves the event. Written by hand per RFC 5545 (CRLF line ends, TEXT escaping,
folding at 75 octets).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_
from sqlmodel import col, select

from incident_tracker.core import lifecycle
from incident_tracker.core.permissions import Action, can
from incident_tracker.db.models import Incident, ObligationRecord, User, UserPreference
from incident_tracker.services import preferences
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.register import visible

OPEN_STATUSES = lifecycle.OPEN_STATUSES
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,128}")
MAX_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
UID_DOMAIN = "incident-tracker"
PRODID = "-//incident-tracker//Breach notification deadlines//EN"
KIND_LABELS = {"internal": "Internal target", "contractual": "Contractual deadline"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(call: Call) -> str:
    """A new secret for the user's feed, replacing (and so invalidating) any earlier one. The
    secret is returned once; only its hash is kept."""
    call.require(Action.VIEW_INCIDENT)
    pref = preferences.row(call)
    replaced = pref.calendar_token_hash is not None
    token = secrets.token_urlsafe(32)
    pref.calendar_token_hash = token_hash(token)
    call.session.add(pref)
    call.audit(
        "calendar.feed_created",
        object_type="user",
        object_id=pref.user_id,
        new={"replaced": replaced},
    )
    return token


def revoke(call: Call) -> bool:
    """End the user's feed URL; True when there was one."""
    found = call.session.get(UserPreference, preferences.user_id(call))
    if found is None or found.calendar_token_hash is None:
        return False
    found.calendar_token_hash = None
    call.session.add(found)
    call.audit("calendar.feed_revoked", object_type="user", object_id=found.user_id)
    return True


def owner_of(call: Call, token: str) -> User | None:
    """The active user whose feed this secret opens, or None (unknown, revoked, disabled)."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    found = call.session.exec(
        select(User)
        .join(UserPreference, col(UserPreference.user_id) == User.id)
        .where(UserPreference.calendar_token_hash == token_hash(token))
    ).first()
    if found is None or not found.is_active or not can(found.role, Action.VIEW_INCIDENT):
        return None
    return found


@dataclass(frozen=True)
class FeedEvent:
    obligation_id: int
    incident_id: int
    number: str
    rule: str
    recipient: str
    kind: str
    citation: str
    due: date
    sequence: int


def events(call: Call) -> list[FeedEvent]:
    """Open dated obligations of open incidents the call's user may see, by due date (one query).
    Record-keeping duties are not deadlines and are left out."""
    rows = call.session.exec(
        select(ObligationRecord, Incident.number)
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .where(
            and_(
                visible(call),
                col(Incident.status).in_(OPEN_STATUSES),
                col(ObligationRecord.live).is_(True),
                col(ObligationRecord.done_on).is_(None),
                col(ObligationRecord.due).is_not(None),
                col(ObligationRecord.kind) != "record",
            )
        )
        .order_by(col(ObligationRecord.due), col(ObligationRecord.id))
    ).all()
    out = []
    for record, number in rows:
        terms: dict[str, Any] = json.loads(record.terms)
        out.append(
            FeedEvent(
                record.id or 0,
                record.incident_id,
                number,
                f"{record.rule_id}{' ' + record.state if record.state else ''}",
                str(terms.get("recipient", "")),
                record.kind,
                str(terms.get("citation", "")),
                record.due or date.min,
                record.version,
            )
        )
    return out


def feed(call: Call, token: str, base_url: str) -> str | None:
    """The ICS text for the feed this secret opens, or None (the view answers 404)."""
    owner = owner_of(call, token)
    if owner is None:
        return None
    as_owner = Call(
        call.session,
        Actor(owner.id, owner.email, owner.role, call.actor.client_address),
        call.now,
        call.audit_key,
    )
    return render(events(as_owner), call.now, base_url)


def escape(text: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped, newlines as \\n, no other
    control characters."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return _CONTROL.sub("", text)


def fold(line: str) -> str:
    """RFC 5545 3.1: at most 75 octets per line, continued after CRLF and one space, never
    splitting a UTF-8 character."""
    lines: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > MAX_OCTETS:
            lines.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += octets
    lines.append("".join(current))
    return "\r\n".join(lines)


def render(items: list[FeedEvent], now: datetime, base_url: str) -> str:
    """The VCALENDAR text: one all-day VEVENT per obligation, every line CRLF-ended and folded."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = base_url.rstrip("/")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape("Incident deadlines"),
    ]
    for e in items:
        label = KIND_LABELS.get(e.kind, "Legal deadline")
        description = f"{label}: {e.citation}\nOpen the incident: {base}/incidents/{e.incident_id}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:obligation-{e.obligation_id}@{UID_DOMAIN}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{e.sequence}",
            f"DTSTART;VALUE=DATE:{e.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.due + timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + escape(f"{e.number} {e.rule} {e.recipient}"),
            "DESCRIPTION:" + escape(description),
            f"URL:{base}/incidents/{e.incident_id}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
