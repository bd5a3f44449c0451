"""The incident form's inputs for the DFS extortion payment, a business associate's several
covered-entity clients, the FIPS validation of an encryption safe harbor, and residents outside
the U.S.: each saved change recomputes the duties; bad input comes back beside its field, kept.

Every expected date is worked by hand below, with the section that sets it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from incident_tracker.db.models import Incident, ObligationRecord, User
from tests.conftest import csrf_token, sign_in
from tests.web.test_incidents import incident_form

LAKESIDE = "Lakeside Medical Group of Westchester County"  # longer than the old 20-character party


def _create(client: FlaskClient, **over: Any) -> int:
    token = csrf_token(client, "/incidents/new")
    data = incident_form(token, **over)
    for name in [k for k, v in data.items() if v is None]:
        del data[name]
    response = client.post("/incidents", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    found = re.search(r"/incidents/(\d+)$", response.headers["Location"])
    assert found
    return int(found.group(1))


def _edit(client: FlaskClient, incident_id: int, **over: Any) -> Any:
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', edit)
    lock = re.search(r'name="lock_version" value="(\d+)"', edit)
    assert token and lock
    data = incident_form(token.group(1), lock_version=lock.group(1), **over)
    for name in [k for k, v in data.items() if v is None]:
        del data[name]
    return client.post(f"/incidents/{incident_id}", data=data)


def _live(engine: Engine, incident_id: int) -> dict[tuple[str, str, str], ObligationRecord]:
    with Session(engine) as session:
        rows = session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == incident_id,
                ObligationRecord.live == True,  # noqa: E712
            )
        ).all()
        return {(r.rule_id, r.state, r.party): r for r in rows}


def _terms(row: ObligationRecord) -> dict[str, Any]:
    return dict(json.loads(row.terms))


DFS = {"nydfs_covered_entity": "1"}


def test_dfs_extortion_payment_gives_ny8_and_ny9_and_a_change_recomputes_them(
    client: FlaskClient, officer: User, engine: Engine
) -> None:
    """23 NYCRR 500.17(c)(1): notice to DFS within 24 hours of an extortion payment (NY8);
    (c)(2): the written explanation within 30 days of it (NY9). The form's local time is the
    organisation's (America/New_York; daylight saving time from Sun 2026-03-08).

    Paid 16:30 EDT Tue 2026-03-10 (-04:00): NY8 due at 16:30 EDT Wed 2026-03-11; NY9 2026-03-10
    + 30 days = (21 days to 03-31) + 9 = 2026-04-09.
    Moved to 09:00 EDT Fri 2026-03-13: NY8 09:00 EDT Sat 2026-03-14; NY9 2026-03-13 + 30 =
    (18 days to 03-31) + 12 = 2026-04-12."""
    sign_in(client, officer.email)
    incident_id = _create(client, dfs_ransom_paid_at="2026-03-10T16:30", **DFS)
    rows = _live(engine, incident_id)
    ny8, ny9 = rows[("NY8", "", "")], rows[("NY9", "", "")]
    assert ny8.due == date(2026, 3, 11)
    assert _terms(ny8)["due_at"] == "2026-03-11T16:30:00-04:00"
    assert ny9.due == date(2026, 4, 9)

    response = _edit(client, incident_id, dfs_ransom_paid_at="2026-03-13T09:00", **DFS)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    rows = _live(engine, incident_id)
    ny8, ny9 = rows[("NY8", "", "")], rows[("NY9", "", "")]
    assert (ny8.due, _terms(ny8)["due_at"]) == (date(2026, 3, 14), "2026-03-14T09:00:00-04:00")
    assert (ny9.due, ny9.version) == (date(2026, 4, 12), 2)
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    assert 'name="dfs_ransom_paid_at" type="datetime-local" value="2026-03-13T09:00"' in edit
    assert "2026-03-13 13:00 UTC (23 NYCRR 500.17(c))" in _facts_page(client, incident_id)


def test_no_payment_recorded_owes_neither_dfs_notice(
    client: FlaskClient, officer: User, engine: Engine
) -> None:
    """500.17(c) turns on a payment: none recorded, neither NY8 nor NY9 is a duty."""
    sign_in(client, officer.email)
    rows = _live(engine, _create(client, **DFS))
    assert not {k for k in rows if k[0] in ("NY8", "NY9")}


BUSINESS_ASSOCIATE: dict[str, Any] = {
    "entity_type": "business_associate",
    "hipaa_covered_entity": None,
    "ba_is_agent_of_ce": "no",
}


def test_business_associate_with_two_clients_owes_each_its_covered_entity_duties(
    client: FlaskClient, officer: User, engine: Engine
) -> None:
    """45 CFR 164.410(b): the business associate tells each covered entity within 60 days of
    its own discovery, 2026-03-09 + 60 = (22 days to 03-31) + 30 + 8 = 2026-05-08 (F6, once).
    Not the client's agent, so each client's 164.404 clock runs from the day it was told
    (164.404(a)(2)): Lakeside, told 2026-03-12, 2026-03-12 + 60 = (19 to 03-31) + 30 + 11 =
    2026-05-11 (F1, party Lakeside). Harbor Clinic, not yet told: at the latest it is told on
    2026-05-08, so its F1 waits with 2026-05-08 + 60 = (23 to 05-31) + 30 + 7 = 2026-07-07."""
    sign_in(client, officer.email)
    incident_id = _create(
        client,
        ce_client_name=[LAKESIDE, "Harbor Clinic", ""],
        ce_client_told_on=["2026-03-12", "", ""],
        **BUSINESS_ASSOCIATE,
    )
    rows = _live(engine, incident_id)
    assert rows[("F6", "", "business_associate")].due == date(2026, 5, 8)
    lakeside, harbor = rows[("F1", "", LAKESIDE)], rows[("F1", "", "Harbor Clinic")]
    assert (lakeside.due, lakeside.outcome) == (date(2026, 5, 11), "dated")
    assert (harbor.due, harbor.outcome) == (date(2026, 7, 7), "waiting")
    assert not [k for k in rows if k[0] == "F6" and k[2] != "business_associate"]

    # Harbor Clinic told on 2026-03-20: its F1 is 2026-03-20 + 60 = (11 to 03-31) + 30 + 19 =
    # 2026-05-19, dated; Lakeside's stays.
    response = _edit(
        client,
        incident_id,
        ce_client_name=[LAKESIDE, "Harbor Clinic"],
        ce_client_told_on=["2026-03-12", "2026-03-20"],
        **BUSINESS_ASSOCIATE,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    rows = _live(engine, incident_id)
    assert rows[("F1", "", "Harbor Clinic")].due == date(2026, 5, 19)
    assert rows[("F1", "", LAKESIDE)].version == 1
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    assert f'value="{LAKESIDE}"' in edit and 'value="2026-03-20"' in edit
    facts = _facts_page(client, incident_id)
    assert f"{LAKESIDE} (told 2026-03-12), Harbor Clinic (told 2026-03-20)" in facts


def test_fips_answer_is_kept_and_feeds_the_safe_harbor(
    client: FlaskClient, officer: User, engine: Engine
) -> None:
    """Encrypted to the HHS guidance (74 FR 19006) with the key not exposed: not unsecured PHI
    (164.402), so no F1. The FIPS answer is stored and shown again on the form."""
    sign_in(client, officer.email)
    incident_id = _create(
        client,
        phi_encrypted="yes",
        encryption_key_compromised="no",
        fips_validation="140-2",
        risk_assessment="",
    )
    with Session(engine) as session:
        stored = session.get(Incident, incident_id)
        assert stored is not None and stored.fips_validation == "140-2"
    assert ("F1", "", "") not in _live(engine, incident_id)
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    assert '<option value="140-2" selected>' in edit
    page = _obligations_page(client, incident_id)
    assert 'class="card warnings"' in page and "FIPS 140-2 certificate moved to NIST" in page
    assert "encryption module: FIPS 140-2" in _facts_page(client, incident_id)


def _facts_page(client: FlaskClient, incident_id: int) -> str:
    page = client.get(f"/incidents/{incident_id}/facts")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _obligations_page(client: FlaskClient, incident_id: int) -> str:
    page = client.get(f"/incidents/{incident_id}/obligations")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def _why_not(page: str) -> dict[str, str]:
    """{rule id: reason} of the page's "Not required, and why" list."""
    found = re.search(r'<ul class="why-not">(.*?)</ul>', page, re.S)
    assert found
    items = re.findall(r"<li><strong>[^<]*\[([A-Z0-9-]+)\]</strong>: (.*?)</li>", found.group(1))
    return dict(items)


