"""California: Cal. Civ. Code § 1798.82 (as amended by SB 446, Stats. 2025, ch. 319) and Cal.
Health & Safety Code § 1280.15 with 22 CCR §§ 79900-79905.

Described in docs/law/california.md; the CA rows of the rule table are in docs/law/rules.md.
Business days are CalHR state-office days (docs/law/california.md); the Gov. Code § 6700 days on
which
offices stay open count as business days (the earlier date), and the other reading is `alt_due`.
A calendar-day period ending on a Saturday, Sunday or judicial holiday (CCP § 135, `ca_judicial.py`)
may roll forward under Civ. Code § 10 and CCP §§ 12, 12a: shown only as `alt_due`
(docs/law/conventions.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from incident_tracker.core.calendar import (
    HOLIDAYS_VERSION,
    BusinessCalendar,
    calendar_days_after,
    keep_named,
    package_holidays,
)
from incident_tracker.core.context import Context
from incident_tracker.core.facts import (
    EntityType,
    HoldForm,
    LawEnforcementHold,
    Medium,
    RiskAssessment,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.rules.base import Effective, Outcome, Rule, owner_notice_immediately
from incident_tracker.core.rules.ca_judicial import judicial_roll_forward
from incident_tracker.core.rules.federal import covered_entity_discovery
from incident_tracker.core.vocabulary import CA_MEDICAL_INFORMATION, CA_PERSONAL, ONLINE_CREDENTIALS

J = "CA"

# CalHR state-office closures, by the names the `holidays` package gives them. A Sunday holiday
# moves to Monday; a Saturday one does not move, except Veterans Day (Gov. Code § 6701).
CA_STATE_OFFICE_HOLIDAYS: tuple[str, ...] = (
    "New Year's Day",
    "Martin Luther King Jr. Day",
    "Presidents' Day",
    "Cesar Chavez Day",
    "Memorial Day",
    "Independence Day",
    "Labor Day",
    "Veterans Day",
    "Thanksgiving Day",
    "Day After Thanksgiving",
    "Christmas Day",
)
# Gov. Code § 6700 days on which state offices stay open, from the package where it has them.
CA_6700_OPEN_DAYS_IN_PACKAGE: tuple[str, ...] = ("Juneteenth National Independence Day", "Diwali")


def _ca_year(year: int) -> dict[date, str]:
    return keep_named(
        package_holidays("US", year, "CA").items(),
        CA_STATE_OFFICE_HOLIDAYS,
        friday_observed=("Veterans Day",),
    )


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _sunday_to_monday(day: date) -> date:
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _ca_6700_year(year: int) -> dict[date, str]:
    """CalHR closures plus the § 6700 days offices stay open on (the later-date reading)."""
    days = dict(_ca_year(year))
    days.update(
        keep_named(
            package_holidays("US", year, "CA").items(),
            CA_6700_OPEN_DAYS_IN_PACKAGE,
        )
    )
    lunar = [d for d, n in package_holidays("CN", year).items() if "Spring Festival" in n]
    extra = {
        _sunday_to_monday(date(year, 2, 12)): "Lincoln Day (Gov. Code § 6700)",
        _sunday_to_monday(date(year, 4, 24)): "Genocide Remembrance Day (Gov. Code § 6700)",
        _sunday_to_monday(date(year, 9, 9)): "Admission Day (Gov. Code § 6700)",
        _nth_weekday(year, 9, 4, 4): "Native American Day (Gov. Code § 6700)",
        _nth_weekday(year, 10, 0, 2): "Columbus Day (Gov. Code § 6700)",
    }
    if lunar:
        extra[_sunday_to_monday(min(lunar))] = "Lunar New Year (Gov. Code § 6700)"
    for day, name in extra.items():
        days[day] = f"{days[day]}; {name}" if day in days else name
    return days


CA_BUSINESS_DAYS = BusinessCalendar(
    "CA CalHR state-office days", f"CA-1 (holidays {HOLIDAYS_VERSION})", _ca_year
)
CA_6700_DAYS = BusinessCalendar(
    "CA state-office days less every Gov. Code § 6700 holiday",
    f"CA6700-1 (holidays {HOLIDAYS_VERSION})",
    _ca_6700_year,
)

SB_446 = date(2026, 1, 1)
RESIDENT_DAYS = 30  # 1798.82(a)(2)(A)
AG_DAYS = 15  # 1798.82(f)
AG_THRESHOLD = 500  # 1798.82(f): "more than 500 California residents"
CDPH_BUSINESS_DAYS = 15  # H&S 1280.15(b); 22 CCR 79902(a)
EXPEDIENT = "most expedient time possible and without unreasonable delay"
AFTER_HOLD = (
    "promptly once law enforcement determines notice will not compromise the investigation "
    "(1798.82(c))"
)


def personal_information(ctx: Context) -> frozenset[str]:
    """1798.82(h): name linked with a listed element (medical and health insurance information
    included); or online credentials on their own."""
    elements = ctx.facts.data_elements
    found = set(elements & CA_PERSONAL) if "name" in elements else set()
    if ONLINE_CREDENTIALS in elements:
        found.add(ONLINE_CREDENTIALS)
    return frozenset(found)


def why_no_breach(ctx: Context) -> str | None:
    """1798.82(g): unauthorized acquisition of unencrypted computerized personal information."""
    f = ctx.facts
    if ctx.residents("CA") == 0:
        return "no California residents are affected"
    if f.medium is Medium.PAPER:
        return "paper records: 1798.82 covers computerized data only"
    if ctx.secured:
        return (
            "1798.82 applies to unencrypted data or encrypted data whose key or credential was "
            "also acquired"
        )
    if f.acquired is False:
        return (
            "view-only access is not 'acquisition' (1798.82(g)); re-evaluate if data were copied "
            "or exported (docs/law/california.md)"
        )
    if ctx.good_faith_workforce_exception:
        return (
            "good-faith acquisition by an employee or agent for the business's purposes, not "
            "further used or disclosed, is not a breach (1798.82(g))"
        )
    if not personal_information(ctx):
        return "no 'personal information' under 1798.82(h) is involved"
    return None


def _roll_forward(strict: date) -> tuple[date | None, str | None, str | None]:
    """A calendar-day deadline rolls forward over judicial holidays (CCP §§ 12a, 135), not over
    the CalHR closures the business-day counts use."""
    return judicial_roll_forward(strict)


def _residents(ctx: Context, sb_446: bool) -> Iterator[Outcome]:
    """1798.82(a): notify CA residents; HIPAA covered entities are included ((e) deems only the
    content of a HITECH notice compliant)."""
    if (why := why_no_breach(ctx)) is not None:
        yield NotRequired("CA1", why, jurisdiction=J)
        return
    start = (
        covered_entity_discovery(ctx)[0]
        if ctx.has_covered_entity_duties
        else ctx.facts.discovered_on
    )
    strict = calendar_days_after(start, RESIDENT_DAYS)
    f1 = ctx.get("F1")
    # docs/law/conventions.md: with no fixed date, the HIPAA 60-day date is the practical latest
    # for the
    # same letter.
    latest = f1.due if f1 else None
    if ctx.hold is not None:
        yield ctx.add(
            Obligation(
                "CA1",
                citation="Cal. Civ. Code 1798.82(c)",
                reason=f"Notice is delayed at law enforcement's request until {ctx.hold.end}; "
                f"then notify {AFTER_HOLD}.",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                not_before=ctx.hold.end,
                standard=AFTER_HOLD,
                practical_latest=latest,
                party=ctx.owner_party,
                recipient="CA residents",
                jurisdiction=J,
            )
        )
        return
    if not sb_446:
        yield ctx.add(
            Obligation(
                "CA1",
                citation="Cal. Civ. Code 1798.82(a) (before SB 446)",
                reason=f"Discovered before SB 446 took effect on {SB_446}: notify in the "
                f"{EXPEDIENT} (no day count).",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                standard=EXPEDIENT,
                practical_latest=latest,
                alt_due=strict,
                alt_due_reason=(
                    "if SB 446's 30-day rule is applied to notices still outstanding on "
                    "2026-01-01 (unsettled, docs/law/california.md)"
                ),
                party=ctx.owner_party,
                recipient="CA residents",
                jurisdiction=J,
            )
        )
        return
    alt, alt_reason, cal = _roll_forward(strict)
    yield ctx.add(
        Obligation(
            "CA1",
            citation="Cal. Civ. Code 1798.82(a)(2)(A)",
            reason=f"Notify affected CA residents within 30 calendar days of discovery or "
            f"notification of the breach on {start}; delay is allowed only for law enforcement "
            "or to determine the scope and restore the system ((a)(2)(B)), documented. HIPAA "
            "covered entities are bound too.",
            due=strict,
            status=Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            due_basis="30 calendar days after discovery",
            party=ctx.owner_party,
            recipient="CA residents",
            jurisdiction=J,
        )
    )


def _attorney_general(ctx: Context, sb_446: bool) -> Iterator[Outcome]:
    """1798.82(f): a sample copy to the AG when more than 500 CA residents are notified."""
    ca1 = ctx.get("CA1")
    count = ctx.residents("CA")
    if ca1 is None:
        yield NotRequired("CA2", why_no_breach(ctx) or "no CA resident notice", jurisdiction=J)
        return
    if count <= AG_THRESHOLD:
        yield NotRequired(
            "CA2",
            f"{count} is not 'more than 500 California residents' (1798.82(f))",
            jurisdiction=J,
        )
        return
    recipient = "California Attorney General (sample notice)"
    what = (
        f"{count:,} CA residents is more than 500: submit one sample copy of the notice, "
        "without personal information, to the Attorney General electronically"
    )
    if not sb_446:
        yield ctx.add(
            Obligation(
                "CA2",
                citation="Cal. Civ. Code 1798.82(f) (before SB 446)",
                reason=f"{what}; before SB 446 there is no day count.",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                standard="no day count",
                party=ctx.owner_party,
                recipient=recipient,
                jurisdiction=J,
            )
        )
        return
    sent = ctx.facts.notices_sent.ca_residents or ctx.facts.notices_sent.individuals
    if ca1.due is None and sent is None:
        yield ctx.add(
            Obligation(
                "CA2",
                citation="Cal. Civ. Code 1798.82(f)",
                reason=f"{what}, within 15 calendar days of notifying consumers.",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                not_before=ca1.not_before,
                standard="15 calendar days after the consumer notice",
                waiting_for="CA1",
                party=ctx.owner_party,
                recipient=recipient,
                jurisdiction=J,
            )
        )
        return
    outer = calendar_days_after(ca1.due, AG_DAYS) if ca1.due else None
    anchor = sent or ca1.due
    assert anchor is not None
    strict = calendar_days_after(anchor, AG_DAYS)
    alt, alt_reason, cal = _roll_forward(strict)
    basis = (
        "15 calendar days after consumer notice"
        if sent
        else "15 calendar days after consumer notice (computed from the latest permitted CA "
        "notice date)"
    )
    yield ctx.add(
        Obligation(
            "CA2",
            citation="Cal. Civ. Code 1798.82(f)",
            reason=f"{what}, within 15 calendar days of notifying consumers"
            + (f" on {sent}." if sent else f"; until they are notified, counted from {anchor}."),
            due=strict,
            status=Status.DATED if sent else Status.WAITING,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            outer_limit=outer if sent and outer != strict else None,
            due_basis=basis,
            waiting_for=None if sent else "CA1",
            party=ctx.owner_party,
            recipient=recipient,
            jurisdiction=J,
        )
    )


def _owner(ctx: Context) -> Iterator[Outcome]:
    """1798.82(b): a business that maintains data it does not own notifies the owner."""
    return owner_notice_immediately(ctx, "CA3", "Cal. Civ. Code 1798.82(b)", why_no_breach)


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


CDPH_WRITTEN_HOLD_DAYS = 60  # H&S 1280.15(c): a written request
CDPH_ORAL_HOLD_DAYS = 30  # H&S 1280.15(c): an oral request


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


BEFORE_SB_446 = Effective(end=SB_446 - timedelta(days=1))
FROM_SB_446 = Effective(start=SB_446)

RULES: tuple[Rule, ...] = (
    Rule(
        "CA1",
        J,
        "Cal. Civ. Code 1798.82(a)",
        "CA residents",
        "Unauthorized acquisition of CA residents' unencrypted computerized personal "
        "information (no risk-of-harm exception; HIPAA covered entities included).",
        "most expedient time possible, no day count",
        lambda c: _residents(c, False),
        effective=BEFORE_SB_446,
        version=1,
    ),
    Rule(
        "CA1",
        J,
        "Cal. Civ. Code 1798.82(a)(2) (SB 446)",
        "CA residents",
        "As version 1.",
        "30 calendar days after discovery or notification",
        lambda c: _residents(c, True),
        effective=FROM_SB_446,
        version=2,
    ),
    Rule(
        "CA2",
        J,
        "Cal. Civ. Code 1798.82(f)",
        "California Attorney General (sample copy)",
        "More than 500 CA residents notified as a result of one breach (500 is not enough).",
        "no day count",
        lambda c: _attorney_general(c, False),
        effective=BEFORE_SB_446,
        version=1,
    ),
    Rule(
        "CA2",
        J,
        "Cal. Civ. Code 1798.82(f) (SB 446)",
        "California Attorney General (sample copy)",
        "As version 1.",
        "15 calendar days after the consumer notice (CA1)",
        lambda c: _attorney_general(c, True),
        effective=FROM_SB_446,
        version=2,
    ),
    Rule(
        "CA3",
        J,
        "Cal. Civ. Code 1798.82(b)",
        "Data owner (from vendor or BA)",
        "A business maintaining CA residents' computerized personal information it does not own.",
        "immediately following discovery (no day count)",
        _owner,
    ),
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
