"""The notice review pages: drafting from an obligation, the details form,
edits as versions, paragraph comments, the redline, approval with its refusals, downloads that
re-verify their hash, and access to a restricted incident's notices."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import AuditEvent, Notice, NoticeApproval, NoticeVersion
from incident_tracker.services import incidents, organisation
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues
from tests.conftest import AUDIT_KEY, csrf_token, make_user, sign_in
from tests.services.notice_support import FULL_DETAILS, NY_600, ORG


def setup_incident(
    settings: Settings, clock: FixedClock, owner_id: int, restricted: bool = False
) -> tuple[int, int]:
    """The NY 600 incident (tests/services/notice_support.py); returns (incident id, F1 id)."""
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), clock.now(), AUDIT_KEY)
            organisation.update(call, ORG)
            values = IncidentValues(
                **{**NY_600.__dict__, "owner_id": owner_id, "restricted": restricted}
            )
            incident = incidents.create(call, values)
            from incident_tracker.db.models import ObligationRecord

            f1 = session.exec(
                select(ObligationRecord).where(
                    ObligationRecord.incident_id == incident.id, ObligationRecord.rule_id == "F1"
                )
            ).one()
            return incident.id or 0, f1.id or 0
    finally:
        engine.dispose()


class Site:
    """Two signed-in browsers (officer, legal reviewer) on one app."""

    def __init__(self, app: Flask, settings: Settings, clock: FixedClock) -> None:
        self.app = app
        self.officer_user = make_user(settings, "officer@example.org", "privacy_officer")
        make_user(settings, "legal@example.org", "legal_reviewer")
        self.officer = app.test_client()
        sign_in(self.officer, "officer@example.org")
        self.legal = app.test_client()
        sign_in(self.legal, "legal@example.org")
        self.iid, self.f1 = setup_incident(settings, clock, self.officer_user.id or 0)
        self.url = f"/incidents/{self.iid}/obligations/{self.f1}/notice"

    def post(self, client: FlaskClient, path: str, **data: str) -> object:
        return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})

    def rows(self, model: type) -> list:  # type: ignore[type-arg]
        with Session(self.app.extensions["incident_tracker.engine"]) as session:
            return list(session.exec(select(model).order_by(col(model.id))))  # type: ignore[attr-defined]

    def latest(self) -> NoticeVersion:
        return self.rows(NoticeVersion)[-1]


@pytest.fixture
def site(app: Flask, settings: Settings, clock: FixedClock) -> Site:
    return Site(app, settings, clock)


def details(**values: str) -> dict[str, str]:
    return {"revision": "0", **values}


def test_the_officer_drafts_from_the_obligation_and_sees_the_check_with_citations(
    site: Site,
) -> None:
    """The check beside the draft names each element and its section."""
    page = site.officer.get(site.url).get_data(as_text=True)
    assert "No draft yet" in page and 'id="create-draft"' in page
    response = site.post(site.officer, site.url)
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = site.officer.get(site.url).get_data(as_text=True)
    assert "Draft" in page and "showing version 1" in page
    assert "a brief description of what happened" in page
    assert "45 CFR 164.404(c)(1)(A)" in page
    assert 'class="n-para n-missing"' in page  # the gap is highlighted in the text
    assert "2 missing" in page


def test_the_incident_page_lists_its_notices(site: Site) -> None:
    site.post(site.officer, site.url)
    page = site.officer.get(f"/incidents/{site.iid}/notices").get_data(as_text=True)
    section = page[page.index('id="notices-h"') :]
    assert f'href="{site.url}"' in section
    assert "Notice to individuals" in section and "Draft · v1" in section
    assert "Notice to the media" in section and "Not drafted" in section
    # N.Y. Gen. Bus. Law § 899-aa(2)(b): a HIPAA covered entity's F1 letter is the NY notice.
    ny1 = section[section.index("<td>notice to New York residents (GBL 899-aa(2)) [NY1]") :]
    assert ny1[: ny1.index("</tr>")].count("Sent as the F1 letter (§ 899-aa(2)(b))") == 1


def test_bad_details_come_back_422_with_the_message_and_everything_typed(site: Site) -> None:
    response = site.post(
        site.officer,
        f"/incidents/{site.iid}/notice-details",
        **details(
            what_happened="Laptop stolen & found", notice_date="2026-13-40", ip_months="twelve"
        ),
    )
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Laptop stolen &amp; found</textarea>" in page
    assert 'id="notice_date-error"' in page and 'value="2026-13-40"' in page
    assert 'id="ip_months-error"' in page and 'value="twelve"' in page


def test_changed_details_offer_a_redraft_that_keeps_the_edited_version(site: Site) -> None:
    site.post(site.officer, site.url)
    v1 = site.latest()
    site.post(
        site.legal,
        site.url + "/versions",
        text=v1.text.replace("Dear [Recipient name]:", "Dear Member:"),
        base="1",
    )
    saved = site.post(
        site.officer, f"/incidents/{site.iid}/notice-details", **details(**FULL_DETAILS)
    )
    assert saved.status_code == 302  # type: ignore[attr-defined]
    page = site.officer.get(site.url).get_data(as_text=True)
    assert "The notice details changed after this text was drafted" in page
    assert site.post(site.officer, site.url + "/redraft", base="2").status_code == 302  # type: ignore[attr-defined]
    texts = [v.text for v in site.rows(NoticeVersion)]
    assert len(texts) == 3 and "Dear Member:" in texts[1]
    assert FULL_DETAILS["what_happened"] in texts[2]


def test_an_edit_from_a_stale_version_is_refused_409_keeping_the_typed_text(site: Site) -> None:
    site.post(site.officer, site.url)
    v1 = site.latest()
    site.post(site.officer, site.url + "/versions", text=v1.text + "\nFirst.\n", base="1")
    response = site.post(site.legal, site.url + "/versions", text="My <b>rewrite</b>", base="1")
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "version 2 was saved after you started from version 1" in page
    assert "My &lt;b&gt;rewrite&lt;/b&gt;</textarea>" in page
    assert len(site.rows(NoticeVersion)) == 2


def test_a_conflict_rebases_on_the_newest_version_with_a_redline_and_saving_again_works(
    site: Site,
) -> None:
    """The second editor sees the first one's change as a redline against their own text, and
    the form now carries base 2: saving again makes version 3 instead of the same conflict."""
    site.post(site.officer, site.url)
    v1 = site.latest()
    site.post(site.officer, site.url + "/versions", text=v1.text + "\nTheirs added.\n", base="1")
    mine = v1.text + "\nMine <b>added</b>.\n"
    response = site.post(site.legal, site.url + "/versions", text=mine, base="1")
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert '<input type="hidden" name="base" value="2">' in page
    found = re.search(r'id="conflict-redline">(.*?)</div>', page, re.S)
    assert found is not None
    assert re.search(r"<del[^>]*>[^<]*Theirs", found.group(1))  # only in theirs
    assert re.search(r"<ins[^>]*>[^<]*Mine &lt;b&gt;", found.group(1))  # only in mine, escaped
    again = site.post(site.legal, site.url + "/versions", text=mine, base="2")
    assert again.status_code == 302  # type: ignore[attr-defined]
    assert [v.number for v in site.rows(NoticeVersion)] == [1, 2, 3]
    assert "Mine <b>added</b>." in site.latest().text


def test_comments_anchor_to_a_paragraph_and_reply_and_resolve(site: Site) -> None:
    site.post(site.officer, site.url)
    page = site.legal.get(site.url).get_data(as_text=True)
    salutation = re.search(r'id="p-(\d+)">\s*<p class="n-para">Dear \[Recipient name\]:', page)
    assert salutation is not None
    index = salutation.group(1)
    made = site.post(
        site.legal,
        site.url + "/comments",
        version="1",
        paragraph=index,
        body="Use <the> member's name",
    )
    assert made.status_code == 302 and made.location.endswith("#thread-1")  # type: ignore[attr-defined]
    site.post(site.officer, site.url + "/comments", thread="1", body="Will do.")
    page = site.officer.get(site.url).get_data(as_text=True)
    block = page[page.index(f'id="p-{index}"') : page.index(f'id="p-{int(index) + 1}"')]
    assert "Use &lt;the&gt; member&#39;s name" in block and "Will do." in block
    site.post(site.legal, site.url + "/comments/resolve", thread="1")
    assert 'class="thread resolved"' in site.officer.get(site.url).get_data(as_text=True)
    empty = site.post(site.legal, site.url + "/comments", version="1", paragraph=index, body=" ")
    assert empty.status_code == 422  # type: ignore[attr-defined]
    assert "write the comment" in empty.get_data(as_text=True)  # type: ignore[attr-defined]


def test_the_redline_is_word_level_and_escaped(site: Site) -> None:
    site.post(site.officer, site.url)
    v1 = site.latest()
    edited = v1.text.replace("We sincerely regret", "We <em>deeply</em> regret")
    site.post(site.legal, site.url + "/versions", text=edited, base="1")
    page = site.officer.get(site.url + "/redline?from=1&to=2").get_data(as_text=True)
    assert "<del>sincerely</del><ins>&lt;em&gt;deeply&lt;/em&gt;</ins>" in page
    assert "@@" not in page
    # inserted: "<em>deeply</em>" = em, deeply, em (3 words); deleted: sincerely (1)
    assert "3 words inserted, 1 word deleted" in page


def test_approval_refusals_then_approval_with_stored_hashed_files(
    site: Site, settings: Settings
) -> None:
    """Missing elements: 422 until override + reason; then 302, files stored outside the web root
    (instance/notices) and their SHA-256 equal to the downloaded bytes."""
    site.post(site.officer, site.url)
    site.post(site.officer, site.url + "/submit", number="1")
    refused = site.post(site.legal, site.url + "/approve", number="1")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "tick override and give a reason" in refused.get_data(as_text=True)  # type: ignore[attr-defined]
    no_reason = site.post(site.legal, site.url + "/approve", number="1", override="1")
    assert no_reason.status_code == 422  # type: ignore[attr-defined]
    ok = site.post(
        site.legal, site.url + "/approve", number="1", override="1", reason="Counsel: facts pending"
    )
    assert ok.status_code == 302  # type: ignore[attr-defined]
    [approval] = site.rows(NoticeApproval)
    pdf = site.officer.get(site.url + "/versions/1/approved.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == approval.pdf_sha256
    assert "attachment;" in pdf.headers["Content-Disposition"]
    stored = Path(settings.instance_path) / "notices" / approval.pdf_storage
    assert stored.read_bytes() == pdf.data
    page = site.officer.get(site.url).get_data(as_text=True)
    assert approval.pdf_sha256 in page and "Counsel: facts pending" in page
    [notice] = site.rows(Notice)
    assert notice.state == "approved"


def test_a_tampered_file_is_refused_with_a_clear_message_and_audited(
    site: Site, settings: Settings
) -> None:
    site.post(site.officer, site.url)
    site.post(site.officer, site.url + "/submit", number="1")
    site.post(site.legal, site.url + "/approve", number="1", override="1", reason="ok")
    [approval] = site.rows(NoticeApproval)
    stored = Path(settings.instance_path) / "notices" / approval.docx_storage
    stored.write_bytes(stored.read_bytes() + b"x")
    response = site.officer.get(site.url + "/versions/1/approved.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "no longer matches the SHA-256 recorded at approval" in page
    refused = [e for e in site.rows(AuditEvent) if e.action == "notice.download_refused"]
    assert len(refused) == 1 and refused[0].actor_email == "officer@example.org"


def test_a_restricted_incidents_notice_is_not_found_for_others(
    app: Flask, settings: Settings, clock: FixedClock
) -> None:
    """A restricted incident is 404 to all but its owner, assignees and admins, notices included."""
    owner = make_user(settings, "owner@example.org", "privacy_officer")
    make_user(settings, "legal@example.org", "legal_reviewer")
    iid, f1 = setup_incident(settings, clock, owner.id or 0, restricted=True)
    outsider = app.test_client()
    sign_in(outsider, "legal@example.org")
    base = f"/incidents/{iid}/obligations/{f1}/notice"
    assert outsider.get(base).status_code == 404
    assert outsider.get(f"/incidents/{iid}/notice-details").status_code == 404
    token = csrf_token(outsider, "/")
    assert (
        outsider.post(base + "/comments", data={"csrf_token": token, "body": "x"}).status_code
        == 404
    )