def test_why_not_list_says_per_state_why_nothing_is_owed(
    client: FlaskClient, officer: User
) -> None:
    """A covered entity's names with diagnoses (PHI only) of residents of four States: Idaho's
    definition (Idaho Code 28-51-104) lacks medical data; Arizona exempts HIPAA entities (A.R.S.
    18-552); Delaware deems HIPAA compliance compliant (6 Del. C. 12B-103(b)); Texas owes its
    residents (Tex. Bus. & Com. Code 521.053) but its Attorney General only from 250 Texans (10
    here). The same kind of breach on paper: Alabama's act (Ala. Code 8-38-1 to 8-38-12) covers
    data in electronic form only."""
    sign_in(client, officer.email)
    incident_id = _create(
        client,
        state_code=["ID", "AZ", "DE", "TX"],
        state_count=["2", "3", "4", "10"],
        data_elements=["name", "diagnosis"],
    )
    why = _why_not(_obligations_page(client, incident_id))
    assert "does not cover these data elements" in why["ID1"]
    assert "(HIPAA-exempt)" in why["AZ1"]
    assert "(deemed compliant)" in why["DE1"]
    assert why["TX2"].startswith("10 Texas residents is not at least 250")
    paper = _create(
        client,
        state_code=["AL"],
        state_count=["5"],
        data_elements=["name", "ssn"],
        medium="paper",
    )
    why = _why_not(_obligations_page(client, paper))
    assert why["AL1"].startswith("paper records: Alabama")


