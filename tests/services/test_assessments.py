"""services.assessments: the draft, signing in one transaction with the real engine, versions and
supersession, immutability, comments and role checks.

The clock stands at 2026-11-23 09:00 UTC, 04:00 in New York (the organisation's default zone), so
every assessment here is signed on 2026-11-23. Every due date below is counted by hand.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.core import wizard
from incident_tracker.core.assessment.questions import Kind
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import (
    AssessmentDraft,
    AssessmentRecord,
    AuditEvent,
    Incident,
    ObligationRecord,
    ObligationVersion,
    User,
)
from incident_tracker.services import assessments, incidents
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, Forbidden, ValidationFailed
from incident_tracker.services.incidents import IncidentValues
from tests import backends
from tests.conftest import AUDIT_KEY, make_user
from tests.core.test_risk_walks import (
    LOW_FACTORS,
    encrypted_laptop,
    exception_i,
    low_probability,
    notify_after_factors,
    notify_without_assessment,
    unsecured,
)

SIGNED_ON = date(2026, 11, 23)
# Discovered Monday 2026-11-02. F1 (164.404(b)): 60 days -> Nov 2 + 28 = Nov 30, + 31 = Dec 31,
# + 1 = 2027-01-01. CA1 (1798.82(a)(2)(A)): 30 days -> 2026-12-02. F5 (164.408(c)): 60 days
# after 2026-12-31 -> 2027-03-01. NY1 (899-aa(2)) without a HIPAA notice: 30 days -> 2026-12-02.
DISCOVERED = date(2026, 11, 2)
F1_DUE, CA1_DUE, F5_DUE, NY1_30_DAYS = (
    date(2027, 1, 1),
    date(2026, 12, 2),
    date(2027, 3, 1),
    date(2026, 12, 2),
)
# NY5 (899-aa(9)): 5 NY business days after the HHS log deadline Monday 2027-03-01: Mar 2, 3, 4,
# 5, 8 (no NY holiday in between) -> 2027-03-08.
NY5_DUE = date(2027, 3, 8)
# NY2 (899-aa(2)(a)): 10 days after the determination signed 2026-11-23 -> 2026-12-03 (Thursday).
NY2_DUE = date(2026, 12, 3)


def values(**over: Any) -> IncidentValues:
    data: dict[str, Any] = {
        "title": "Misdirected fax",
        "discovered_on": DISCOVERED,
        "breach_type": "unauthorized_access_disclosure",
        "location": "other",
        "states": {"PA": 20},
        "data_elements": ("name", "diagnosis"),
        "medium": "electronic",
        "acquired": True,
        "phi_encrypted": False,
        "risk_assessment": "not_low_probability",
    }
    data.update(over)
    return IncidentValues(**data)


@dataclass
class World:
    engine: Engine
    clock: FixedClock
    officer: User
    reviewer: User

    def call(self, session: Session, who: User | None = None) -> Call:
        user = who or self.officer
        return Call(session, Actor(user.id, user.email, user.role), self.clock.now(), AUDIT_KEY)

    def create(self, **over: Any) -> int:
        with unit_of_work(self.engine) as session:
            call = Call(session, Actor(None, "test", trusted=True), self.clock.now(), AUDIT_KEY)
            incident = incidents.create(call, values(owner_id=self.officer.id, **over))
            return incident.id or 0

    def sign(self, incident_id: int, answers: dict[str, Any], name: str = "Pat Officer") -> int:
        """Walk every step the answers call for, as the wizard would, then sign."""
        with unit_of_work(self.engine) as session:
            call = self.call(session)
            incident = session.get(Incident, incident_id)
            assert incident is not None
            walk_steps(call, incident, answers)
            return assessments.sign(call, incident, name, True).version

    def duties(self, incident_id: int) -> dict[str, date | None]:
        """Live legal obligations: "F1", "F3 CA", ... -> due date."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(ObligationRecord).where(
                    ObligationRecord.incident_id == incident_id,
                    ObligationRecord.live == True,  # noqa: E712
                    ObligationRecord.kind == "legal",
                )
            ).all()
            return {r.rule_id + (f" {r.state}" if r.state else ""): r.due for r in rows}

    def incident(self, incident_id: int) -> Incident:
        with Session(self.engine) as session:
            found = session.get(Incident, incident_id)
            assert found is not None
            return found


