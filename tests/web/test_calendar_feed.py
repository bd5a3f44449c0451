"""The per-user calendar feed: a revocable secret URL serving RFC 5545 iCalendar
with one all-day event per open dated obligation the user may see, and no PHI.

The feed has no sign-in, so its secret is the credential: only its SHA-256 is stored (ASVS 5.0
11.4.2-style one-way storage of a secret), a replaced or revoked secret stops working, and a
restricted incident reaches no feed but its owner's and its assignees' (admins' neither; HIPAA
164.312(a)(1) access control; ASVS 8.2.2 data-specific access)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, Incident, ObligationRecord, User, UserPreference
from incident_tracker.services import calendar_feed, incidents, sending, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in

TRUSTED = Actor(None, "test", trusted=True)
OPEN_TITLE = "Lost laptop of Jane Roe"
SECRET_TITLE = "Psychiatric records of Richard Miles"
NARRATIVE = "Patient John Doe, SSN 123-45-6789, diagnosis: diabetes"
FEED_URL = re.compile(r'id="feed-url">([^<]+)<')


def physical_lines(body: bytes) -> list[bytes]:
    """Every line must end with CRLF and be at most 75 octets (RFC 5545 3.1)."""
    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare LF or CR"
    too_long = [line for line in lines if len(line) > 75]
    assert too_long == []
    for line in lines:
        line.decode("utf-8")  # folding never splits a UTF-8 character
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


@dataclass(frozen=True)
class Prop:
    name: str
    params: dict[str, str]
    value: str


def parse(body: bytes) -> tuple[list[Prop], list[dict[str, Prop]]]:
    """Unfold (CRLF + one space or tab), split NAME;PARAM=V:VALUE, group VEVENTs."""
    logical: list[str] = []
    for line in physical_lines(body):
        text = line.decode("utf-8")
        if text[:1] in (" ", "\t"):
            logical[-1] += text[1:]
        else:
            logical.append(text)
    props = []
    for line in logical:
        head, sep, value = line.partition(":")
        assert sep, f"no ':' in {line!r}"
        name, *params = head.split(";")
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*", name), name
        props.append(Prop(name, dict(p.split("=", 1) for p in params), value))
    assert [p.name for p in props[:1]] == ["BEGIN"] and props[0].value == "VCALENDAR"
    assert props[-1].name == "END" and props[-1].value == "VCALENDAR"
    events: list[dict[str, Prop]] = []
    current: dict[str, Prop] | None = None
    for p in props:
        if p.name == "BEGIN" and p.value == "VEVENT":
            current = {}
        elif p.name == "END" and p.value == "VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current[p.name] = p
    return props, events


@dataclass(frozen=True)
class World:
    officer: User  # owns the open incident
    colleague: User  # owns the restricted incident
    reviewer: User  # legal reviewer assigned to the restricted incident
    outsider: User  # privacy officer with no part in the restricted incident
    admin: User
    open_id: int
    restricted_id: int


def values(title: str, owner: User, **over: object) -> IncidentValues:
    data: dict[str, object] = {
        "title": title,
        "narrative": NARRATIVE,
        "discovered_on": date(2026, 11, 2),
        "breach_type": "theft",
        "location": "laptop",
        "states": {"NY": 600, "NJ": 10},
        "data_elements": ("name", "ssn", "diagnosis"),
        "acquired": True,
        "phi_encrypted": False,
        "risk_assessment": "not_low_probability",
        "owner_id": owner.id,
    }
    data.update(over)
    return IncidentValues(**data)  # type: ignore[arg-type]


@pytest.fixture
def world(settings: Settings, clock: FixedClock) -> World:
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    colleague = make_user(settings, "colleague@example.org", "privacy_officer")
    reviewer = make_user(settings, "reviewer@example.org", "legal_reviewer")
    outsider = make_user(settings, "outsider@example.org", "privacy_officer")
    admin = make_user(settings, "admin@example.org", "admin")
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, TRUSTED, clock.now(), AUDIT_KEY)
            shown = incidents.create(call, values(OPEN_TITLE, officer))
            hidden = incidents.create(
                call,
                values(
                    SECRET_TITLE,
                    colleague,
                    restricted=True,
                    assignee_ids=(reviewer.id or 0,),
                    states={"NY": 40},
                ),
            )
    finally:
        engine.dispose()
    return World(officer, colleague, reviewer, outsider, admin, shown.id or 0, hidden.id or 0)


def create_feed(app: Flask, email: str) -> tuple[FlaskClient, str]:
    """Sign in, create the feed on /account/calendar and return the path it shows once."""
    client = app.test_client()
    sign_in(client, email)
    response = client.post(
        "/account/calendar", data={"csrf_token": csrf_token(client, "/account/calendar")}
    )
    assert response.status_code == 200
    found = FEED_URL.search(response.get_data(as_text=True))
    assert found, "the new feed URL is shown"
    return client, urlsplit(found.group(1)).path


def fetch(app: Flask, path: str) -> list[dict[str, Prop]]:
    response = app.test_client().get(path)  # no sign-in: the secret is the credential
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return parse(response.get_data())[1]


def open_dated(app: Flask, incident_id: int) -> dict[str, date]:
    """UID -> due for the incident's live, undone, dated obligations that are not records."""
    with Session(app.extensions["incident_tracker.engine"]) as session:
        rows = session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == incident_id,
                col(ObligationRecord.live).is_(True),
                col(ObligationRecord.done_on).is_(None),
                col(ObligationRecord.due).is_not(None),
                ObligationRecord.kind != "record",
            )
        ).all()
        return {f"obligation-{r.id}@incident-tracker": r.due for r in rows if r.due}