def test_residents_outside_the_us_are_listed_as_not_evaluated_and_counted(
    client: FlaskClient, officer: User, engine: Engine
) -> None:
    """Twelve residents of Canada with the form's 600 NY, 1,200 NJ and 40 PA residents: the
    total is 600 + 1,200 + 40 + 12 = 1,852, and Canada is named as not evaluated."""
    sign_in(client, officer.email)
    incident_id = _create(client, country_name=["Canada", ""], country_count=["12", ""])
    with Session(engine) as session:
        stored = session.get(Incident, incident_id)
        assert stored is not None and stored.total_affected == 1852
    text = _obligations_page(client, incident_id)
    assert "outside the U.S. (Canada)" in text
    assert "not evaluated — outside the U.S. (Canada)" in text
    assert "<dd>Canada 12 (not evaluated)</dd>" in _facts_page(client, incident_id)


def test_every_us_jurisdiction_is_accepted_on_the_form(
    client: FlaskClient, officer: User, engine: Engine
) -> None:
    """The States table takes any of the 50 States, DC and the five territories."""
    sign_in(client, officer.email)
    codes = ["GU", "VI", "AS", "MP", "WY"]
    incident_id = _create(client, state_code=codes, state_count=["1", "2", "3", "4", "5"])
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    for code in codes:
        assert f'name="state_code" value="{code}"' in edit


