"""California Department of Public Health: Health & Safety Code § 1280.15 with 22 CCR 79900-79905
(CA4 report to CDPH, CA5 notice to the patient), 15 CalHR business days from detection
(docs/law/california.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from incident_tracker.core.context import Context
from incident_tracker.core.facts import (
    EntityType,
    HoldForm,
    LawEnforcementHold,
    RiskAssessment,
)
from incident_tracker.core.jurisdictions.california import parameters as P
from incident_tracker.core.jurisdictions.california.business_days import (
    CA_6700_DAYS,
    CA_BUSINESS_DAYS,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Outcome, Rule
from incident_tracker.core.vocabulary import CA_MEDICAL_INFORMATION

J = "CA"
CDPH_BUSINESS_DAYS = current(P.CDPH_BUSINESS_DAYS)  # H&S 1280.15(b); 22 CCR 79902(a)


def why_no_cdph_breach(ctx: Context) -> str | None:
    """H&S 1280.15(a); 22 CCR 79901: unauthorized access, use or disclosure of a patient's
    medical information at a CDPH-licensed clinic, facility, home health agency or hospice."""
    f = ctx.facts
    if not f.ca_licensed_health_facility:
        return "the entity is not a CDPH-licensed clinic, facility, home health agency or hospice"
    if f.entity_type is EntityType.BUSINESS_ASSOCIATE:
        return "business associates are excluded from the reporting duty (22 CCR 79902(a))"
    if f.total_affected == 0:
        return "no patients are affected"
    if not f.data_elements & CA_MEDICAL_INFORMATION:
        return "no medical information (Civ. Code 56.05) is involved"
    if f.cdph_exclusion is not None:
        return f"excluded from 'breach' by 22 CCR 79901(b)(1)({f.cdph_exclusion})"
    if ctx.secured:
        return "22 CCR 79901(b)(1)(E): lost/stolen encrypted data not accessed is excluded"
    if f.risk_assessment is RiskAssessment.LOW_PROBABILITY_DOCUMENTED:
        return (
            "22 CCR 79901(b)(1)(F): a documented risk assessment found a low probability of "
            "compromise"
        )
    return None


def _business_days(start: date) -> tuple[date, date | None, str | None]:
    due = CA_BUSINESS_DAYS.add_business_days(start, CDPH_BUSINESS_DAYS)
    alt = CA_6700_DAYS.add_business_days(start, CDPH_BUSINESS_DAYS)
    if alt == due:
        return due, None, None
    extra: list[str] = []
    day = start
    while day < alt:
        day += timedelta(days=1)
        if CA_BUSINESS_DAYS.is_business_day(day) and not CA_6700_DAYS.is_business_day(day):
            extra.append(f"{CA_6700_DAYS.holiday_name(day)} {day}")
    return (
        due,
        alt,
        (
            f"if {', '.join(extra)} (listed in Gov. Code 6700 but not a state-office closure) "
            "is treated as a holiday (docs/law/california.md)"
        ),
    )


def _cdph(ctx: Context) -> Iterator[Outcome]:
    """H&S 1280.15(b)(1): report to CDPH within 15 business days of detection; never delayed."""
    if (why := why_no_cdph_breach(ctx)) is not None:
        yield NotRequired("CA4", why, jurisdiction=J)
        return
    start = ctx.facts.discovered_on
    due, alt, alt_reason = _business_days(start)
    yield ctx.add(
        Obligation(
            "CA4",
            J,
            "California Department of Public Health",
            "Cal. Health & Safety Code 1280.15(b)(1); 22 CCR 79902(a)",
            f"Report the unauthorized access, use or disclosure to CDPH no later than 15 business "
            f"days after detection on {start}; a law-enforcement hold delays only the patient "
            "report.",
            due,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            due_basis="15 CA business days after detection",
            calendar=CA_BUSINESS_DAYS.label(),
        )
    )


CDPH_WRITTEN_HOLD_DAYS = current(P.CDPH_WRITTEN_HOLD_DAYS)  # H&S 1280.15(c): written request
CDPH_ORAL_HOLD_DAYS = current(P.CDPH_ORAL_HOLD_DAYS)  # H&S 1280.15(c): an oral request


def cdph_hold_warnings(holds: tuple[LawEnforcementHold, ...]) -> list[str]:
    """H&S 1280.15(c) caps a law-enforcement delay of the patient report: 60 days for a written
    request, 30 for an oral one, unless a further written declaration extends it. A longer
    stated period is accepted (the statement is the agency's), with a warning to check it."""
    out: list[str] = []
    for hold in holds:
        days, stated = hold.stated_days, hold.statement_date
        if days is None or stated is None:
            continue
        if hold.form is HoldForm.WRITTEN and days > CDPH_WRITTEN_HOLD_DAYS:
            cap = stated + timedelta(days=CDPH_WRITTEN_HOLD_DAYS)
            out.append(
                f"law_enforcement_delay: the written statement of {stated} delays the CDPH "
                f"patient report to {hold.delay_until} ({days} days); Cal. Health & Safety Code "
                f"1280.15(c) allows a written request at most 60 days (to {cap}) unless a further "
                "written declaration extends it. The stated period is used; check it."
            )
        confirmed = any(
            h.form is HoldForm.WRITTEN
            and h.statement_date is not None
            and stated <= h.statement_date <= stated + timedelta(days=CDPH_ORAL_HOLD_DAYS)
            for h in holds
        )
        if hold.form is HoldForm.ORAL and days > CDPH_ORAL_HOLD_DAYS and not confirmed:
            cap = stated + timedelta(days=CDPH_ORAL_HOLD_DAYS)
            out.append(
                f"law_enforcement_delay: the oral statement of {stated} asks for a delay to "
                f"{hold.delay_until} ({days} days); Cal. Health & Safety Code 1280.15(c) (and 45 "
                f"CFR 164.412(b)) allow an oral request at most 30 days (to {cap}) unless a "
                "further written declaration extends it; the oral request alone holds no longer."
            )
    return out


def _patients(ctx: Context) -> Iterator[Outcome]:
    """H&S 1280.15(b)(2), (c): tell each patient within 15 business days of detection, or of the
    end of a law-enforcement delay."""
    if (why := why_no_cdph_breach(ctx)) is not None:
        yield NotRequired("CA5", why, jurisdiction=J)
        return
    for warning in cdph_hold_warnings(ctx.facts.holds):
        ctx.warn(warning)
    start = ctx.facts.discovered_on
    held = ctx.hold is not None and ctx.hold.end > start
    if held:
        assert ctx.hold is not None
        start = ctx.hold.end
    due, alt, alt_reason = _business_days(start)
    reason = (
        "Tell each affected patient (or representative) no later than 15 business days after "
        + (
            f"the law-enforcement delay ends on {start} (1280.15(c))."
            if held
            else f"detection on {start}."
        )
    )
    yield ctx.add(
        Obligation(
            "CA5",
            J,
            "Affected patients (CA H&S 1280.15)",
            "Cal. Health & Safety Code 1280.15(b)(2)" + ("; 1280.15(c)" if held else ""),
            reason,
            due,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            due_basis=f"15 CA business days after {start}"
            if held
            else "15 CA business days after detection",
            calendar=CA_BUSINESS_DAYS.label(),
        )
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "CA4",
        J,
        "Cal. Health & Safety Code 1280.15(b)(1)",
        "CDPH",
        "A CDPH-licensed clinic, facility, home health agency or hospice; unauthorized access, "
        "use or disclosure of medical information (paper too); no 22 CCR 79901(b)(1) exclusion.",
        "15 CA business days after detection",
        _cdph,
    ),
    Rule(
        "CA5",
        J,
        "Cal. Health & Safety Code 1280.15(b)(2), (c)",
        "Affected patients",
        "As CA4.",
        "15 CA business days after detection, or after a law-enforcement delay ends",
        _patients,
    ),
)
