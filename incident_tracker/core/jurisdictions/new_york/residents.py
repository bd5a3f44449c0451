"""New York's notices to residents (NY1, 899-aa(2)) and from a vendor to the data's owner (NY6,
899-aa(3)): the day count is the dated parameter in force on the discovery date (parameters.py;
none before S2659-B / A8872-A of 2024-12-21), so an amendment is one dated value."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from incident_tracker.core.calendar import calendar_days_after
from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.federal.common import covered_entity_discovery
from incident_tracker.core.jurisdictions.new_york import parameters as P
from incident_tracker.core.jurisdictions.new_york.scope import (
    AFTER_HOLD,
    J,
    disputed_note,
    private_information,
    roll_forward,
    why_no_breach,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Party, Status
from incident_tracker.core.parameters import counted, value_on
from incident_tracker.core.rules.base import Effective, Outcome, Rule

THIRTY_DAY_AMENDMENT = P.THIRTY_DAY_AMENDMENT


def _owner_discovery(ctx: Context) -> date:
    if ctx.has_covered_entity_duties:
        return covered_entity_discovery(ctx)[0]
    return ctx.facts.discovered_on


def _residents(ctx: Context) -> Iterator[Outcome]:
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
    days = value_on(P.RESIDENT_DAYS, f.discovered_on)
    _, disputed = private_information(ctx)
    start = _owner_discovery(ctx)
    if f1 is not None:
        overridden = (
            f" The (2)(a) determination of {f.ny_harm_determination_on} does not remove this: "
            "the HIPAA letters still go to NY residents (docs/law/new-york.md)."
            if f.ny_harm_determination_on is not None
            else ""
        )
        alt = calendar_days_after(start, days) if days is not None and not ctx.hold else None
        yield ctx.add(
            Obligation(
                "NY1",
                J,
                "NY residents (HIPAA notice satisfies NY)",
                "N.Y. Gen. Bus. Law § 899-aa(2)(b)(ii)",
                "A notice made under HIPAA satisfies the notice to affected NY residents, so it "
                f"is due on the HIPAA date {f1.due}; the agency (8)(a) and consumer reporting "
                "agency (8)(b) notices are still owed." + overridden + disputed_note(disputed),
                f1.due,
                f1.status,
                alt_due=alt,
                alt_due_reason=(
                    f"conservative reading that NY's {days}-day clock (899-aa(2)) still governs "
                    "timing for HIPAA entities (docs/law/new-york.md)"
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
                f"notify {AFTER_HOLD}." + disputed_note(disputed),
                None,
                Status.NO_FIXED_DEADLINE,
                not_before=ctx.hold.end,
                standard=AFTER_HOLD,
                party=ctx.owner_party,
                disputed=disputed,
            )
        )
        return
    if days is None:
        standard = "most expedient time possible and without unreasonable delay"
        yield ctx.add(
            Obligation(
                "NY1",
                J,
                "NY residents",
                "N.Y. Gen. Bus. Law § 899-aa(2) (before 2024-12-21)",
                f"Discovered before the 30-day amendment of 2024-12-21: notify in the {standard}."
                + disputed_note(disputed),
                None,
                Status.NO_FIXED_DEADLINE,
                standard=standard,
                party=ctx.owner_party,
                disputed=disputed,
            )
        )
        return
    strict = calendar_days_after(start, days)
    alt, alt_reason, cal = roll_forward(strict)
    yield ctx.add(
        Obligation(
            "NY1",
            J,
            "NY residents",
            "N.Y. Gen. Bus. Law § 899-aa(2)",
            "Notify affected NY residents in the most expedient time possible and within "
            f"{days} days after discovery on {start}; only law enforcement's needs justify delay."
            + disputed_note(disputed),
            strict,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            due_basis=f"{days} calendar days after discovery",
            party=ctx.owner_party,
            disputed=disputed,
        )
    )


def _vendor_to_owner(ctx: Context) -> Iterator[Outcome]:
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
    days = value_on(P.VENDOR_DAYS, start)
    recipient = "Data owner / covered entity (from BA, NY)"
    if ctx.hold is not None or days is None:
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
    strict = calendar_days_after(start, days)
    alt, alt_reason, cal = roll_forward(strict)
    yield ctx.add(
        Obligation(
            "NY6",
            J,
            recipient,
            "N.Y. Gen. Bus. Law § 899-aa(3)",
            f"A business that maintains NY residents' private information it does not own "
            f"notifies the owner immediately, and within {days} days of discovery on {start}; "
            f"stricter than HIPAA's 60 days.",
            strict,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            due_basis=f"{days} calendar days after the BA's discovery",
            party=Party.BUSINESS_ASSOCIATE,
        )
    )


BEFORE_30_DAYS = Effective(end=THIRTY_DAY_AMENDMENT - timedelta(days=1))
FROM_30_DAYS = Effective(start=THIRTY_DAY_AMENDMENT)

RESIDENT_RULES: tuple[Rule, ...] = (
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
        _residents,
        effective=BEFORE_30_DAYS,
        version=1,
    ),
    Rule(
        "NY1",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(2), (2)(b)",
        "NY residents",
        "As version 1; law enforcement is the only permitted ground for delay.",
        f"{counted(P.RESIDENT_DAYS, THIRTY_DAY_AMENDMENT)} calendar days after discovery "
        "(HIPAA entity: the HIPAA date)",
        _residents,
        effective=FROM_30_DAYS,
        version=2,
    ),
)

VENDOR_RULES: tuple[Rule, ...] = (
    Rule(
        "NY6",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(3)",
        "Data owner (from vendor or BA)",
        "A business maintaining NY residents' computerized private information it does not own.",
        "immediately, no day count",
        _vendor_to_owner,
        effective=BEFORE_30_DAYS,
        version=1,
    ),
    Rule(
        "NY6",
        J,
        "N.Y. Gen. Bus. Law § 899-aa(3)",
        "Data owner (from vendor or BA)",
        "As version 1.",
        f"immediately and within {counted(P.VENDOR_DAYS, THIRTY_DAY_AMENDMENT)} calendar days "
        "after discovery",
        _vendor_to_owner,
        effective=FROM_30_DAYS,
        version=2,
    ),
)