def walk_steps(call: Call, incident: Incident, answers: dict[str, Any]) -> None:
    key = "approach"
    while key != "sign":
        step = wizard.find(key)
        assert step is not None
        submitted = {
            q.key: answers.get(q.key, [] if q.kind is Kind.MULTI else "") for q in step.questions
        }
        key = assessments.save_step(call, incident, key, submitted)


@pytest.fixture
def world(settings: Settings, clock: FixedClock) -> Iterator[World]:
    engine = make_engine(settings.db_url)
    officer = make_user(settings, "officer@example.org", "privacy_officer")
    reviewer = make_user(settings, "reviewer@example.org", "legal_reviewer")
    yield World(engine, clock, officer, reviewer)
    engine.dispose()


# -- obligations before and after signing each conclusion (the real engine) -------------------


def test_low_probability_removes_f1_f3_f4_but_leaves_ca1_for_a_ca_acquisition(world: World) -> None:
    """164.402(2): a documented low probability removes every HIPAA notice (F1, F3 CA for > 500
    CA residents, F4 HHS for >= 500); Civ. Code 1798.82 has no risk-of-harm exception, so CA1
    (30 days) and the CA AG sample (CA2, > 500) stay (docs/law/federal.md;
    docs/law/california.md)."""
    incident_id = world.create(states={"CA": 700}, data_elements=("name", "ssn", "diagnosis"))
    before = world.duties(incident_id)
    assert {k: before[k] for k in ("F1", "F3 CA", "F4", "CA1")} == {
        "F1": F1_DUE,
        "F3 CA": F1_DUE,
        "F4": F1_DUE,
        "CA1": CA1_DUE,
    }
    world.sign(incident_id, low_probability())
    after = world.duties(incident_id)
    assert not {"F1", "F3 CA", "F4", "F5"} & set(after)
    assert after["CA1"] == CA1_DUE and "CA2" in after


def test_low_probability_removes_the_annual_hhs_log_f5_for_fewer_than_500(world: World) -> None:
    """164.408(c): fewer than 500 -> the annual log (F5, 2027-03-01); a low probability removes
    it and F1, and CA1 (40 CA residents, SSNs acquired) stays on its 30-day date."""
    incident_id = world.create(states={"CA": 40}, data_elements=("name", "ssn"))
    assert {k: world.duties(incident_id)[k] for k in ("F1", "F5", "CA1")} == {
        "F1": F1_DUE,
        "F5": F5_DUE,
        "CA1": CA1_DUE,
    }
    world.sign(incident_id, low_probability())
    after = world.duties(incident_id)
    assert "F1" not in after and "F5" not in after
    assert after["CA1"] == CA1_DUE


def test_an_exception_removes_ny5_because_no_hhs_notice_is_owed(world: World) -> None:
    """164.402(1)(iii) (C11, mail returned unopened): not a breach, so no HHS notice and no NY AG
    notice after it (899-aa(9), NY5 due 2027-03-08 before). NY's own test still applies to the
    NY residents: with no HIPAA letter to satisfy it, NY1 is the 30-day notice (2026-12-02)."""
    incident_id = world.create(states={"NY": 20}, data_elements=("name", "ssn"))
    before = world.duties(incident_id)
    assert (before["F1"], before["F5"], before["NY5"]) == (F1_DUE, F5_DUE, NY5_DUE)
    answers = unsecured(
        eiii_good_faith_belief="yes",
        eiii_explanation="The envelope came back unopened.",
        chosen_outcome="exception",
        chosen_exception="164.402(1)(iii)",
        ny_inadvertent_authorized="no",
        ny_not_likely_misuse="yes",
    )
    world.sign(incident_id, answers)
    after = world.duties(incident_id)
    assert not {"F1", "F5", "NY5"} & set(after)
    assert after["NY1"] == NY1_30_DAYS
    assert world.incident(incident_id).exception == "164.402(1)(iii)"


