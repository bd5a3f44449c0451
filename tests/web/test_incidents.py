"""The incident register: create, see obligations with reasons, recompute on a fact change."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from incident_tracker.db.models import User
from tests.conftest import csrf_token, sign_in


def incident_form(token: str, **over: Any) -> dict[str, Any]:
    """The form as a privacy officer fills it in; states are three rows of the table."""
    data: dict[str, Any] = {
        "csrf_token": token,
        "title": "Claim file sent to wrong payer",
        "narrative": "EDI batch",
        "breach_type": "unauthorized_access_disclosure",
        "location": "network_server",
        "occurred_kind": "date",
        "occurred_on": "2026-03-02",
        "discovered_on": "2026-03-09",
        "entity_type": "covered_entity",
        "hipaa_covered_entity": "1",
        "state_code": ["NY", "NJ", "PA"],
        "state_count": ["600", "1200", "40"],
        "data_elements": ["name", "ssn", "diagnosis"],
        "medium": "electronic",
        "acquired": "yes",
        "phi_encrypted": "no",
        "risk_assessment": "not_low_probability",
        "lock_version": "0",
    }
    data.update(over)
    return data


def _create(client: FlaskClient, **over: Any) -> int:
    token = csrf_token(client, "/incidents/new")
    response = client.post("/incidents", data=incident_form(token, **over))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    found = re.search(r"/incidents/(\d+)$", response.headers["Location"])
    assert found
    return int(found.group(1))


def test_create_shows_obligations_why_not_and_states_not_evaluated(
    client: FlaskClient, officer: User
) -> None:
    """45 CFR 164.404(b): 2026-03-09 + 60 days = 2026-05-08; PA law (73 P.S. § 2303, SSNs of 40
    residents) is evaluated, provisionally: its duty says so and lists its open points."""
    sign_in(client, officer.email)
    incident_id = _create(client)
    page = client.get(f"/incidents/{incident_id}/obligations").get_data(as_text=True)
    assert "2026-05-08" in page and "45 CFR 164.404(b)" in page
    assert "N.J.S.A. 56:8-163(c)(1)" in page  # NJ State Police, SSN of 1,200 NJ residents
    assert "State law not evaluated" in page and 'class="not-evaluated"' not in page
    assert "73 P.S. §§ 2301–2330" in page and "provisional — confirm with counsel" in page
    assert "Open points (" in page and "hipaa: unsure" in page
    assert "Not required, and why" in page


def test_changing_discovery_recomputes_and_keeps_history(
    client: FlaskClient, officer: User
) -> None:
    """Discovery moved to 2026-03-16: F1 becomes 2026-05-15, version 2; the old one stays."""
    sign_in(client, officer.email)
    incident_id = _create(client)
    edit = client.get(f"/incidents/{incident_id}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', edit).group(1)  # type: ignore[union-attr]
    lock = re.search(r'name="lock_version" value="(\d+)"', edit).group(1)  # type: ignore[union-attr]
    response = client.post(
        f"/incidents/{incident_id}",
        data=incident_form(token, discovered_on="2026-03-16", lock_version=lock),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(f"/incidents/{incident_id}/obligations").get_data(as_text=True)
    assert "2026-05-15" in page
    history = client.get(f"/incidents/{incident_id}/history").get_data(as_text=True)
    f1 = re.search(r"notice to individuals \(45 CFR 164\.404\) \[F1\][^<]*— 2 versions", history)
    assert f1 and "due 2026-05-08" in history and "due 2026-05-15" in history


def test_bad_input_comes_back_with_messages_and_input_kept(
    client: FlaskClient, officer: User
) -> None:
    sign_in(client, officer.email)
    token = csrf_token(client, "/incidents/new")
    response = client.post(
        "/incidents",
        data=incident_form(
            token,
            discovered_on="2026-02-01",
            title="Kept title",
            state_code=["ZZ"],
            state_count=["3"],
        ),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kept title" in page
    assert "ZZ is not a U.S. State or territory code" in page
    assert "2026-02-01 is before the date it occurred 2026-03-02" in page