def test_bad_inputs_come_back_beside_their_fields_with_the_input_kept(
    client: FlaskClient, officer: User
) -> None:
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    data = incident_form(
        token,
        title="Kept title",
        dfs_ransom_paid_at="yesterday",
        fips_validation="140-9",
        country_name=["Canada", "canada"],
        country_count=["12", "many"],
        ce_client_name=["Harbor Clinic"],
        ce_client_told_on=["2026-02-30"],
        **DFS,
    )
    response = client.post("/incidents", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="dfs_ransom_paid_at-error">enter a date and time' in page
    assert 'value="yesterday"' in page
    assert 'id="countries-error">the count for canada must be a whole number' in page
    assert 'value="canada"' in page and 'value="many"' in page
    assert 'id="ce_clients-error">2026-02-30 is not a real date' in page
    assert 'value="Harbor Clinic"' in page and 'value="2026-02-30"' in page
    assert "Kept title" in page


def test_form_level_rules_for_clients_fips_and_countries(
    client: FlaskClient, officer: User
) -> None:
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    page = client.post(
        "/incidents",
        data=incident_form(
            token,
            fips_validation="140-9",
            ce_client_name=["Harbor Clinic"],
            ce_client_told_on=["2026-03-12"],
        ),
    ).get_data(as_text=True)
    assert 'id="fips_validation-error">choose from the list' in page
    assert 'id="ce_clients-error">covered-entity clients are told by a business associate' in page
    token = csrf_token(client, "/incidents/new")
    page = client.post(
        "/incidents",
        data=incident_form(
            token,
            ce_notified_by_ba_on="2026-03-12",
            ce_client_name=["Harbor Clinic"],
            ce_client_told_on=["2026-03-12"],
            **{k: v for k, v in BUSINESS_ASSOCIATE.items() if v is not None},
        ),
    ).get_data(as_text=True)
    assert 'id="ce_clients-error">give the date for each client here' in page
    token = csrf_token(client, "/incidents/new")
    page = client.post(
        "/incidents", data=incident_form(token, country_name=["USA"], country_count=["3"])
    ).get_data(as_text=True)
    assert 'id="countries-error">' in page and "residents of the U.S. and its territories" in page


def _statement(client: FlaskClient, incident_id: int, **fields: str) -> None:
    token = csrf_token(client, f"/incidents/{incident_id}/evidence")
    data = {"csrf_token": token, "official": "Det. Ruiz", "agency": "NYPD Squad 9", **fields}
    response = client.post(f"/incidents/{incident_id}/holds", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def test_law_enforcement_statements_the_latest_written_one_governs(
    client: FlaskClient, officer: User, engine: Engine
) -> None:
    """45 CFR 164.412(a): notice is delayed for the period a written statement specifies; a later
    written statement replaces it, longer or shorter. Discovered 2026-03-09: F1's strict date is
    2026-03-09 + 60 = (22 to 03-31) + 30 + 8 = 2026-05-08.
    Written 2026-03-20 until 2026-06-30: F1 = the later of 2026-05-08 and 2026-06-30 =
    2026-06-30 (tracker default); tolling reading (alt_due): the hold runs 11 + 30 + 31 + 30 =
    102 days from the first statement, 2026-05-08 + 102 = (23 to 05-31) + 30 + 31 + 18 =
    2026-08-18.
    Written again 2026-04-01 until 2026-05-31 (shortens it): F1 = later of 2026-05-08 and
    2026-05-31 = 2026-05-31; the hold now runs 2026-03-20 to 2026-05-31, 11 + 30 + 31 = 72
    days, so alt_due 2026-05-08 + 72 = (23 to 05-31) + 30 + 19 = 2026-07-19."""
    sign_in(client, officer.email)
    incident_id = _create(client)
    _statement(
        client, incident_id, form="written", statement_date="2026-03-20", delay_until="2026-06-30"
    )
    f1 = _live(engine, incident_id)[("F1", "", "")]
    assert (f1.due, _terms(f1)["alt_due"]) == (date(2026, 6, 30), "2026-08-18")
    _statement(
        client, incident_id, form="written", statement_date="2026-04-01", delay_until="2026-05-31"
    )
    f1 = _live(engine, incident_id)[("F1", "", "")]
    assert (f1.due, _terms(f1)["alt_due"], f1.version) == (date(2026, 5, 31), "2026-07-19", 3)