def test_exception_1_i_also_removes_the_ny_duties(world: World) -> None:
    """164.402(1)(i) facts meet the NY good-faith exclusion (docs/law/new-york.md, C10): nothing
    owed."""
    incident_id = world.create(states={"NY": 20}, data_elements=("name", "ssn"))
    world.sign(incident_id, exception_i())
    assert world.duties(incident_id) == {}


def test_a_ny_determination_for_more_than_500_creates_ny2_ten_days_after_signing(
    world: World,
) -> None:
    """§ 899-aa(2)(a): the written determination (dated the signing, 2026-11-23) goes to the AG
    within 10 days when more than 500 NY residents are affected: NY2 due 2026-12-03; no NY
    resident notice (NY1) then."""
    incident_id = world.create(states={"NY": 600}, data_elements=("name", "ssn"))
    assert "NY2" not in world.duties(incident_id)
    answers = low_probability(
        ny_inadvertent_authorized="yes",
        ny_not_likely_misuse="yes",
        ny_determination_text="Sent to a covered entity by our authorized staff; shredded.",
    )
    world.sign(incident_id, answers)
    after = world.duties(incident_id)
    assert after["NY2"] == NY2_DUE
    assert "NY1" not in after and "F1" not in after
    assert world.incident(incident_id).ny_harm_determination_on == SIGNED_ON


NY_2A = {
    "ny_inadvertent_authorized": "yes",
    "ny_not_likely_misuse": "yes",
    "ny_determination_text": "Sent to a covered entity by our authorized staff; shredded.",
}


def _reopen_and_resign(world: World, incident_id: int, answers: dict[str, Any] | None) -> None:
    """Reopen the last version and sign again, with the same answers (None) or new ones."""
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assessments.reopen(call, incident)
        if answers is not None:
            walk_steps(call, incident, answers)
        assessments.sign(call, incident, "Pat Officer", True)


def test_resigning_an_unchanged_ny_determination_keeps_ny2_ten_days_from_the_first(
    world: World,
) -> None:
    """§ 899-aa(2)(a), docs/law/rules.md NY2: the AG copy is due 10 days after the determination. v1
    signed 2026-11-23 -> NY2 2026-12-03; reopened and re-signed unchanged 40 days later
    (2027-01-02) it is the same determination, so NY2 stays 2026-12-03 (still overdue)."""
    incident_id = world.create(states={"NY": 600}, data_elements=("name", "ssn"))
    world.sign(incident_id, low_probability(**NY_2A))
    assert world.duties(incident_id)["NY2"] == NY2_DUE
    world.clock.advance(days=40)
    _reopen_and_resign(world, incident_id, None)
    assert world.duties(incident_id)["NY2"] == date(2026, 12, 3)
    assert world.incident(incident_id).ny_harm_determination_on == SIGNED_ON
    with Session(world.engine) as session:
        v2 = session.exec(select(AssessmentRecord).where(AssessmentRecord.version == 2)).one()
        assert v2.signed_on == date(2027, 1, 2)
        assert json.loads(v2.facts)["after"]["ny_harm_determination_on"] == "2026-11-23"


def test_resigning_an_unchanged_nj_determination_keeps_its_first_date(world: World) -> None:
    """56:8-163(a): the written determination keeps the date it was first made on re-signing."""
    incident_id = world.create(states={"NJ": 30}, data_elements=("name", "ssn"))
    world.sign(
        incident_id, low_probability(nj_misuse_not_possible="yes", nj_determination_text="x")
    )
    world.clock.advance(days=40)
    _reopen_and_resign(world, incident_id, None)
    assert world.incident(incident_id).nj_misuse_determination_on == SIGNED_ON


def test_a_ny_determination_first_made_on_resigning_is_dated_that_signing(world: World) -> None:
    """§ 899-aa(2)(a): v1 (2026-11-23) made no determination (not an inadvertent disclosure by
    authorized persons); v2 on 2027-01-02 makes it, so NY2 = 2027-01-02 + 10 = 2027-01-12."""
    incident_id = world.create(states={"NY": 600}, data_elements=("name", "ssn"))
    world.sign(incident_id, low_probability(**{**NY_2A, "ny_inadvertent_authorized": "no"}))
    assert "NY2" not in world.duties(incident_id)
    world.clock.advance(days=40)
    _reopen_and_resign(world, incident_id, low_probability(**NY_2A))
    assert world.duties(incident_id)["NY2"] == date(2027, 1, 12)


