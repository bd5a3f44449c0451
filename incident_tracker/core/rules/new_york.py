"""New York: N.Y. Gen. Bus. Law § 899-aa (as amended 2019, 2024-12-21 and 2025) and 23 NYCRR 500.17.

Described in docs/law/new-york.md; the NY rows of the rule table are in docs/law/rules.md.
Business days follow the public holidays of N.Y. Gen. Constr. Law § 24 (docs/law/new-york.md); a
calendar-day period ending on a weekend or holiday may roll forward under GCL § 25-a, shown only as
`alt_due` (docs/law/conventions.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from incident_tracker.core.calendar import (
    HOLIDAYS_VERSION,
    BusinessCalendar,
    calendar_days_after,
    hours_after,
    keep_named,
    package_holidays,
)
from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.obligations import NotRequired, Obligation, Party, Status
from incident_tracker.core.rules.base import Effective, Outcome, Rule
from incident_tracker.core.rules.federal import covered_entity_discovery
from incident_tracker.core.vocabulary import (
    IDENTIFIERS,
    NY_MEDICAL_EFFECTIVE,
    NY_MEDICAL_EFFECTIVE_ALT,
    NY_PRIVATE_ALWAYS,
    NY_PRIVATE_FROM_2025,
    ONLINE_CREDENTIALS,
)

J = "NY"

# GCL § 24 public holidays, by the names the `holidays` package gives them. Flag Day is always a
# Sunday and costs no business day. Not listed, so dropped: Susan B. Anthony Day (commemorative).
NY_PUBLIC_HOLIDAYS: tuple[str, ...] = (
    "New Year's Day",
    "Martin Luther King Jr. Day",
    "Lincoln's Birthday",
    "Washington's Birthday",
    "Memorial Day",
    "Juneteenth National Independence Day",
    "Independence Day",
    "Labor Day",
    "Columbus Day",
    "Election Day",  # each general election day (the Tuesday after the first Monday of November)
    "Veterans Day",
    "Thanksgiving Day",
    "Christmas Day",
)
# Days appointed by the President or Governor (GCL § 24), added here as they are proclaimed.
NY_APPOINTED_DAYS: tuple[tuple[date, str], ...] = ()


def _ny_year(year: int) -> dict[date, str]:
    found = keep_named(package_holidays("US", year, "NY").items(), NY_PUBLIC_HOLIDAYS)
    found.update((d, n) for d, n in NY_APPOINTED_DAYS if d.year == year)
    return found


NY_BUSINESS_DAYS = BusinessCalendar(
    "NY GCL § 24 public holidays", f"NY-1 (holidays {HOLIDAYS_VERSION})", _ny_year
)

THIRTY_DAY_AMENDMENT = date(2024, 12, 21)  # S2659-B / A8872-A
SHIELD_ACT = date(2019, 10, 23)
RESIDENT_DAYS = 30  # 899-aa(2), (3) as amended 2024-12-21
AG_DETERMINATION_DAYS = 10  # 899-aa(2)(a), read as calendar days
AG_AFTER_HHS_BUSINESS_DAYS = 5  # 899-aa(9)
CRA_THRESHOLD = 5000  # 899-aa(8)(b): "more than five thousand"
DETERMINATION_AG_THRESHOLD = 500  # 899-aa(2)(a): "more than five hundred"
DFS_HOURS = 72  # 23 NYCRR 500.17(a)(1)
EXTORTION_NOTICE_HOURS = 24  # 23 NYCRR 500.17(c)(1)
EXTORTION_EXPLANATION_DAYS = 30  # 23 NYCRR 500.17(c)(2)
# 23 NYCRR Part 500, second amendment (adopted 2023-11-01): the new 500.17 notices apply from
# 2023-12-01.
DFS_SECOND_AMENDMENT_NOTICES = date(2023, 12, 1)
# DFS clocks in hours are wall-clock times in New York, where the superintendent sits.
NEW_YORK_TIME = ZoneInfo("America/New_York")
# Why the DFS duties are not owed, built once: most incidents are not a DFS entity's or involve
# no extortion payment.
_NOT_DFS = {
    rule_id: (
        NotRequired(rule_id, "not a DFS-regulated covered entity (23 NYCRR 500.1)", jurisdiction=J),
    )
    for rule_id in ("NY7", "NY8", "NY9")
}
_NOT_PAID = {
    rule_id: (
        NotRequired(
            rule_id,
            "no extortion (ransom) payment is recorded (23 NYCRR 500.17(c))",
            jurisdiction=J,
        ),
    )
    for rule_id in ("NY8", "NY9")
}
RETAIN_DETERMINATION_YEARS = 5
AFTER_HOLD = (
    "promptly after the law-enforcement agency determines that notice no longer compromises "
    "the investigation (899-aa(4))"
)


def private_information(ctx: Context) -> tuple[frozenset[str], bool]:
    """899-aa(1)(b): the private-information elements present, and whether they depend on the
    disputed 2025-03-21 / 2025-03-25 effective date of the medical amendment [OPEN,
    docs/law/new-york.md]."""
    f = ctx.facts
    elements = f.data_elements
    found: set[str] = set()
    if elements & IDENTIFIERS:
        found |= elements & NY_PRIVATE_ALWAYS
        if f.discovered_on >= NY_MEDICAL_EFFECTIVE:
            found |= elements & NY_PRIVATE_FROM_2025
    if ONLINE_CREDENTIALS in elements:
        found.add(ONLINE_CREDENTIALS)
    disputed = (
        bool(found)
        and found <= NY_PRIVATE_FROM_2025
        and NY_MEDICAL_EFFECTIVE <= f.discovered_on < NY_MEDICAL_EFFECTIVE_ALT
    )
    return frozenset(found), disputed


def why_no_breach(ctx: Context) -> str | None:
    """899-aa(1)(c): unauthorized access to or acquisition of computerized private information."""
    f = ctx.facts
    if ctx.residents("NY") == 0:
        return "no New York residents are affected"
    if f.medium is Medium.PAPER:
        return "paper records: § 899-aa covers computerized data only (899-aa(1)(c))"
    if ctx.secured:
        return "the data were encrypted and the key was not compromised (899-aa(1)(b))"
    if ctx.good_faith_workforce_exception:
        return (
            "good-faith access by an employee or agent for business purposes, not further used or "
            "disclosed, is not a 'breach of the security of the system' (899-aa(1)(c))"
        )
    found, _ = private_information(ctx)
    if not found:
        later = (
            " (medical and health insurance information count only for discoveries on or "
            f"after {NY_MEDICAL_EFFECTIVE}, S2376-B)"
            if f.data_elements & NY_PRIVATE_FROM_2025
            else ""
        )
        return f"no 'private information' under 899-aa(1)(b) is involved{later}"
    return None


def _roll_forward(strict: date) -> tuple[date | None, str | None, str | None]:
    rolled = NY_BUSINESS_DAYS.next_business_day_on_or_after(strict)
    if rolled == strict:
        return None, None, None
    return (
        rolled,
        (
            f"N.Y. Gen. Constr. Law § 25-a: {strict} is a Saturday, Sunday or public holiday, so "
            "the act may be done on the next business day; tracker default is the strict date"
        ),
        NY_BUSINESS_DAYS.label(),
    )


def _disputed_note(disputed: bool) -> str:
    if not disputed:
        return ""
    return (
        " Disputed: the medical and health insurance amendment took effect 2025-03-21 in most "
        "sources but 2025-03-25 in others (docs/law/new-york.md); the earlier date is applied."
    )


def _owner_discovery(ctx: Context) -> date:
    if ctx.has_covered_entity_duties:
        return covered_entity_discovery(ctx)[0]
    return ctx.facts.discovered_on


def _residents(ctx: Context, thirty_days: bool) -> Iterator[Outcome]:
    """899-aa(2): notice to affected NY residents; (2)(b): a HIPAA notice satisfies it."""
    if (why := why_no_breach(ctx)) is not None:
        yield NotRequired("NY1", why, jurisdiction=J)
        return
    f = ctx.facts
    f1 = ctx.get("F1")
    # A HIPAA notice owed (F1) reaches the NY residents and is their NY notice under (2)(b), so
    # residents "are to be notified" and the (8)(a) agency notices follow (docs/law/new-york.md:
    # "applies
    # even when residents were notified under HIPAA"). Nothing in § 899-aa says a (2)(a)
    # determination removes that; the conservative reading keeps NY1 and the agency notices.
    if f.ny_harm_determination_on is not None and f1 is None:
        yield NotRequired(
            "NY1",
            f"written determination of {f.ny_harm_determination_on} under 899-aa(2)(a) that the "
            "inadvertent disclosure will not likely result in misuse or harm: no resident notice "
            "(keep the determination 5 years)",
            jurisdiction=J,
        )
        return
    _, disputed = private_information(ctx)
    start = _owner_discovery(ctx)
    if f1 is not None:
        overridden = (
            f" The (2)(a) determination of {f.ny_harm_determination_on} does not remove this: "
            "the HIPAA letters still go to NY residents (docs/law/new-york.md)."
            if f.ny_harm_determination_on is not None
            else ""
        )
        alt = calendar_days_after(start, RESIDENT_DAYS) if thirty_days and not ctx.hold else None
        yield ctx.add(
            Obligation(
                "NY1",
                J,
                "NY residents (HIPAA notice satisfies NY)",
                "N.Y. Gen. Bus. Law § 899-aa(2)(b)(ii)",
                "A notice made under HIPAA satisfies the notice to affected NY residents, so it "
                f"is due on the HIPAA date {f1.due}; the agency (8)(a) and consumer reporting "
                "agency (8)(b) notices are still owed." + overridden + _disputed_note(disputed),
                f1.due,
                f1.status,
                alt_due=alt,
                alt_due_reason=(
                    "conservative reading that NY's 30-day clock (899-aa(2)) still governs timing "
                    "for HIPAA entities (docs/law/new-york.md)"
                    if alt
                    else None
                ),
                not_before=f1.not_before,
                due_basis="with the HIPAA individual notice (F1)",
                party=ctx.owner_party,
                disputed=disputed,
            )
        )
        return
    if ctx.hold is not None:
        yield ctx.add(
            Obligation(
                "NY1",
                J,
                "NY residents",
                "N.Y. Gen. Bus. Law § 899-aa(2), (4)",
                f"Notice is delayed at law enforcement's request until {ctx.hold.end}; then "
                f"notify {AFTER_HOLD}." + _disputed_note(disputed),
                None,
                Status.NO_FIXED_DEADLINE,
                not_before=ctx.hold.end,
                standard=AFTER_HOLD,
                party=ctx.owner_party,
                disputed=disputed,
            )
        )
        return
    if not thirty_days:
        standard = "most expedient time possible and without unreasonable delay"
        yield ctx.add(
            Obligation(
                "NY1",
                J,
                "NY residents",
                "N.Y. Gen. Bus. Law § 899-aa(2) (before 2024-12-21)",
                f"Discovered before the 30-day amendment of 2024-12-21: notify in the {standard}."
                + _disputed_note(disputed),
                None,
                Status.NO_FIXED_DEADLINE,
                standard=standard,
                party=ctx.owner_party,
                disputed=disputed,
            )
        )
        return
    strict = calendar_days_after(start, RESIDENT_DAYS)
    alt, alt_reason, cal = _roll_forward(strict)
    yield ctx.add(
        Obligation(
            "NY1",
            J,
            "NY residents",
            "N.Y. Gen. Bus. Law § 899-aa(2)",
            f"Notify affected NY residents in the most expedient time possible and within 30 days "
            f"after discovery on {start}; only law enforcement's needs justify delay."
            + _disputed_note(disputed),
            strict,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            due_basis="30 calendar days after discovery",
            party=ctx.owner_party,
            disputed=disputed,
        )
    )


def _with_resident_notice(
    ctx: Context, rule_id: str, recipient: str, citation: str, what: str
) -> Obligation | None:
    """899-aa(8): no day count of its own; due with the NY resident notice, without delaying it."""
    ny1 = ctx.get("NY1")
    if ny1 is None:
        return None
    f = ctx.facts
    sent = f.notices_sent.ny_residents or f.notices_sent.individuals
    if sent is not None:
        return Obligation(
            rule_id,
            J,
            recipient,
            citation,
            f"{what} NY residents were notified on {sent}, so this is due that day; the outer "
            f"limit was {ny1.due or 'not fixed'}." + _disputed_note(ny1.disputed),
            sent,
            Status.DATED,
            outer_limit=ny1.due,
            party=ctx.owner_party,
            disputed=ny1.disputed,
            due_basis="with_NY_resident_notice",
        )
    return Obligation(
        rule_id,
        J,
        recipient,
        citation,
        f"{what} Due with the NY resident notice, without delaying it; until that is sent, the "
        f"outer limit is the resident deadline." + _disputed_note(ny1.disputed),
        ny1.due,
        Status.WAITING if ny1.due else Status.NO_FIXED_DEADLINE,
        alt_due=ny1.alt_due,
        alt_due_reason=ny1.alt_due_reason,
        not_before=ny1.not_before,
        standard=ny1.standard,
        waiting_for="NY1",
        party=ctx.owner_party,
        disputed=ny1.disputed,
        due_basis="with_NY_resident_notice",
    )


def _agencies(rule_id: str, recipient: str) -> Rule:
    what = (
        "Because NY residents are to be notified, tell the Attorney General, the Department of "
        "State and the Division of State Police the timing, content and distribution of the "
        "notices and the approximate number affected, with a copy of the template notice."
    )
    citation = "N.Y. Gen. Bus. Law § 899-aa(8)(a)"

    def evaluate(ctx: Context) -> Iterator[Outcome]:
        ob = _with_resident_notice(ctx, rule_id, recipient, citation, what)
        if ob is None:
            yield NotRequired(rule_id, _why_no_resident_notice(ctx), jurisdiction=J)
        else:
            yield ctx.add(ob)

    return Rule(
        rule_id,
        J,
        citation,
        recipient,
        "Any NY resident is to be notified (including through a HIPAA notice).",
        "with the NY resident notice (NY1), not delaying it",
        evaluate,
    )


def _why_no_resident_notice(ctx: Context) -> str:
    why = why_no_breach(ctx)
    if why is not None:
        return why
    return "no NY resident notice is owed (899-aa(2)(a) determination)"


def _credit_agencies(ctx: Context) -> Iterator[Outcome]:
    """899-aa(8)(b): more than five thousand NY residents notified at one time."""
    count = ctx.residents("NY")
    if ctx.get("NY1") is None:
        yield NotRequired("NY4", _why_no_resident_notice(ctx), jurisdiction=J)
        return
    if count <= CRA_THRESHOLD:
        yield NotRequired(
            "NY4", f"{count:,} NY residents is not more than 5,000 (899-aa(8)(b))", jurisdiction=J
        )
        return
    ob = _with_resident_notice(
        ctx,
        "NY4",
        "Consumer reporting agencies (NY, >5,000)",
        "N.Y. Gen. Bus. Law § 899-aa(8)(b)",
        f"{count:,} NY residents is more than 5,000: tell the consumer reporting agencies the "
        "timing, content and distribution of the notices and the approximate number affected.",
    )
    assert ob is not None
    yield ctx.add(ob)


_NO_DETERMINATION = (
    NotRequired("NY2", "no 899-aa(2)(a) written determination is recorded", jurisdiction=J),
)


def _determination_to_ag(ctx: Context) -> Iterable[Outcome]:
    """899-aa(2)(a): the written no-harm determination goes to the AG if > 500 NY residents."""
    if ctx.facts.ny_harm_determination_on is None:
        return _NO_DETERMINATION
    return _determination_made(ctx)


def _determination_made(ctx: Context) -> Iterator[Outcome]:
    f = ctx.facts
    made = f.ny_harm_determination_on
    assert made is not None
    if (why := why_no_breach(ctx)) is not None:
        yield NotRequired("NY2", why, jurisdiction=J)
        return
    count = ctx.residents("NY")
    if count <= DETERMINATION_AG_THRESHOLD:
        yield NotRequired(
            "NY2",
            f"{count} NY residents is not more than 500: keep the written determination "
            "5 years, no copy to the Attorney General (899-aa(2)(a))",
            jurisdiction=J,
        )
        return
    strict = calendar_days_after(made, AG_DETERMINATION_DAYS)
    alt, alt_reason, cal = _roll_forward(strict)
    yield ctx.add(
        Obligation(
            "NY2",
            J,
            "NY Attorney General (written determination)",
            "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
            f"The written determination of {made} that the inadvertent disclosure will not likely "
            f"cause misuse or harm covers {count} NY residents, more than 500: send it to the "
            "Attorney General within 10 days and keep it 5 years.",
            strict,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            retain_years=RETAIN_DETERMINATION_YEARS,
            party=ctx.owner_party,
            due_basis="10 calendar days after the determination",
        )
    )


def _ag_after_hhs(ctx: Context) -> Iterator[Outcome]:
    """899-aa(9): a HIPAA covered entity that notifies HHS tells the AG within 5 business days."""
    hhs = ctx.get("F4") or ctx.get("F5")
    if hhs is None:
        yield NotRequired(
            "NY5",
            "no HHS notification is required, so the 5-business-day clock never starts",
            jurisdiction=J,
        )
        return
    if ctx.residents("NY") == 0:
        yield NotRequired(
            "NY5",
            "no New York residents are affected (default reading of 899-aa(9), "
            "docs/law/new-york.md)",
            jurisdiction=J,
        )
        return
    latest = NY_BUSINESS_DAYS.add_business_days(hhs.due, AG_AFTER_HHS_BUSINESS_DAYS)  # type: ignore[arg-type]
    sent = ctx.facts.notices_sent.hhs
    cal = NY_BUSINESS_DAYS.label()
    if sent is not None:
        due = NY_BUSINESS_DAYS.add_business_days(sent, AG_AFTER_HHS_BUSINESS_DAYS)
        reason = f"HHS was notified on {sent}: tell the NY Attorney General within 5 NY business "
        reason += f"days, by {due}."
        status, outer, basis = (
            Status.DATED,
            (latest if latest != due else None),
            (f"5 NY business days after the HHS notice of {sent}"),
        )
    else:
        due, status, outer = latest, Status.WAITING, None
        reason = (
            f"Tell the NY Attorney General within 5 NY business days of notifying HHS; until HHS "
            f"is notified, counted from the latest permitted HHS date {hhs.due}."
        )
        basis = (
            "5 NY business days after the HHS notice (computed from the latest permitted HHS "
            f"date {hhs.due})"
        )
    yield ctx.add(
        Obligation(
            "NY5",
            J,
            "NY Attorney General (HIPAA covered entity rule)",
            "N.Y. Gen. Bus. Law § 899-aa(9)",
            reason + " This applies even to paper records and data that are not 'private "
            "information'.",
            due,
            status,
            outer_limit=outer,
            party=ctx.owner_party,
            due_basis=basis,
            calendar=cal,
            waiting_for=None if sent else hhs.rule_id,
        )
    )


def _vendor_to_owner(ctx: Context, thirty_days: bool) -> Iterator[Outcome]:
    """899-aa(3): a business maintaining computerized private information it does not own."""
    if not ctx.is_business_associate:
        yield NotRequired(
            "NY6",
            "the entity owns or licenses the data (899-aa(3) binds a business that only "
            "maintains it)",
            jurisdiction=J,
        )
        return
    if (why := why_no_breach(ctx)) is not None:
        yield NotRequired("NY6", why, jurisdiction=J)
        return
    start = ctx.facts.discovered_on
    recipient = "Data owner / covered entity (from BA, NY)"
    if ctx.hold is not None or not thirty_days:
        standard = AFTER_HOLD if ctx.hold else "immediately following discovery"
        yield ctx.add(
            Obligation(
                "NY6",
                J,
                recipient,
                "N.Y. Gen. Bus. Law § 899-aa(3), (4)",
                f"Notify the owner of the data {standard}.",
                None,
                Status.NO_FIXED_DEADLINE,
                not_before=ctx.hold.end if ctx.hold else None,
                standard=standard,
                party=Party.BUSINESS_ASSOCIATE,
            )
        )
        return
    strict = calendar_days_after(start, RESIDENT_DAYS)
    alt, alt_reason, cal = _roll_forward(strict)
    yield ctx.add(
        Obligation(
            "NY6",
            J,
            recipient,
            "N.Y. Gen. Bus. Law § 899-aa(3)",
            f"A business that maintains NY residents' private information it does not own "
            f"notifies the owner immediately, and within 30 days of discovery on {start}; "
            f"stricter than HIPAA's 60 days.",
            strict,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            due_basis="30 calendar days after the BA's discovery",
            party=Party.BUSINESS_ASSOCIATE,
        )
    )


def _dfs(ctx: Context) -> Iterable[Outcome]:
    """23 NYCRR 500.17(a): a DFS covered entity notifies DFS within 72 hours of determining that
    a cybersecurity incident occurred; 899-aa(8)(a) DFS notice runs through it."""
    if not ctx.facts.nydfs_covered_entity:
        return _NOT_DFS["NY7"]  # most incidents: answered without building anything
    return _dfs_entity(ctx)


def _dfs_entity(ctx: Context) -> Iterator[Outcome]:
    f = ctx.facts
    if f.dfs_determined_at is None and f.medium is Medium.PAPER:
        yield NotRequired(
            "NY7",
            "paper records: not a cybersecurity incident under 23 NYCRR 500.1",
            jurisdiction=J,
        )
        return
    citation = "23 NYCRR 500.17(a); N.Y. Gen. Bus. Law § 899-aa(8)(a)"
    if f.dfs_determined_at is not None:
        due_at = hours_after(f.dfs_determined_at, DFS_HOURS, NEW_YORK_TIME)
        reason = (
            f"Determined a cybersecurity incident at {f.dfs_determined_at.isoformat()}: notify "
            f"the superintendent electronically as promptly as possible and within 72 hours, "
            f"by {due_at.isoformat()} (New York time)."
        )
        due, basis = due_at.date(), f"72 hours from determination (due {due_at.isoformat()})"
    else:
        due_at = None
        due = f.discovered_on + timedelta(days=2)
        reason = (
            "Notify the superintendent within 72 hours of determining a cybersecurity incident "
            "occurred. The determination time is not recorded, so the date assumes it was made at "
            "the start of the discovery day; record it to get the exact deadline."
        )
        basis = "72 hours from the start of the discovery day (determination time not recorded)"
    yield ctx.add(
        Obligation(
            "NY7",
            J,
            "NY Department of Financial Services",
            citation,
            reason,
            due,
            Status.DATED,
            due_at=due_at,
            party=ctx.owner_party,
            due_basis=basis,
        )
    )


def _not_a_dfs_entity(ctx: Context, rule_id: str) -> tuple[NotRequired] | None:
    if not ctx.facts.nydfs_covered_entity:
        return _NOT_DFS[rule_id]
    if ctx.facts.dfs_ransom_paid_at is None:
        return _NOT_PAID[rule_id]
    return None


def _extortion_notice(ctx: Context) -> Iterable[Outcome]:
    """23 NYCRR 500.17(c)(1): a DFS covered entity that makes an extortion payment in connection
    with a cybersecurity event notifies the superintendent within 24 hours of the payment."""
    if (no := _not_a_dfs_entity(ctx, "NY8")) is not None:
        return no
    paid = ctx.facts.dfs_ransom_paid_at
    assert paid is not None
    due_at = hours_after(paid, EXTORTION_NOTICE_HOURS, NEW_YORK_TIME)
    notice = Obligation(
        "NY8",
        J,
        "NY Department of Financial Services (extortion payment)",
        "23 NYCRR 500.17(c)(1)",
        f"An extortion payment was made at {paid.isoformat()}: notify the superintendent "
        f"electronically of the payment within 24 hours, by {due_at.isoformat()} (New York "
        "time).",
        due_at.date(),
        Status.DATED,
        due_at=due_at,
        party=ctx.owner_party,
        due_basis=f"24 hours from the payment (due {due_at.isoformat()})",
    )
    return (ctx.add(notice),)


def _extortion_explanation(ctx: Context) -> Iterable[Outcome]:
    """23 NYCRR 500.17(c)(2): within 30 days of the payment, a written description of why it was
    necessary, the alternatives considered and the sanctions diligence done."""
    if (no := _not_a_dfs_entity(ctx, "NY9")) is not None:
        return no
    paid = ctx.facts.dfs_ransom_paid_at
    assert paid is not None
    paid_on = _new_york_date(paid)
    due = calendar_days_after(paid_on, EXTORTION_EXPLANATION_DAYS)
    explanation = Obligation(
        "NY9",
        J,
        "NY Department of Financial Services (extortion payment explanation)",
        "23 NYCRR 500.17(c)(2)",
        f"Within 30 days of the extortion payment on {paid_on} (New York date), give the "
        "superintendent a written description of the reasons the payment was necessary, the "
        "alternatives to payment considered, the diligence done to find alternatives, and the "
        "diligence done to comply with applicable rules, including OFAC sanctions.",
        due,
        Status.DATED,
        party=ctx.owner_party,
        due_basis="30 calendar days after the payment",
    )
    return (ctx.add(explanation),)


def _new_york_date(instant: datetime) -> date:
    return instant.astimezone(NEW_YORK_TIME).date()


BEFORE_30_DAYS = Effective(end=THIRTY_DAY_AMENDMENT - timedelta(days=1))
FROM_30_DAYS = Effective(start=THIRTY_DAY_AMENDMENT)

RULES: tuple[Rule, ...] = (
    Rule(
        "NY1",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(2), (2)(b)",
        "NY residents",
        "Unauthorized access to or acquisition of NY residents' computerized private "
        "information (medical and health insurance information only for discoveries on or "
        "after 2025-03-21, S2376-B); no (2)(a) determination. A HIPAA notice satisfies it "
        "((2)(b)).",
        "most expedient time possible, no day count",
        lambda c: _residents(c, False),
        effective=BEFORE_30_DAYS,
        version=1,
    ),
    Rule(
        "NY1",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(2), (2)(b)",
        "NY residents",
        "As version 1; law enforcement is the only permitted ground for delay.",
        "30 calendar days after discovery (HIPAA entity: the HIPAA date)",
        lambda c: _residents(c, True),
        effective=FROM_30_DAYS,
        version=2,
    ),
    Rule(
        "NY2",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
        "NY Attorney General (determination)",
        "Written determination that an inadvertent disclosure by authorized persons will not "
        "likely cause misuse or harm, and more than 500 NY residents.",
        "10 days after the determination",
        _determination_to_ag,
    ),
    _agencies("NY3-AG", "NY Attorney General"),
    _agencies("NY3-DOS", "NY Department of State"),
    _agencies("NY3-SP", "NY Division of State Police"),
    Rule(
        "NY4",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(8)(b)",
        "Consumer reporting agencies",
        "More than 5,000 NY residents to be notified at one time (5,000 is not enough).",
        "with the NY resident notice (NY1)",
        _credit_agencies,
    ),
    Rule(
        "NY5",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(9)",
        "NY Attorney General (HIPAA CE rule)",
        "A HIPAA covered entity notifies HHS (any size, any data, paper included) and NY "
        "residents are affected.",
        "5 NY business days after the HHS notice (GCL § 24 holidays)",
        _ag_after_hhs,
        effective=Effective(start=SHIELD_ACT),
    ),
    Rule(
        "NY6",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(3)",
        "Data owner (from vendor or BA)",
        "A business maintaining NY residents' computerized private information it does not own.",
        "immediately, no day count",
        lambda c: _vendor_to_owner(c, False),
        effective=BEFORE_30_DAYS,
        version=1,
    ),
    Rule(
        "NY6",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(3)",
        "Data owner (from vendor or BA)",
        "As version 1.",
        "immediately and within 30 calendar days after discovery",
        lambda c: _vendor_to_owner(c, True),
        effective=FROM_30_DAYS,
        version=2,
    ),
    Rule(
        "NY7",
        J,
        "23 NYCRR 500.17(a); § 899-aa(8)(a)",
        "NY Department of Financial Services",
        "A DFS covered entity (23 NYCRR 500.1) determines a cybersecurity incident occurred.",
        "72 hours after the determination (New York time)",
        _dfs,
    ),
    Rule(
        "NY8",
        J,
        "23 NYCRR 500.17(c)(1)",
        "NY Department of Financial Services (extortion payment)",
        "A DFS covered entity makes an extortion (ransom) payment in connection with a "
        "cybersecurity event.",
        "24 hours after the payment (New York time)",
        _extortion_notice,
        effective=Effective(start=DFS_SECOND_AMENDMENT_NOTICES),
    ),
    Rule(
        "NY9",
        J,
        "23 NYCRR 500.17(c)(2)",
        "NY Department of Financial Services (written explanation)",
        "As NY8: why the payment was necessary, alternatives considered, sanctions diligence.",
        "30 calendar days after the payment",
        _extortion_explanation,
        effective=Effective(start=DFS_SECOND_AMENDMENT_NOTICES),
    ),
)
