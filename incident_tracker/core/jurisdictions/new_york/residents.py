"""New York's notices to residents (NY1, 899-aa(2)) and from a vendor to the data's owner (NY6,
899-aa(3)): the day count is the dated parameter in force on the discovery date (parameters.py;
none before S2659-B / A8872-A of 2024-12-21), so an amendment is one dated value."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.federal import parameters as federal
from incident_tracker.core.jurisdictions.federal.common import owner_discovery
from incident_tracker.core.jurisdictions.new_york import parameters as P
from incident_tracker.core.jurisdictions.new_york.scope import (
    AFTER_HOLD,
    J,
    determination_law,
    disputed_note,
    private_information,
    roll_forward,
    why_no_breach,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Party
from incident_tracker.core.parameters import counted, value_on
from incident_tracker.core.rules.base import Effective, Outcome, Rule
from incident_tracker.core.rules.shapes import DaysAfter, Deadline, NoFixedDeadline, delayed, rolled
from incident_tracker.core.rules.terms import Terms, deadline, duty, obligation

THIRTY_DAY_AMENDMENT = P.THIRTY_DAY_AMENDMENT
EXPEDIENT = "most expedient time possible and without unreasonable delay"
IMMEDIATELY = "immediately following discovery"
# 899-aa(2): calendar days from the owner's discovery (a HIPAA covered entity's, through its
# business associate); a date on a closed day may roll forward (GCL § 25-a).
RESIDENT_CLOCK = DaysAfter(
    P.RESIDENT_DAYS, start=owner_discovery, other_reading=rolled(roll_forward)
)
# 899-aa(3): calendar days from the vendor's own discovery.
VENDOR_CLOCK = DaysAfter(
    P.VENDOR_DAYS, since="the BA's discovery", other_reading=rolled(roll_forward)
)


def _why_no_resident_notice(ctx: Context) -> str | None:
    if (why := why_no_breach(ctx)) is not None:
        return why
    f = ctx.facts
    # A HIPAA notice owed (F1) reaches the NY residents and is their NY notice under (2)(b), so
    # residents "are to be notified" and the (8)(a) agency notices follow (docs/law/new-york.md:
    # "applies even when residents were notified under HIPAA"). Nothing in § 899-aa says a
    # (2)(a) determination removes that; the conservative reading keeps NY1 and the agency
    # notices.
    if f.ny_harm_determination_on is not None and ctx.get("F1") is None:
        law = determination_law(ctx)
        return (
            f"written determination of {f.ny_harm_determination_on} under 899-aa(2)(a) that the "
            "inadvertent disclosure will not likely result in misuse or harm: no resident notice "
            f"(keep the determination {value_on(P.RETAIN_DETERMINATION_YEARS, law)} years)"
        )
    return None


def _disputed(ctx: Context) -> bool:
    return private_information(ctx)[1]


def _before_amendment(ctx: Context, d: Deadline) -> str:
    days = value_on(P.RESIDENT_DAYS, THIRTY_DAY_AMENDMENT)
    words = delayed(d) or (
        f"Discovered before the {days}-day amendment of {THIRTY_DAY_AMENDMENT}: notify in the "
        f"{d.standard}."
    )
    return words + disputed_note(_disputed(ctx))


def _within_days(ctx: Context, d: Deadline) -> str:
    words = delayed(d) or (
        "Notify affected NY residents in the most expedient time possible and within "
        f"{d.count} days after discovery on {d.start}; only law enforcement's needs justify "
        "delay."
    )
    return words + disputed_note(_disputed(ctx))


def _satisfied_by_hipaa(ctx: Context, f1: Obligation) -> Obligation:
    """899-aa(2)(b)(ii): the HIPAA notice is the NY notice, due on the HIPAA date; NY's own count
    is the conservative other reading."""
    f = ctx.facts
    disputed = _disputed(ctx)
    overridden = (
        f" The (2)(a) determination of {f.ny_harm_determination_on} does not remove this: "
        "the HIPAA letters still go to NY residents (docs/law/new-york.md)."
        if f.ny_harm_determination_on is not None
        else ""
    )
    days = RESIDENT_CLOCK.count(f.discovered_on)
    alt = (
        RESIDENT_CLOCK.add(owner_discovery(ctx), days)
        if days is not None and not ctx.hold
        else None
    )
    return Obligation(
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


def _residents(terms: Terms, effective: Effective, version: int) -> Rule:
    """899-aa(2): notice to affected NY residents, the shaped duty unless a HIPAA notice is owed,
    which satisfies it ((2)(b))."""

    def evaluate(ctx: Context) -> Iterable[Outcome]:
        if (why := _why_no_resident_notice(ctx)) is not None:
            return (NotRequired("NY1", why, jurisdiction=J),)
        f1 = ctx.get("F1")
        if f1 is not None:
            return (ctx.add(_satisfied_by_hipaa(ctx, f1)),)
        return (ctx.add(obligation(terms, ctx, deadline(terms, ctx))),)

    t = terms
    return Rule(
        t.rule_id, J, t.citation, t.recipient, t.trigger, t.clock or t.shape.describe(),
        evaluate, effective, version,
    )  # fmt: skip


def _why_not_the_vendor(ctx: Context) -> str | None:
    """899-aa(3): a business maintaining computerized private information it does not own."""
    if not ctx.is_business_associate:
        return (
            "the entity owns or licenses the data (899-aa(3) binds a business that only "
            "maintains it)"
        )
    return why_no_breach(ctx)


def _vendor_reason(ctx: Context, d: Deadline) -> str:
    if d.due is None:
        return f"Notify the owner of the data {d.standard}."
    hipaa = value_on(federal.INDIVIDUAL_DAYS, ctx.facts.discovered_on)
    return (
        f"A business that maintains NY residents' private information it does not own "
        f"notifies the owner immediately, and within {d.count} days of discovery on {d.start}; "
        f"stricter than HIPAA's {hipaa} days."
    )


BEFORE_30_DAYS = Effective(end=THIRTY_DAY_AMENDMENT - timedelta(days=1))
FROM_30_DAYS = Effective(start=THIRTY_DAY_AMENDMENT)
RESIDENTS_CITATION = "N.Y. Gen. Bus. Law § 899-aa(2), (2)(b)"
RESIDENTS_TRIGGER = (
    "Unauthorized access to or acquisition of NY residents' computerized private "
    "information (medical and health insurance information only for discoveries on or "
    "after 2025-03-21, S2376-B); no (2)(a) determination. A HIPAA notice satisfies it "
    "((2)(b))."
)
VENDOR = "Data owner / covered entity (from BA, NY)"
VENDOR_TRIGGER = (
    "A business maintaining NY residents' computerized private information it does not own."
)

RESIDENT_RULES: tuple[Rule, ...] = (
    _residents(
        Terms(
            "NY1",
            J,
            RESIDENTS_CITATION,
            "NY residents",
            RESIDENTS_TRIGGER,
            NoFixedDeadline(EXPEDIENT),
            _why_no_resident_notice,
            reason=_before_amendment,
            cites=f"N.Y. Gen. Bus. Law § 899-aa(2) (before {THIRTY_DAY_AMENDMENT})",
            clock="most expedient time possible, no day count",
            after_hold=AFTER_HOLD,
            hold_citation="N.Y. Gen. Bus. Law § 899-aa(2), (4)",
            disputed=_disputed,
        ),
        BEFORE_30_DAYS,
        1,
    ),
    _residents(
        Terms(
            "NY1",
            J,
            RESIDENTS_CITATION,
            "NY residents",
            "As version 1; law enforcement is the only permitted ground for delay.",
            RESIDENT_CLOCK,
            _why_no_resident_notice,
            reason=_within_days,
            cites="N.Y. Gen. Bus. Law § 899-aa(2)",
            clock=f"{counted(P.RESIDENT_DAYS, THIRTY_DAY_AMENDMENT)} calendar days after "
            "discovery (HIPAA entity: the HIPAA date)",
            after_hold=AFTER_HOLD,
            hold_citation="N.Y. Gen. Bus. Law § 899-aa(2), (4)",
            disputed=_disputed,
        ),
        FROM_30_DAYS,
        2,
    ),
)

VENDOR_RULES: tuple[Rule, ...] = (
    duty(
        Terms(
            "NY6",
            J,
            "N.Y. Gen. Bus. Law § 899-aa(3)",
            "Data owner (from vendor or BA)",
            VENDOR_TRIGGER,
            NoFixedDeadline(IMMEDIATELY),
            _why_not_the_vendor,
            reason=_vendor_reason,
            addressee=VENDOR,
            cites="N.Y. Gen. Bus. Law § 899-aa(3), (4)",
            party=Party.BUSINESS_ASSOCIATE,
            clock="immediately, no day count",
            after_hold=AFTER_HOLD,
        ),
        BEFORE_30_DAYS,
        version=1,
    ),
    duty(
        Terms(
            "NY6",
            J,
            "N.Y. Gen. Bus. Law § 899-aa(3)",
            "Data owner (from vendor or BA)",
            "As version 1.",
            VENDOR_CLOCK,
            _why_not_the_vendor,
            reason=_vendor_reason,
            addressee=VENDOR,
            party=Party.BUSINESS_ASSOCIATE,
            clock=f"immediately and within {counted(P.VENDOR_DAYS, THIRTY_DAY_AMENDMENT)} "
            "calendar days after discovery",
            after_hold=AFTER_HOLD,
            hold_citation="N.Y. Gen. Bus. Law § 899-aa(3), (4)",
        ),
        FROM_30_DAYS,
        version=2,
    ),
)