def test_notify_after_answering_the_ny_step_keeps_the_ny_agency_notices(world: World) -> None:
    """§ 899-aa(2)(b), (8)(a) (docs/law/new-york.md): the officer answered the (2)(a) step under a
    low-probability conclusion, then changed it to "notify". The HIPAA letters are the NY notice,
    so no determination is recorded and NY1 and NY3-AG/DOS/SP are due with F1 (2027-01-01)."""
    incident_id = world.create(states={"NY": 600}, data_elements=("name", "ssn"))
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        walk_steps(call, incident, low_probability(**NY_2A))
        assessments.save_step(
            call,
            incident,
            "conclusion",
            {"chosen_outcome": "notify", "override_reason": "The patient asked to be told."},
        )
        assessments.sign(call, incident, "Pat Officer", True)
    after = world.duties(incident_id)
    assert {k: after[k] for k in ("F1", "NY1", "NY3-AG", "NY3-DOS", "NY3-SP")} == dict.fromkeys(
        ("F1", "NY1", "NY3-AG", "NY3-DOS", "NY3-SP"), F1_DUE
    )
    assert "NY2" not in after
    assert world.incident(incident_id).ny_harm_determination_on is None


def test_secured_phi_is_refused_when_the_phi_was_not_encrypted(world: World) -> None:
    """45 CFR 164.402 'unsecured PHI' (docs/law/federal.md): unencrypted PHI concluded "secured"
    with
    an override reason is refused at the conclusion step; F1 stays owed."""
    incident_id = world.create(states={"PA": 700}, data_elements=("name", "ssn"))
    answers = unsecured(**LOW_FACTORS, chosen_outcome="secured", override_reason="we think so")
    with pytest.raises(ValidationFailed) as refused:
        world.sign(incident_id, answers)
    assert "do not show secured PHI" in refused.value.field_errors["chosen_outcome"]
    assert world.duties(incident_id)["F1"] == F1_DUE


def test_a_nj_determination_removes_the_nj_notices(world: World) -> None:
    """56:8-163(a): misuse not reasonably possible (written, 5 years): no customer notice (NJ2)
    and so no State Police report before it (NJ1)."""
    incident_id = world.create(states={"NJ": 30}, data_elements=("name", "ssn"))
    assert {"NJ1", "NJ2"} <= set(world.duties(incident_id))
    answers = low_probability(nj_misuse_not_possible="yes", nj_determination_text="Shredded.")
    world.sign(incident_id, answers)
    assert not {"NJ1", "NJ2"} & set(world.duties(incident_id))
    assert world.incident(incident_id).nj_misuse_determination_on == SIGNED_ON


def test_secured_phi_removes_every_notice(world: World) -> None:
    """164.402 and docs/law/new-york.md (C08): encrypted to the guidance, key intact: no HIPAA, NY
    or CA
    notice."""
    incident_id = world.create(states={"NY": 600, "CA": 40}, data_elements=("name", "ssn"))
    assert {"F1", "NY1", "CA1", "NY5"} <= set(world.duties(incident_id))
    world.sign(incident_id, encrypted_laptop())
    assert world.duties(incident_id) == {}
    saved = world.incident(incident_id)
    assert (saved.risk_assessment, saved.phi_encrypted, saved.encryption_key_compromised) == (
        "not_required_secured_phi",
        True,
        False,
    )


def test_notify_without_an_assessment_makes_the_notices_owed(world: World) -> None:
    """docs/law/federal.md: "notify, no assessment" is recorded as such; an incident first recorded
    as
    encrypted with the key intact (no notice owed) owes F1 once the officer decides to notify."""
    incident_id = world.create(phi_encrypted=True, encryption_key_compromised=False)
    assert "F1" not in world.duties(incident_id)
    world.sign(incident_id, notify_without_assessment())
    assert world.duties(incident_id)["F1"] == F1_DUE
    saved = world.incident(incident_id)
    assert (saved.risk_assessment, saved.phi_encrypted) == ("not_low_probability", None)
    with Session(world.engine) as session:
        record = session.exec(select(AssessmentRecord)).one()
        assert (record.approach, record.outcome, record.proposed_outcome) == (
            "notify",
            "notify",
            "notify",
        )


