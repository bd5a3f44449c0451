"""Filings and letters take every answer already recorded: the incident (its HHS portal answers:
type, location, safeguards, corrective actions, the breach's last day), the signed risk assessment
(the mitigation of factor (iv), 45 CFR 164.402(2)(iv)), the organisation profile and the notice
details; a later change to any of them makes a drafted notice stale, its page offers Redraft, and
the redraft carries the new answer while the approved version stays as approved.

The incident: a provider's laptop stolen, discovered Monday 2026-09-14 (breach 2026-09-10 to
2026-09-12), 300 Texas residents' names, SSNs and diagnoses. Texas: at least 250 Texans, so the
Attorney General is owed (Tex. Bus. & Com. Code § 521.053), 30 days after the determination
(discovery, the earliest anchor): 2026-09-14 + 30 = 2026-10-14. 300 < 500: the HHS notice is the
annual log (F5, 45 CFR 164.408(c)).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from incident_tracker.clock import FixedClock
from incident_tracker.core.notices import NoticeKind
from incident_tracker.db.models import NoticeApproval
from incident_tracker.services import (
    assessments,
    incidents,
    notice_drafting,
    notice_page,
    notice_review,
    notice_versions,
    sending,
)
from incident_tracker.services.call import Call
from incident_tracker.services.sending import SentInput
from tests.core.test_risk_walks import notify_after_factors
from tests.services.sending_support import (
    People,
    as_user,
    load,
    make_incident,
    obligation_id,
    obligations,
)
from tests.services.sending_support import people as people
from tests.services.test_assessments import walk_steps
from tests.services.test_discharges import save_details

__all__ = ["people"]

WHAT_HAPPENED = "A laptop holding claim files was stolen from an employee's car."
TEXAS = {
    "states": {"TX": 300},
    "occurred_until": date(2026, 9, 12),
    "data_elements": ("name", "ssn", "diagnosis"),
    "safeguards": ("security_physical",),
    "corrective_actions": ("encryption_adopted", "training"),
}
# Factor (iv) as signed, then the incident's corrective actions in the portal's words.
STEPS = (
    "The device was remotely wiped or locked. We have adopted encryption technologies and "
    "trained or retrained workforce members."
)


def texas_incident(engine: Engine, clock: FixedClock, who: People) -> int:
    iid = make_incident(engine, clock, who.officer, **TEXAS)
    save_details(engine, clock, who, iid, what_happened=WHAT_HAPPENED)

    def sign(c: Call) -> None:
        incident = load(c, iid)
        walk_steps(c, incident, notify_after_factors(fiv_steps=["remote_wipe"]))
        assessments.sign(c, incident, "Pat Officer", True)

    as_user(engine, clock, who.officer, sign)
    return iid


def drafted(engine: Engine, clock: FixedClock, who: People, iid: int, key: str) -> str:
    target = obligation_id(engine, iid, key)

    def draft(c: Call) -> str:
        notice = notice_versions.create(c, load(c, iid), target)
        return notice_versions.latest(c, notice).text

    return as_user(engine, clock, who.officer, draft)


def test_each_recorded_answer_reaches_the_texas_filing_the_hhs_worksheet_and_the_letter(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    iid = texas_incident(engine, clock, people)
    tx2 = drafted(engine, clock, people, iid, "TX2")
    assert "How to file:: Electronic form on the OAG website (mandatory)" in tx2
    assert "When:: By October 14, 2026" in tx2
    assert f"Description of the breach:: {WHAT_HAPPENED}" in tx2
    assert "Texas residents affected:: 300" in tx2
    assert f"Steps taken and planned:: {STEPS}" in tx2

    hhs = drafted(engine, clock, people, iid, "F5")
    for line in (
        "Breach end date:: September 12, 2026",
        "Type of breach:: Theft",
        "Location of breached information:: Laptop",
        "Covered entity type:: Healthcare Provider",
        "Safeguards:: Security Rule physical safeguards",
        f"Actions taken in response:: {STEPS}",
    ):
        assert line in hhs
    assert "[MISSING: the safeguards" not in hhs and "[MISSING: the breach end date" not in hhs

    letter = drafted(engine, clock, people, iid, "F1")
    assert STEPS in letter and "[MISSING: what the organisation is doing" not in letter


def test_a_changed_fact_offers_redraft_and_leaves_the_approved_filing_as_approved(
    engine: Engine, clock: FixedClock, people: People, tmp_path: Path
) -> None:
    iid = texas_incident(engine, clock, people)
    tx2 = obligation_id(engine, iid, "TX2")
    drafted(engine, clock, people, iid, "TX2")

    def submit(c: Call) -> None:
        incident = load(c, iid)
        notice = notice_versions.notice_for(c, incident, tx2)
        assert notice is not None
        notice_review.submit(c, incident, notice, 1)

    as_user(engine, clock, people.officer, submit)

    def approve(c: Call) -> int:
        incident = load(c, iid)
        notice = notice_versions.notice_for(c, incident, tx2)
        assert notice is not None
        given = notice_review.ApprovalInput(1, True, "law enforcement answered on the portal")
        return notice_review.approve(c, incident, notice, given, tmp_path, False).version_id

    approved_id = as_user(engine, clock, people.reviewer, approve)

    def page(c: Call) -> notice_page.NoticePage:
        return notice_page.build(c, load(c, iid), tx2)

    before = as_user(engine, clock, people.officer, page).facts
    assert before is not None and not before.stale and before.changes == ()

    def revise_policies(c: Call) -> None:
        incident = load(c, iid)
        values = incidents.values_of(c, incident)
        actions = (*values.corrective_actions, "policies_revised")
        incidents.update(c, incident, replace(values, corrective_actions=actions))

    as_user(engine, clock, people.officer, revise_policies)
    # Sorted as stored: encryption, policies, training.
    new_steps = (
        "The device was remotely wiped or locked. We have adopted encryption technologies, "
        "revised policies and procedures and trained or retrained workforce members."
    )

    shown = as_user(engine, clock, people.officer, page)
    assert shown.facts is not None and shown.facts.stale  # the page offers Redraft
    assert f"Content the law asks for: Steps taken and planned: {STEPS} → {new_steps}" in (
        shown.facts.changes
    )

    def redraft(c: Call) -> tuple[str, str, int]:
        incident = load(c, iid)
        notice = notice_versions.notice_for(c, incident, tx2)
        assert notice is not None
        latest = notice_versions.regenerate(c, incident, notice, 1)
        first = notice_versions.version(c, notice, 1)
        approvals = c.session.exec(
            select(NoticeApproval).where(NoticeApproval.notice_id == notice.id)
        ).all()
        assert [a.version_id for a in approvals] == [approved_id]
        return latest.text, first.text, latest.number

    new_text, first_text, number = as_user(engine, clock, people.officer, redraft)
    assert number == 2
    assert f"Steps taken and planned:: {new_steps}" in new_text
    assert f"Steps taken and planned:: {STEPS}" in first_text  # the approved one, untouched
    after = as_user(engine, clock, people.officer, page).facts
    assert after is not None and not after.stale


def test_a_massachusetts_letter_of_its_own_is_drafted_without_the_nature_of_the_breach(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """Not a HIPAA entity, 40 Massachusetts residents' SSNs: MA1 is owed on the State's own
    terms (M.G.L. c. 93H § 3), whose letter must not state the nature of the breach; the letter
    for everyone does, so it cannot settle MA1 (the reason names § 3)."""
    iid = make_incident(
        engine,
        clock,
        people.officer,
        states={"MA": 40},
        hipaa_covered_entity=False,
        data_elements=("name", "ssn"),
    )
    save_details(engine, clock, people, iid, what_happened=WHAT_HAPPENED)
    own = drafted(engine, clock, people, iid, "MA1")
    assert WHAT_HAPPENED not in own and "Notice of Data Breach" in own
    ma1 = obligation_id(engine, iid, "MA1")
    title = as_user(
        engine, clock, people.officer, lambda c: notice_page.build(c, load(c, iid), ma1).title
    )
    assert title == "Notice to Massachusetts residents"

    def gaps(c: Call) -> list[str]:
        incident = load(c, iid)
        everyone = notice_drafting.generate(c, incident, NoticeKind.INDIVIDUAL, "")
        return notice_drafting.audience_gaps(c, incident, "MA1", everyone)

    found = as_user(engine, clock, people.officer, gaps)
    assert any("M.G.L. c. 93H § 3)" in g and "nature of the breach" in g for g in found)

    def checked(text: str) -> dict[str, bool]:
        def work(c: Call) -> dict[str, bool]:
            check = notice_drafting.check(c, load(c, iid), NoticeKind.INDIVIDUAL, "MA", text)
            return {r.element: r.present for r in check.rows if r.citation == "M.G.L. c. 93H § 3"}

        return as_user(engine, clock, people.officer, work)

    nature = "a Massachusetts letter does not state the nature of the breach"
    count = "a Massachusetts letter does not state the number of people affected"
    assert checked(own) == {nature: True, count: True}
    edited = own.replace("Sincerely,", f"{WHAT_HAPPENED} It affected 40 residents.\n\nSincerely,")
    assert checked(edited) == {nature: False, count: False}


def test_a_hipaa_letter_mailed_settles_the_massachusetts_duty_it_serves(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """M.G.L. c. 93H § 5: a HIPAA covered entity's HIPAA letter is the Massachusetts residents'
    notice (individual notice only), so recording the F1 letter as mailed on 2026-10-01, even
    without the app's text, marks MA1 done that day too; MA2 (the Attorney General and OCABR)
    stays open."""
    iid = make_incident(engine, clock, people.officer, states={"MA": 40})
    mailed = date(2026, 10, 1)
    f1 = obligation_id(engine, iid, "F1")
    as_user(
        engine,
        clock,
        people.officer,
        lambda c: sending.record_sent(c, load(c, iid), f1, SentInput(mailed, "mail", 40, "")),
    )
    found = obligations(engine, iid)
    assert (found["F1"].done_on, found["MA1"].done_on, found["MA2"].done_on) == (
        mailed,
        mailed,
        None,
    )
