"""California Department of Public Health: Health & Safety Code § 1280.15 with 22 CCR 79900-79905
(CA4 report to CDPH, CA5 notice to the patient), 15 CalHR business days from detection
(docs/law/california.md)."""

from __future__ import annotations

from datetime import date, timedelta

from incident_tracker.core.context import Context
from incident_tracker.core.facts import (
    EntityType,
    HoldForm,
    RiskAssessment,
)
from incident_tracker.core.jurisdictions.california import parameters as P
from incident_tracker.core.jurisdictions.california.business_days import (
    CA_6700_DAYS,
    CA_BUSINESS_DAYS,
)
from incident_tracker.core.parameters import value_on
from incident_tracker.core.rules.base import Rule
from incident_tracker.core.rules.shapes import DaysAfter, Deadline
from incident_tracker.core.rules.terms import Terms, duty
from incident_tracker.core.vocabulary import CA_MEDICAL_INFORMATION

J = "CA"


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


def _section_6700(start: date, days: int, due: date) -> tuple[date | None, str | None, None]:
    """The other reading: the Gov. Code § 6700 days on which state offices stay open are
    holidays too (docs/law/california.md)."""
    alt = CA_6700_DAYS.add_business_days(start, days)
    if alt == due:
        return None, None, None
    extra: list[str] = []
    day = start
    while day < alt:
        day += timedelta(days=1)
        if CA_BUSINESS_DAYS.is_business_day(day) and not CA_6700_DAYS.is_business_day(day):
            extra.append(f"{CA_6700_DAYS.holiday_name(day)} {day}")
    return (
        alt,
        (
            f"if {', '.join(extra)} (listed in Gov. Code 6700 but not a state-office closure) "
            "is treated as a holiday (docs/law/california.md)"
        ),
        None,
    )


def _patient_start(ctx: Context) -> date:
    """H&S 1280.15(c): a law-enforcement delay moves the start of the patient clock to its end."""
    hold = ctx.hold
    if hold is not None and hold.end > ctx.facts.discovered_on:
        return hold.end
    return ctx.facts.discovered_on


def _held(ctx: Context) -> bool:
    return _patient_start(ctx) != ctx.facts.discovered_on


# H&S 1280.15(b); 22 CCR 79902(a): CalHR state-office business days after detection.
CDPH_CLOCK = DaysAfter(
    P.CDPH_BUSINESS_DAYS,
    calendar=CA_BUSINESS_DAYS,
    since="detection",
    unit="CA business days",
    other_reading=_section_6700,
)
PATIENT_CLOCK = DaysAfter(
    P.CDPH_BUSINESS_DAYS,
    calendar=CA_BUSINESS_DAYS,
    start=_patient_start,
    since="detection",
    unit="CA business days",
    other_reading=_section_6700,
)


def _cdph_reason(ctx: Context, d: Deadline) -> str:
    return (
        f"Report the unauthorized access, use or disclosure to CDPH no later than {d.count} "
        f"business days after detection on {d.start}; a law-enforcement hold delays only the "
        "patient report."
    )


def _patients_reason(ctx: Context, d: Deadline) -> str:
    after = (
        f"the law-enforcement delay ends on {d.start} (1280.15(c))."
        if _held(ctx)
        else f"detection on {d.start}."
    )
    return (
        f"Tell each affected patient (or representative) no later than {d.count} business days "
        f"after {after}"
    )


def _patients_basis(ctx: Context, d: Deadline) -> str | None:
    if _held(ctx):
        return f"{d.count} CA business days after {d.start}"
    return d.due_basis


def cdph_hold_warnings(ctx: Context) -> list[str]:
    """H&S 1280.15(c) caps a law-enforcement delay of the patient report: 60 days for a written
    request, 30 for an oral one, unless a further written declaration extends it. A longer
    stated period is accepted (the statement is the agency's), with a warning to check it."""
    holds = ctx.facts.holds
    written = value_on(P.CDPH_WRITTEN_HOLD_DAYS, ctx.facts.discovered_on)
    oral_cap = value_on(P.CDPH_ORAL_HOLD_DAYS, ctx.facts.discovered_on)
    assert written is not None and oral_cap is not None
    out: list[str] = []
    for hold in holds:
        days, stated = hold.stated_days, hold.statement_date
        if days is None or stated is None:
            continue
        if hold.form is HoldForm.WRITTEN and days > written:
            cap = stated + timedelta(days=written)
            out.append(
                f"law_enforcement_delay: the written statement of {stated} delays the CDPH "
                f"patient report to {hold.delay_until} ({days} days); Cal. Health & Safety Code "
                f"1280.15(c) allows a written request at most {written} days (to {cap}) unless a "
                "further written declaration extends it. The stated period is used; check it."
            )
        confirmed = any(
            h.form is HoldForm.WRITTEN
            and h.statement_date is not None
            and stated <= h.statement_date <= stated + timedelta(days=oral_cap)
            for h in holds
        )
        if hold.form is HoldForm.ORAL and days > oral_cap and not confirmed:
            cap = stated + timedelta(days=oral_cap)
            out.append(
                f"law_enforcement_delay: the oral statement of {stated} asks for a delay to "
                f"{hold.delay_until} ({days} days); Cal. Health & Safety Code 1280.15(c) (and 45 "
                f"CFR 164.412(b)) allow an oral request at most {oral_cap} days (to {cap}) unless "
                "a further written declaration extends it; the oral request alone holds no longer."
            )
    return out


RULES: tuple[Rule, ...] = (
    # H&S 1280.15(b)(1): report to CDPH within 15 business days of detection; never delayed.
    duty(
        Terms(
            "CA4",
            J,
            "Cal. Health & Safety Code 1280.15(b)(1)",
            "CDPH",
            "A CDPH-licensed clinic, facility, home health agency or hospice; unauthorized "
            "access, use or disclosure of medical information (paper too); no 22 CCR "
            "79901(b)(1) exclusion.",
            CDPH_CLOCK,
            why_no_cdph_breach,
            reason=_cdph_reason,
            addressee="California Department of Public Health",
            cites="Cal. Health & Safety Code 1280.15(b)(1); 22 CCR 79902(a)",
        )
    ),
    # H&S 1280.15(b)(2), (c): tell each patient within 15 business days of detection, or of the
    # end of a law-enforcement delay.
    duty(
        Terms(
            "CA5",
            J,
            "Cal. Health & Safety Code 1280.15(b)(2), (c)",
            "Affected patients",
            "As CA4.",
            PATIENT_CLOCK,
            why_no_cdph_breach,
            reason=_patients_reason,
            basis=_patients_basis,
            addressee="Affected patients (CA H&S 1280.15)",
            cites=lambda ctx: (
                "Cal. Health & Safety Code 1280.15(b)(2)" + ("; 1280.15(c)" if _held(ctx) else "")
            ),
            warn=cdph_hold_warnings,
            clock=f"{CDPH_CLOCK.describe()}, or after a law-enforcement delay ends",
        )
    ),
)