def test_a_cdph_exclusion_removes_the_cdph_and_patient_reports(world: World) -> None:
    """22 CCR 79901(b)(1)(C): the recipient could not have retained it; CA4 and CA5 go."""
    incident_id = world.create(
        entity_type="ca_licensed_health_facility",
        states={"CA": 3},
        data_elements=("name", "diagnosis"),
    )
    assert {"CA4", "CA5"} <= set(world.duties(incident_id))
    answers = notify_after_factors(cdph_exclusion="C", cdph_basis="The page was retrieved at once.")
    world.sign(incident_id, answers)
    after = world.duties(incident_id)
    assert not {"CA4", "CA5"} & set(after) and "F1" in after
    assert world.incident(incident_id).cdph_exclusion == "C"


# -- one transaction, audit, versions ---------------------------------------------------------


def test_signing_recomputes_and_audits_in_the_same_transaction(world: World) -> None:
    """The record, the facts, the obligation versions and the audit row."""
    incident_id = world.create(states={"CA": 40}, data_elements=("name", "ssn"))
    world.sign(incident_id, low_probability())
    with Session(world.engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "assessment.sign")).one()
        assert event.actor_email == "officer@example.org"
        assert json.loads(event.old_values or "{}")["risk_assessment"] == "not_low_probability"
        new = json.loads(event.new_values or "{}")
        assert (new["risk_assessment"], new["version"]) == ("low_probability_documented", 1)
        causes = session.exec(select(ObligationVersion.cause)).all()
        assert "risk assessment v1 signed: low_probability" in causes
        assert session.exec(select(AssessmentDraft)).first() is None


def test_a_failed_signature_saves_nothing(world: World) -> None:
    """One transaction: a determination dated before discovery is refused by the engine's own
    validation (the incident JSON format (README.md, Calculator)), and neither the record nor the
    facts nor the draft change."""
    signing_time = world.clock.now()
    world.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))  # a discovery date is never ahead
    incident_id = world.create(
        discovered_on=date(2026, 11, 25), states={"NY": 600}, data_elements=("name", "ssn")
    )
    world.clock.set(signing_time)  # a clock set back: the determination precedes discovery
    answers = low_probability(
        ny_inadvertent_authorized="yes", ny_not_likely_misuse="yes", ny_determination_text="x"
    )
    with pytest.raises(ValidationFailed) as refused:
        world.sign(incident_id, answers)
    assert "ny_harm_determination_on" in refused.value.field_errors
    with Session(world.engine) as session:
        assert session.exec(select(AssessmentRecord)).first() is None
        assert session.exec(select(AssessmentDraft)).first() is None  # the walk too rolled back
    assert world.incident(incident_id).risk_assessment == "not_low_probability"


def test_reopening_signs_a_new_version_that_supersedes_the_old_one(world: World) -> None:
    """164.530(j): version 1 stays readable as signed; version 2 supersedes it; the incident
    carries version 2's facts."""
    incident_id = world.create(states={"CA": 40}, data_elements=("name", "ssn"))
    assert world.sign(incident_id, notify_after_factors()) == 1
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        draft = assessments.reopen(call, incident)
        assert draft.based_on_version == 1
        assert json.loads(draft.answers)["fiii_rating"] == "high"  # prefilled from v1
        with pytest.raises(Conflict):
            assessments.reopen(call, incident)
    assert world.sign(incident_id, low_probability(), name="Pat Officer") == 2
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        first = assessments.record_page(call, incident, 1)
        second = assessments.record_page(call, incident, 2)
    assert first.record is not None and second.record is not None
    assert (first.record.outcome, first.superseded_by, first.supersedes) == ("notify", 2, None)
    assert (second.record.outcome, second.superseded_by, second.supersedes) == (
        "low_probability",
        None,
        1,
    )
    assert second.record.supersedes_id == first.record.id
    assert world.incident(incident_id).risk_assessment == "low_probability_documented"
    assert [row.answer for s in first.steps for row in s.rows if "rating" in row.question][2] == (
        "High: this factor points to compromise"
    )