def test_the_feed_is_valid_icalendar_with_one_all_day_event_per_open_dated_obligation(
    app: Flask, world: World
) -> None:
    """RFC 5545: CRLF, lines of at most 75 octets (folded, never inside a UTF-8 character),
    VCALENDAR with VERSION and PRODID, each VEVENT with UID, DTSTAMP, an all-day DTSTART and a
    SUMMARY of incident number, rule and recipient; commas and semicolons escaped."""
    _, path = create_feed(app, world.officer.email)
    response = app.test_client().get(path)
    props, events = parse(response.get_data())
    top = {p.name: p.value for p in props if p.name in ("VERSION", "PRODID")}
    assert top["VERSION"] == "2.0" and top["PRODID"]
    expected = open_dated(app, world.open_id)
    assert {e["UID"].value: e["DTSTART"].value for e in events} == {
        uid: f"{due:%Y%m%d}" for uid, due in expected.items()
    }
    for event in events:
        assert event["DTSTART"].params == {"VALUE": "DATE"}
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"].value)
        assert event["DTSTAMP"].value == "20261123T090000Z"  # the injected clock
    summaries = {unescape(e["SUMMARY"].value) for e in events}
    assert "INC-2026-0001 F1 Affected individuals" in summaries
    raw = response.get_data(as_text=True)
    assert "HHS Secretary (OCR breach portal\\, 500+)" in raw.replace("\r\n ", "")
    assert "\r\n " in raw  # long descriptions were folded
    assert any("§" in unescape(e["DESCRIPTION"].value) for e in events)  # NY citations


def test_no_title_narrative_or_patient_detail_reaches_the_feed(app: Flask, world: World) -> None:
    """No PHI in a feed: incident titles, narratives, names, SSNs and diagnoses
    never appear, even in the feeds of people who may see the incident."""
    for person in (world.officer, world.admin):
        _, path = create_feed(app, person.email)
        text = app.test_client().get(path).get_data(as_text=True).replace("\r\n ", "")
        for leak in (OPEN_TITLE, SECRET_TITLE, "Jane Roe", "John Doe", "123-45-6789", "diabetes"):
            assert leak not in text


@pytest.mark.parametrize(
    ("who", "sees_restricted"),
    [
        ("officer", False),
        ("outsider", False),
        ("colleague", True),
        ("reviewer", True),
        ("admin", False),
    ],
)
def test_a_restricted_incident_appears_only_in_the_feeds_of_its_owner_and_assignees(
    app: Flask, world: World, who: str, sees_restricted: bool
) -> None:
    """Restricted incidents reach no one else, in any feed (HIPAA 164.312(a)(1)):
    the feed uses the register's visibility filter for its owner."""
    _, path = create_feed(app, getattr(world, who).email)
    uids = {e["UID"].value for e in fetch(app, path)}
    hidden = set(open_dated(app, world.restricted_id))
    assert hidden and set(open_dated(app, world.open_id)) <= uids
    assert (hidden <= uids) is sees_restricted and (hidden & uids != set()) is sees_restricted


def test_only_the_sha256_of_the_secret_is_stored_and_the_secret_is_never_audited(
    app: Flask, world: World
) -> None:
    """The database alone cannot rebuild a feed URL: UserPreference keeps SHA-256(secret) and the
    audit row of its creation does not carry it."""
    _, path = create_feed(app, world.officer.email)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    with Session(app.extensions["incident_tracker.engine"]) as session:
        pref = session.get(UserPreference, world.officer.id)
        assert pref is not None
        assert pref.calendar_token_hash == hashlib.sha256(token.encode()).hexdigest()
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "calendar.feed_created")
        ).all()
        assert len(events) == 1
        assert all(token not in (e.new_values or "") + (e.detail or "") for e in events)


def test_revoking_the_feed_makes_the_old_url_answer_404(app: Flask, world: World) -> None:
    """A revoked secret opens nothing (revocable)."""
    client, path = create_feed(app, world.officer.email)
    assert app.test_client().get(path).status_code == 200
    revoked = client.post(
        "/account/calendar/revoke", data={"csrf_token": csrf_token(client, "/account/calendar")}
    )
    assert revoked.status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert "You have no feed address." in client.get("/account/calendar").get_data(as_text=True)


def test_a_replaced_feed_url_invalidates_the_old_one(app: Flask, world: World) -> None:
    """Creating a new secret replaces the old: the old URL is 404, the new one works."""
    client, old = create_feed(app, world.officer.email)
    response = client.post(
        "/account/calendar", data={"csrf_token": csrf_token(client, "/account/calendar")}
    )
    found = FEED_URL.search(response.get_data(as_text=True))
    assert found
    new = urlsplit(found.group(1)).path
    assert new != old
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(new).status_code == 200


