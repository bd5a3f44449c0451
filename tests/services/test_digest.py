"""The per-user daily digest: once a day after 08:00 local, only what the user may
see, due within 14 days, and no PHI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from email.message import EmailMessage

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import UserPreference
from incident_tracker.services import incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.digest import send_digests
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, make_user


class Collecting:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    @contextmanager
    def connection(self) -> Iterator[Collecting]:
        yield self

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


def test_daily_digest_lists_visible_duties_due_within_14_days_once_a_day(
    settings: Settings, clock: FixedClock
) -> None:
    """Discovered 2026-10-01: F1 due 2026-11-30 (60 days), within 14 days of 2026-11-23; the
    restricted incident of someone else never appears."""
    reader = make_user(settings, "reader@example.org", "read_only")
    other = make_user(settings, "other@example.org", "privacy_officer")
    engine = make_engine(settings.db_url)
    trusted = Actor(None, "test", trusted=True)
    with unit_of_work(engine) as session:
        call = Call(session, trusted, clock.now(), AUDIT_KEY)
        base = IncidentValues(
            title="Jane Doe's chart sent to wrong payer",
            discovered_on=date(2026, 10, 1),
            states={"PA": 10},
            data_elements=("name", "diagnosis"),
            owner_id=other.id,
        )
        shown = incidents.create(call, base)
        hidden = incidents.create(call, IncidentValues(**{**base.__dict__, "restricted": True}))
        session.add(UserPreference(user_id=reader.id or 0, daily_digest=True))
    mailer = Collecting()
    early = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 07:00 in New York: too early
    assert send_digests(engine, AUDIT_KEY, mailer, "it@example.org", "https://it", early) == 0
    at_nine = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
    assert send_digests(engine, AUDIT_KEY, mailer, "it@example.org", "https://it", at_nine) == 1
    assert send_digests(engine, AUDIT_KEY, mailer, "it@example.org", "https://it", at_nine) == 0
    (message,) = mailer.sent
    body = message.get_content()
    assert message["To"] == "reader@example.org"
    assert f"2026-11-30  {shown.number}  F1" in body
    assert hidden.number not in body
    assert "Jane Doe" not in body and "diagnosis" not in body
    engine.dispose()