def test_reopen_needs_a_signed_version(world: World) -> None:
    incident_id = world.create()
    with unit_of_work(world.engine) as session, pytest.raises(Conflict):
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assessments.reopen(world.call(session), incident)


def test_a_signed_record_cannot_be_changed_or_deleted_even_with_raw_sql(
    world: World, settings: Settings
) -> None:
    """164.530(j); migration 0006 triggers: UPDATE and DELETE on assessment_record are refused."""
    incident_id = world.create()
    world.sign(incident_id, notify_without_assessment())
    with backends.raw(settings.db_url) as db:
        for statement in (
            "UPDATE assessment_record SET outcome = 'low_probability'",
            "DELETE FROM assessment_record",
        ):
            with pytest.raises(DBAPIError, match="immutable"):
                db.execute(text(statement))
            db.rollback()
        assert list(db.execute(text("SELECT outcome FROM assessment_record"))) == [("notify",)]


# -- the draft and validation ------------------------------------------------------------------


def test_the_draft_is_saved_after_every_step_and_resumes_where_it_stands(world: World) -> None:
    """Each step's answers are in the database at once (an idle sign-out loses
    nothing); the draft records who saved it and where the walk resumes."""
    incident_id = world.create()
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assert assessments.save_step(call, incident, "approach", {"approach": "assess"}) == (
            "safe_harbor"
        )
    with Session(world.engine) as session:
        draft = session.exec(select(AssessmentDraft)).one()
        assert (draft.step, draft.updated_by, json.loads(draft.answers)) == (
            "safe_harbor",
            world.officer.id,
            {"approach": "assess"},
        )


def test_a_low_probability_conclusion_is_refused_while_a_factor_is_undocumented(
    world: World,
) -> None:
    """164.402(2): the conclusion step refuses it and nothing is saved."""
    incident_id = world.create()
    answers = low_probability(fii_evidence="")
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        with pytest.raises(ValidationFailed) as refused:
            walk_steps(call, incident, answers)
        assert "factor(s) (ii)" in refused.value.field_errors["chosen_outcome"]


def test_signing_needs_a_name_the_attestation_and_a_complete_walk(world: World) -> None:
    incident_id = world.create()
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assessments.save_step(call, incident, "approach", {"approach": "assess"})
        with pytest.raises(ValidationFailed) as refused:
            assessments.sign(call, incident, "  ", False)
    errors = refused.value.field_errors
    assert set(errors) == {"signer_name", "attest", "walk"}
    assert errors["walk"].startswith("Secured or unsecured PHI:")


# -- roles ---------------------------------------------------------------------------------------


