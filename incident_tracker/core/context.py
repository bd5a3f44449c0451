"""Facts derived once per incident and shared by every rule: the HIPAA determination, whose clock
runs from which date, and the law-enforcement hold window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from incident_tracker.core.facts import (
    EntityType,
    Exception164402,
    FipsValidation,
    IncidentFacts,
    RiskAssessment,
    governing_hold,
)
from incident_tracker.core.obligations import Obligation, Party

# NIST moved every FIPS 140-2 certificate to the CMVP Historical list on 2026-09-21; FIPS 140-3 is
# the active standard. The HHS guidance (74 FR 19006) still names FIPS 140-2, so either is accepted.
FIPS_140_2_WARNING = (
    "fips_validation: the encryption safe harbor rests on a FIPS 140-2 validated module. Every "
    "FIPS 140-2 certificate moved to NIST's CMVP Historical list on 2026-09-21 and FIPS 140-3 is "
    "the active standard; the HHS guidance (74 FR 19006) still names FIPS 140-2, so the "
    "determination stands, but keep the module's certificate with the record and move to a FIPS "
    "140-3 module."
)


@dataclass(frozen=True, slots=True)
class HipaaDetermination:
    """Is this a breach of unsecured PHI that must be notified (164.402)? If not, why not."""

    notify: bool
    why_not: str | None
    record: str  # what the 164.530(j) record documents


@dataclass(frozen=True, slots=True)
class HoldWindow:
    """The law-enforcement hold (164.412): from the first statement's date to the end of the
    governing statement's period (`facts.governing_hold`)."""

    start: date | None
    end: date

    def length_days(self) -> int | None:
        return None if self.start is None else (self.end - self.start).days


def determine_hipaa(f: IncidentFacts) -> HipaaDetermination:
    if f.risk_assessment is RiskAssessment.NOT_REQUIRED_SECURED_PHI or (
        f.phi_encrypted is True and f.encryption_key_compromised is False
    ):
        return HipaaDetermination(
            False,
            "PHI was not 'unsecured': encrypted to the HHS guidance with the key not compromised "
            "(164.402; 74 FR 19006 as updated 74 FR 42740)",
            "encryption safe-harbor determination",
        )
    if f.exception is not None or f.risk_assessment is RiskAssessment.NOT_REQUIRED_EXCEPTION:
        which = f.exception.value if f.exception else "164.402(1)"
        return HipaaDetermination(
            False, f"excluded from 'breach' by {which}", "exception determination"
        )
    if f.risk_assessment is RiskAssessment.LOW_PROBABILITY_DOCUMENTED:
        return HipaaDetermination(
            False,
            "low probability of compromise demonstrated by a documented four-factor risk "
            "assessment (164.402(2))",
            "four-factor risk assessment",
        )
    return HipaaDetermination(
        True, None, "breach documentation: risk assessment, notices and proof of sending"
    )


@dataclass(slots=True)
class Context:
    """Built once per incident; the who-is-the-entity answers are plain attributes because every
    rule asks them."""

    facts: IncidentFacts
    hipaa: HipaaDetermination
    hold: HoldWindow | None
    by_state: dict[str, int]
    # A business associate's own incident: its duties, plus its covered-entity client's.
    is_business_associate: bool
    # A HIPAA covered entity's own incident, or the covered-entity client of a BA's.
    has_covered_entity_duties: bool
    # `party` is stated in business-associate incidents only (the incident JSON format (README.md,
    # Calculator)); for a business
    # associate with several covered-entity clients it is the client's name.
    owner_party: str | None
    # 164.402(1)(i) facts also meet the NY, NJ and CA good-faith exclusions (docs/law/new-york.md).
    good_faith_workforce_exception: bool
    # Encrypted with the key known to be intact: outside every state definition
    # (docs/law/new-york.md).
    # An unknown key status is not presumed intact: the burden of proof is the entity's (164.414).
    secured: bool
    results: dict[tuple[str, str | None], Obligation] = field(default_factory=dict)
    # Facts the law caps or questions but the engine accepts (shown, never refused).
    warnings: tuple[str, ...] = ()

    @classmethod
    def build(cls, facts: IncidentFacts, client: str | None = None) -> Context:
        hold = None
        governing = governing_hold(facts.holds) if facts.holds else None
        if governing is not None:
            starts = [h.statement_date for h in facts.holds if h.statement_date is not None]
            hold = HoldWindow(min(starts) if starts else None, governing.end)
        is_ba = facts.entity_type is EntityType.BUSINESS_ASSOCIATE
        ctx = cls(
            facts,
            determine_hipaa(facts),
            hold,
            dict(facts.affected_by_state),
            is_business_associate=is_ba,
            has_covered_entity_duties=facts.hipaa_covered_entity or is_ba,
            owner_party=(client or Party.COVERED_ENTITY) if is_ba else None,
            good_faith_workforce_exception=facts.exception is Exception164402.GOOD_FAITH_WORKFORCE,
            secured=facts.phi_encrypted is True and facts.encryption_key_compromised is False,
        )
        if facts.fips_validation is FipsValidation.FIPS_140_2 and (
            ctx.secured or facts.risk_assessment is RiskAssessment.NOT_REQUIRED_SECURED_PHI
        ):
            ctx.warn(FIPS_140_2_WARNING)
        return ctx

    def residents(self, state: str) -> int:
        return self.by_state.get(state, 0)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings = (*self.warnings, text)

    # -- anchors -----------------------------------------------------------------------
    def add(self, obligation: Obligation) -> Obligation:
        self.results[(obligation.rule_id, obligation.state)] = obligation
        return obligation

    def get(self, rule_id: str, state: str | None = None) -> Obligation | None:
        return self.results.get((rule_id, state))

    def hold_adjusted(self, strict: date) -> tuple[date, date | None, str | None]:
        """164.412 [OPEN, docs/law/federal.md]: default = later of the strict date
        and the hold end;
        alternative = toll the strict date by the hold's length."""
        if self.hold is None:
            return strict, None, None
        due = max(strict, self.hold.end)
        length = self.hold.length_days()
        if length is None:
            return due, None, None
        tolled = strict + timedelta(days=length)
        if tolled == due:
            return due, None, None
        return (
            due,
            tolled,
            f"tolling reading of 164.412: the strict date {strict} plus the {length}-day hold "
            "(unsettled, docs/law/federal.md; the tracker default is the later of the two dates)",
        )