@pytest.mark.parametrize(
    "path", ["/calendar/" + "A" * 43 + ".ics", "/calendar/short.ics", "/calendar/a%20b.ics"]
)
def test_an_unknown_or_malformed_secret_is_404(app: Flask, world: World, path: str) -> None:
    """Unknown secrets give 404 without sign-in, the same as a revoked one."""
    assert app.test_client().get(path).status_code == 404


def test_a_disabled_users_feed_is_404(
    app: Flask, settings: Settings, clock: FixedClock, world: World
) -> None:
    """Disabling an account ends its feed too (ASVS 5.0 7.4.2 spirit: access ends everywhere)."""
    _, path = create_feed(app, world.officer.email)
    with unit_of_work(app.extensions["incident_tracker.engine"]) as session:
        users.set_active(
            Call(session, TRUSTED, clock.now(), AUDIT_KEY), world.officer.id or 0, False
        )
    assert app.test_client().get(path).status_code == 404


def test_a_moved_due_date_moves_the_event_with_the_same_uid(
    app: Flask, clock: FixedClock, world: World
) -> None:
    """Events move when deadlines move: a later discovery date recomputes F1's due date, and the
    feed keeps its UID with a new DTSTART (and a higher SEQUENCE)."""
    _, path = create_feed(app, world.officer.email)

    def f1() -> dict[str, Prop]:
        return next(
            e
            for e in fetch(app, path)
            if unescape(e["SUMMARY"].value).endswith("F1 Affected individuals")
        )

    before = f1()
    assert before["DTSTART"].value == "20270101"  # 60 days after 2 November 2026
    with unit_of_work(app.extensions["incident_tracker.engine"]) as session:
        call = Call(session, TRUSTED, clock.now(), AUDIT_KEY)
        incident = session.get(Incident, world.open_id)
        assert incident is not None
        later = replace(
            incidents.values_of(call, incident),
            discovered_on=date(2026, 11, 9),
            lock_version=incident.lock_version,
        )
        incidents.update(call, incident, later)
    after = f1()
    assert after["UID"].value == before["UID"].value
    assert after["DTSTART"].value == f"{date(2026, 11, 9) + timedelta(days=60):%Y%m%d}"
    assert int(after["SEQUENCE"].value) > int(before["SEQUENCE"].value)


def test_an_obligation_recorded_as_done_leaves_the_feed(
    app: Flask, clock: FixedClock, world: World
) -> None:
    """Only open obligations are listed: F1 recorded as sent disappears from the feed."""
    _, path = create_feed(app, world.officer.email)
    with unit_of_work(app.extensions["incident_tracker.engine"]) as session:
        call = Call(session, TRUSTED, clock.now(), AUDIT_KEY)
        incident = session.get(Incident, world.open_id)
        assert incident is not None
        f1 = session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == world.open_id, ObligationRecord.rule_id == "F1"
            )
        ).one()
        uid = f"obligation-{f1.id}@incident-tracker"
        assert uid in {e["UID"].value for e in fetch(app, path)}
        sending.record_sent(
            call, incident, f1.id or 0, sending.SentInput(clock.now().date(), "mail")
        )
    assert uid not in {e["UID"].value for e in fetch(app, path)}


def test_text_escaping_and_folding_follow_rfc_5545() -> None:
    """TEXT escapes backslash, semicolon, comma and newlines (3.3.11); folding keeps each line at
    75 octets or fewer, continuation lines start with one space, multi-byte characters whole."""
    assert calendar_feed.escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "DESCRIPTION:" + "§ 899-aa, " * 20
    folded = calendar_feed.fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert len(parts) > 1 and all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    assert b"".join([parts[0], *(p[1:] for p in parts[1:])]).decode("utf-8") == line


def test_the_daily_digest_checkbox_saves_the_preference_and_is_audited(
    app: Flask, world: World
) -> None:
    """The per-user daily digest option on the account page: on, then off, each
    change one audit row."""
    client = app.test_client()
    sign_in(client, world.reviewer.email)
    token = csrf_token(client, "/account/calendar")
    on = client.post("/account/calendar/digest", data={"csrf_token": token, "daily_digest": "1"})
    assert on.status_code == 302
    engine = app.extensions["incident_tracker.engine"]
    with Session(engine) as session:
        pref = session.get(UserPreference, world.reviewer.id)
        assert pref is not None and pref.daily_digest
    assert "checked" in client.get("/account/calendar").get_data(as_text=True)
    client.post("/account/calendar/digest", data={"csrf_token": token})
    with Session(engine) as session:
        pref = session.get(UserPreference, world.reviewer.id)
        assert pref is not None and not pref.daily_digest
        changes = session.exec(
            select(AuditEvent).where(AuditEvent.action == "preference.daily_digest")
        ).all()
        assert [c.new_values for c in changes] == [
            '{"daily_digest": true}',
            '{"daily_digest": false}',
        ]