def test_legal_reviewers_comment_but_neither_draft_nor_sign(world: World) -> None:
    """Only privacy officers sign (SIGN_ASSESSMENT); reviewers read and comment."""
    incident_id = world.create()
    world.sign(incident_id, notify_without_assessment())
    with unit_of_work(world.engine) as session:
        call = world.call(session, world.reviewer)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        with pytest.raises(Forbidden):
            assessments.save_step(call, incident, "approach", {"approach": "assess"})
        with pytest.raises(Forbidden):
            assessments.sign(call, incident, "Rae Reviewer", True)
        with pytest.raises(Forbidden):
            assessments.reopen(call, incident)
        assessments.comment(call, incident, 1, "Agree: notify.")
    with Session(world.engine) as session:
        refused = session.exec(
            select(AuditEvent).where(AuditEvent.action == "security.permission_refused")
        ).all()
        assert sorted(e.detail or "" for e in refused) == [
            "assess_risk in a service",
            "assess_risk in a service",
            "sign_assessment in a service",
        ]
    with unit_of_work(world.engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        page = assessments.record_page(world.call(session, world.reviewer), incident, 1)
    assert [(c.author, c.body) for c in page.comments] == [
        ("reviewer@example.org", "Agree: notify.")
    ]


def test_a_read_only_user_cannot_comment(world: World, settings: Settings) -> None:
    reader = make_user(settings, "reader@example.org", "read_only")
    incident_id = world.create()
    with unit_of_work(world.engine) as session, pytest.raises(Forbidden):
        incident = session.get(Incident, incident_id)
        assert incident is not None
        assessments.comment(world.call(session, reader), incident, None, "hello")


def test_comments_must_have_text_and_name_an_existing_version(world: World) -> None:
    incident_id = world.create()
    with unit_of_work(world.engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        call = world.call(session, world.reviewer)
        with pytest.raises(ValidationFailed):
            assessments.comment(call, incident, None, "   ")
        with pytest.raises(Exception, match="no such assessment version"):
            assessments.comment(call, incident, 7, "On version 7")
    with Session(world.engine) as session:
        assert (
            session.exec(
                select(col(AuditEvent.id)).where(AuditEvent.action == "assessment.comment")
            ).all()
            == []
        )


def test_signing_warns_when_factor_iii_contradicts_a_recorded_acquisition(world: World) -> None:
    """164.402(2)(iii) answered "neither acquired nor viewed" on an incident recorded as acquired:
    signing does not change `acquired` (the incident JSON format (README.md, Calculator) lists the
    facts it sets), so Civ. Code
    1798.82(a) still counts an acquisition and CA1 stays; the preview says so before signing.
    An incident recorded as viewed only gets no such caution."""
    for acquired, expected in ((True, 1), (False, 0)):
        incident_id = world.create(states={"CA": 10}, acquired=acquired)
        with unit_of_work(world.engine) as session:
            call = world.call(session)
            incident = session.get(Incident, incident_id)
            assert incident is not None
            walk_steps(call, incident, low_probability())
            shown = assessments.preview(
                call, incident, assessments.answers_of(assessments.draft_of(call, incident))
            )
        assert len(shown.cautions) == expected
        assert all("Cal. Civ. Code 1798.82" in c for c in shown.cautions)


def test_a_signed_record_prints_the_facts_as_they_were_when_signed(world: World) -> None:
    """Signed with discovery on 2026-11-02; discovery is then corrected to 2026-10-30. The
    signed version's header keeps 2026-11-02 (its snapshot, taken in the signing transaction);
    the draft of a reopened assessment shows the live 2026-10-30 (45 CFR 164.530(j))."""
    incident_id = world.create()
    world.sign(incident_id, low_probability())
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None
        changed = dataclasses.replace(
            incidents.values_of(call, incident), discovered_on=date(2026, 10, 30)
        )
        incidents.update(call, incident, changed)
    with unit_of_work(world.engine) as session:
        call = world.call(session)
        incident = session.get(Incident, incident_id)
        assert incident is not None and incident.discovered_on == date(2026, 10, 30)
        page = assessments.record_page(call, incident, 1)
        assert page.head["discovered_on"] == "2026-11-02"
        assert page.head["title"] == "Misdirected fax"
        assert page.record is not None
        assert json.loads(page.record.snapshot or "{}")["discovered_on"] == "2026-11-02"
        assessments.reopen(call, incident)
        draft = assessments.draft_page(call, incident)
        assert draft is not None and draft.head["discovered_on"] == "2026-10-30"


def test_status_moves_with_the_assessment_in_the_same_transaction_and_is_audited(
    world: World,
) -> None:
    """A new incident has no outcome (the breach is presumed, 164.402(2)); intake -> assessing
    when the walk starts -> notifying when a breach is signed (F1 owed, 164.404); each move is an
    incident.status_auto audit row written with the change that caused it."""
    incident_id = world.create(
        states={"CA": 40}, data_elements=("name", "ssn"), risk_assessment=None
    )
    assert world.incident(incident_id).status == "intake"
    assert world.incident(incident_id).risk_assessment is None
    assert world.sign(incident_id, notify_after_factors()) == 1
    assert world.incident(incident_id).status == "notification"
    with Session(world.engine) as session:
        moves = session.exec(
            select(AuditEvent).where(AuditEvent.action == "incident.status_auto")
        ).all()
    assert [
        (json.loads(m.old_values or "{}"), json.loads(m.new_values or "{}")) for m in moves
    ] == [
        ({"status": "intake"}, {"status": "assessment"}),
        ({"status": "assessment"}, {"status": "notification"}),
    ]
