"""The record-sent form's order and staleness reasons, the compare with a redraft and the
correction decision, in the browser's terms: a refusal comes back 422 with the message by its
field and what was typed kept; a good answer redirects and is kept.

The stolen laptop of tests/services/test_discharges.py: a HIPAA covered entity, 2,300 patients
(NY 900, NJ 1,100, CA 300), discovered Monday 2026-09-14; the individual letter (F1) approved.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incident_tracker.clock import FixedClock
from incident_tracker.db.models import NoticeContentDecision, SentRecord
from incident_tracker.services.sending import SentInput
from tests.conftest import csrf_token, sign_in
from tests.services.notice_support import FULL_DETAILS
from tests.services.sending_support import (
    People,
    approve_individual_notice,
    make_incident,
    obligation_id,
    obligations,
)
from tests.services.sending_support import people as people
from tests.services.test_discharges import (
    LAPTOP,
    OFFER,
    laptop,
    move_discovery,
    record,
    save_details,
)

__all__ = ["people"]

MOVED = "Date of discovery: September 14, 2026 → September 12, 2026"


def error_by(page: str, field: str) -> str:
    """The message shown by `field` (the element with id FIELD-error), unescaped."""
    found = re.search(rf'id="{field}-error">([^<]*)<', page)
    assert found is not None, f"no message by {field}"
    return html.unescape(found.group(1))


def textarea(page: str, field: str) -> str:
    found = re.search(rf'<textarea id="{field}" name="{field}"[^>]*>([^<]*)</textarea>', page)
    assert found is not None, f"no {field} field"
    return html.unescape(found.group(1))


def post_sent(
    client: FlaskClient, iid: int, target: int, version_id: int, **extra: str
) -> tuple[int, str, str]:
    path = f"/incidents/{iid}/obligations/{target}/sent"
    form = {
        "csrf_token": csrf_token(client, path),
        "sent_on": "2026-10-01",
        "method": "mail",
        "recipients": "2,300",
        "reference": "USPS 3877 book 12",
        "notice_version_id": str(version_id),
        **extra,
    }
    response = client.post(path, data=form)
    return (
        response.status_code,
        response.get_data(as_text=True),
        response.headers.get("Location", ""),
    )


def test_sending_before_the_nj_state_police_asks_for_a_reason_by_its_field_and_keeps_the_form(
    client: FlaskClient, engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """N.J.S.A. 56:8-163(c)(1): the State Police before the NJ customers. Without NJ1 recorded,
    the letter is refused with the message by the reason field and the typed values kept; a
    reason typed without the confirmation ticked is refused and kept; both given, it is kept."""
    iid = make_incident(engine, clock, people.officer, **LAPTOP)
    save_details(engine, clock, people, iid, **FULL_DETAILS, **OFFER)
    version_id = approve_individual_notice(engine, clock, people, iid, tmp_path)
    f1 = obligation_id(engine, iid, "F1")
    sign_in(client, people.officer.email)

    status, page, _ = post_sent(client, iid, f1, version_id)
    assert status == 422
    assert "NJ Division of State Police (NJ1) must be told first" in error_by(page, "order_reason")
    assert textarea(page, "order_reason") == ""
    assert 'value="USPS 3877 book 12"' in page and 'value="2,300"' in page

    why = "The State Police portal was down; counsel advised mailing on time."
    status, page, _ = post_sent(client, iid, f1, version_id, order_reason=why)
    assert status == 422 and error_by(page, "order_reason")
    assert textarea(page, "order_reason") == why  # kept for the tick
    assert obligations(engine, iid)["NJ2"].done_on is None

    status, page, _ = post_sent(
        client, iid, f1, version_id, order_confirmed="yes", order_reason="   "
    )
    assert status == 422 and error_by(page, "order_reason")
    assert re.search(r'id="order_confirmed"[^>]*checked', page)

    status, _, location = post_sent(
        client, iid, f1, version_id, order_confirmed="yes", order_reason=why
    )
    assert status == 302 and location.endswith(f"/incidents/{iid}/notices#sent")
    assert obligations(engine, iid)["NJ2"].done_on == date(2026, 10, 1)
    detail = client.get(f"/incidents/{iid}/notices").get_data(as_text=True)
    assert why in html.unescape(detail)


def test_a_stale_approved_letter_asks_for_a_reason_by_its_field_and_keeps_the_form(
    client: FlaskClient, engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """Approved with discovery on 2026-09-14, then discovery corrected to 09-12: the letter
    prints the old date, so recording it sent without re-approval needs the override and a
    reason, each refusal by the stale-reason field with what was typed kept."""
    iid = laptop(engine, clock, people, tmp_path, **OFFER)
    version_id = approve_individual_notice(engine, clock, people, iid, tmp_path)
    f1 = obligation_id(engine, iid, "F1")
    move_discovery(engine, clock, people, iid, date(2026, 9, 12))
    sign_in(client, people.officer.email)

    status, page, _ = post_sent(client, iid, f1, version_id, note="Batch 1 of 1")
    assert status == 422
    assert MOVED in error_by(page, "stale_reason")
    assert textarea(page, "note") == "Batch 1 of 1"

    why = "Counsel: the two-day difference does not change what people must do."
    status, page, _ = post_sent(client, iid, f1, version_id, stale_reason=why)
    assert status == 422 and MOVED in error_by(page, "stale_reason")
    assert textarea(page, "stale_reason") == why

    status, page, _ = post_sent(client, iid, f1, version_id, stale_override="yes")
    assert status == 422 and re.search(r'id="stale_override"[^>]*checked', page)

    status, _, _ = post_sent(client, iid, f1, version_id, stale_override="yes", stale_reason=why)
    assert status == 302
    with Session(engine) as session:
        kept = session.exec(select(SentRecord).where(SentRecord.obligation_id == f1)).one()
    assert kept.stale_reason == why


def test_the_compare_with_a_redraft_shows_the_old_date_deleted_and_the_new_inserted(
    client: FlaskClient, engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    iid = laptop(engine, clock, people, tmp_path, **OFFER)
    approve_individual_notice(engine, clock, people, iid, tmp_path)
    f1 = obligation_id(engine, iid, "F1")
    move_discovery(engine, clock, people, iid, date(2026, 9, 12))
    sign_in(client, people.officer.email)
    notice = client.get(f"/incidents/{iid}/obligations/{f1}/notice").get_data(as_text=True)
    assert 'data-facts-status="stale"' in notice
    assert f"/incidents/{iid}/obligations/{f1}/notice/redline?to=redraft" in notice

    response = client.get(f"/incidents/{iid}/obligations/{f1}/notice/redline?to=redraft")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Redline: version 1 → a redraft from the current facts" in page
    redline = page[page.index('id="redline"') :]
    assert re.search(r"<del[^>]*>[^<]*14[^<]*</del>", redline)
    assert re.search(r"<ins[^>]*>[^<]*12[^<]*</ins>", redline)
    notice = client.get(f"/incidents/{iid}/obligations/{f1}/notice").get_data(as_text=True)
    assert "Version 2" not in notice and "v2" not in notice  # the compare saves nothing


def test_the_correction_decision_refuses_by_its_fields_keeps_the_choice_then_is_recorded(
    client: FlaskClient, engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    """Sent on 2026-10-01; discovery corrected afterwards: the sent letter differs from the
    current facts until the officer decides whether a correction is owed, and says why."""
    iid = laptop(engine, clock, people, tmp_path, **OFFER)
    version_id = approve_individual_notice(engine, clock, people, iid, tmp_path)
    record(
        engine,
        clock,
        people,
        iid,
        "F1",
        SentInput(date(2026, 10, 1), "mail", 2300, "", "", None, version_id),
    )
    move_discovery(engine, clock, people, iid, date(2026, 9, 12))
    f1 = obligation_id(engine, iid, "F1")
    path = f"/incidents/{iid}/obligations/{f1}/notice"
    sign_in(client, people.officer.email)
    page = client.get(path).get_data(as_text=True)
    assert 'data-facts-status="differs"' in page and "Record the decision" in page

    token = csrf_token(client, path)
    response = client.post(f"{path}/content-decision", data={"csrf_token": token})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert error_by(page, "correction_owed") == "choose whether a correction is owed"
    assert error_by(page, "decision_reason") == "say why"

    response = client.post(
        f"{path}/content-decision", data={"csrf_token": token, "correction_owed": "no"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and error_by(page, "decision_reason") == "say why"
    assert re.search(r'name="correction_owed" value="no" checked', page)

    why = "Dates only; nothing for patients to do differently."
    response = client.post(
        f"{path}/content-decision",
        data={"csrf_token": token, "correction_owed": "no", "decision_reason": why},
    )
    assert response.status_code == 302
    page = html.unescape(client.get(path).get_data(as_text=True))
    assert f"Decision recorded: no correction is owed — {why}" in page
    with Session(engine) as session:
        decision = session.exec(select(NoticeContentDecision)).one()
    assert (decision.correction_owed, decision.reason) == (False, why)
