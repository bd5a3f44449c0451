"""New York: N.Y. Gen. Bus. Law § 899-aa (as amended 2019, 2024-12-21 and 2025) and 23 NYCRR 500.17.

Described in docs/law/new-york.md; the NY rows of the rule table are in docs/law/rules.md.
Business days follow the public holidays of N.Y. Gen. Constr. Law § 24 (business_days.py); a
calendar-day period ending on a weekend or holiday may roll forward under GCL § 25-a, shown only as
`alt_due` (docs/law/conventions.md). The resident and vendor notices are in residents.py, the DFS
notices in dfs.py; this module holds the notices that follow them and the rule list.
"""

from __future__ import annotations

from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.new_york import dfs, residents
from incident_tracker.core.jurisdictions.new_york import parameters as P
from incident_tracker.core.jurisdictions.new_york.business_days import NY_BUSINESS_DAYS
from incident_tracker.core.jurisdictions.new_york.scope import (
    J,
    determination_law,
    disputed_note,
    roll_forward,
    why_no_breach,
)
from incident_tracker.core.parameters import current, value_on
from incident_tracker.core.rules.base import Effective, Rule
from incident_tracker.core.rules.shapes import DaysAfter, Deadline, WithNotice, rolled
from incident_tracker.core.rules.terms import Terms, duty

SHIELD_ACT = P.SHIELD_ACT
WITH_RESIDENT_NOTICE = WithNotice(
    "NY1",
    sent=lambda f: f.notices_sent.ny_residents or f.notices_sent.individuals,
    basis="with_NY_resident_notice",
)


def _why_no_resident_notice(ctx: Context) -> str | None:
    if ctx.get("NY1") is not None:
        return None
    return why_no_breach(ctx) or "no NY resident notice is owed (899-aa(2)(a) determination)"


def _resident_notice_disputed(ctx: Context) -> bool:
    ny1 = ctx.get("NY1")
    return ny1 is not None and ny1.disputed


def _words_with_resident_notice(ctx: Context, d: Deadline, what: str) -> str:
    """899-aa(8): no day count of its own; due with the NY resident notice, without delaying
    it."""
    note = disputed_note(_resident_notice_disputed(ctx))
    if d.sent is not None:
        return (
            f"{what} NY residents were notified on {d.sent}, so this is due that day; the outer "
            f"limit was {d.outer_limit or 'not fixed'}." + note
        )
    return (
        f"{what} Due with the NY resident notice, without delaying it; until that is sent, the "
        "outer limit is the resident deadline." + note
    )


AGENCIES_WHAT = (
    "Because NY residents are to be notified, tell the Attorney General, the Department of "
    "State and the Division of State Police the timing, content and distribution of the "
    "notices and the approximate number affected, with a copy of the template notice."
)


def _agencies(rule_id: str, recipient: str) -> Rule:
    """899-aa(8)(a): the Attorney General, the Department of State and the State Police."""
    return duty(
        Terms(
            rule_id,
            J,
            "N.Y. Gen. Bus. Law § 899-aa(8)(a)",
            recipient,
            "Any NY resident is to be notified (including through a HIPAA notice).",
            WITH_RESIDENT_NOTICE,
            _why_no_resident_notice,
            reason=lambda ctx, d: _words_with_resident_notice(ctx, d, AGENCIES_WHAT),
            clock="with the NY resident notice (NY1), not delaying it",
            disputed=_resident_notice_disputed,
        )
    )


def _cra_threshold(ctx: Context) -> int:
    threshold = value_on(P.CRA_THRESHOLD, ctx.facts.discovered_on)
    assert threshold is not None
    return threshold


def _why_no_credit_agencies(ctx: Context) -> str | None:
    """899-aa(8)(b): more than five thousand NY residents notified at one time."""
    if (why := _why_no_resident_notice(ctx)) is not None:
        return why
    count, threshold = ctx.residents("NY"), _cra_threshold(ctx)
    if count <= threshold:
        return f"{count:,} NY residents is not more than {threshold:,} (899-aa(8)(b))"
    return None


def _credit_agencies_reason(ctx: Context, d: Deadline) -> str:
    what = (
        f"{ctx.residents('NY'):,} NY residents is more than {_cra_threshold(ctx):,}: tell the "
        "consumer reporting agencies the timing, content and distribution of the notices and the "
        "approximate number affected."
    )
    return _words_with_resident_notice(ctx, d, what)


def _why_no_copy_of_determination(ctx: Context) -> str | None:
    """899-aa(2)(a): the written no-harm determination goes to the AG if > 500 NY residents."""
    if ctx.facts.ny_harm_determination_on is None:
        return "no 899-aa(2)(a) written determination is recorded"
    if (why := why_no_breach(ctx)) is not None:
        return why
    count = ctx.residents("NY")
    threshold = value_on(P.DETERMINATION_AG_THRESHOLD, determination_law(ctx))
    years = value_on(P.RETAIN_DETERMINATION_YEARS, determination_law(ctx))
    assert threshold is not None
    if count <= threshold:
        return (
            f"{count} NY residents is not more than {threshold}: keep the written determination "
            f"{years} years, no copy to the Attorney General (899-aa(2)(a))"
        )
    return None


def _determination_reason(ctx: Context, d: Deadline) -> str:
    day = determination_law(ctx)
    threshold = value_on(P.DETERMINATION_AG_THRESHOLD, day)
    years = value_on(P.RETAIN_DETERMINATION_YEARS, day)
    return (
        f"The written determination of {d.start} that the inadvertent disclosure will not likely "
        f"cause misuse or harm covers {ctx.residents('NY')} NY residents, more than {threshold}: "
        f"send it to the Attorney General within {d.count} days and keep it {years} years."
    )


def _why_no_ag_after_hhs(ctx: Context) -> str | None:
    """899-aa(9): a HIPAA covered entity that notifies HHS tells the AG within 5 business days."""
    if ctx.get("F4") is None and ctx.get("F5") is None:
        days = value_on(P.AG_AFTER_HHS_BUSINESS_DAYS, ctx.facts.discovered_on)
        return f"no HHS notification is required, so the {days}-business-day clock never starts"
    if ctx.residents("NY") == 0:
        return (
            "no New York residents are affected (default reading of 899-aa(9), "
            "docs/law/new-york.md)"
        )
    return None


def _ag_after_hhs_reason(ctx: Context, d: Deadline) -> str:
    if d.sent is not None:
        reason = f"HHS was notified on {d.sent}: tell the NY Attorney General within {d.count} NY "
        reason += f"business days, by {d.due}."
    else:
        reason = (
            f"Tell the NY Attorney General within {d.count} NY business days of notifying HHS; "
            f"until HHS is notified, counted from the latest permitted HHS date {d.start}."
        )
    return reason + (
        " This applies even to paper records and data that are not 'private information'."
    )


def _ag_after_hhs_basis(ctx: Context, d: Deadline) -> str:
    if d.sent is not None:
        return f"{d.count} NY business days after the HHS notice of {d.sent}"
    return (
        f"{d.count} NY business days after the HHS notice (computed from the latest permitted "
        f"HHS date {d.start})"
    )


# 899-aa(2)(a), read as calendar days from the determination; GCL § 25-a roll-forward.
DETERMINATION_CLOCK = DaysAfter(
    P.AG_DETERMINATION_DAYS,
    start=lambda ctx: ctx.facts.ny_harm_determination_on,
    since="the determination",
    other_reading=rolled(roll_forward),
    law_of=determination_law,
)
# 899-aa(9): NY business days (GCL § 24) after the HHS notice, F4 or F5, once it is sent.
AG_AFTER_HHS_CLOCK = DaysAfter(
    P.AG_AFTER_HHS_BUSINESS_DAYS,
    anchor=("F4", "F5"),
    calendar=NY_BUSINESS_DAYS,
    since="the HHS notice",
    unit="NY business days",
    sent=lambda f: f.notices_sent.hhs,
)

RULES: tuple[Rule, ...] = (
    *residents.RESIDENT_RULES,
    duty(
        Terms(
            "NY2",
            J,
            "N.Y. Gen. Bus. Law § 899-aa(2)(a)",
            "NY Attorney General (determination)",
            "Written determination that an inadvertent disclosure by authorized persons will not "
            f"likely cause misuse or harm, and more than {current(P.DETERMINATION_AG_THRESHOLD)} "
            "NY residents.",
            DETERMINATION_CLOCK,
            _why_no_copy_of_determination,
            reason=_determination_reason,
            addressee="NY Attorney General (written determination)",
            clock=f"{current(P.AG_DETERMINATION_DAYS)} days after the determination",
            retain_years=P.RETAIN_DETERMINATION_YEARS,
        )
    ),
    _agencies("NY3-AG", "NY Attorney General"),
    _agencies("NY3-DOS", "NY Department of State"),
    _agencies("NY3-SP", "NY Division of State Police"),
    duty(
        Terms(
            "NY4",
            J,
            "N.Y. Gen. Bus. Law § 899-aa(8)(b)",
            "Consumer reporting agencies",
            f"More than {current(P.CRA_THRESHOLD):,} NY residents to be notified at one time "
            f"({current(P.CRA_THRESHOLD):,} is not enough).",
            WITH_RESIDENT_NOTICE,
            _why_no_credit_agencies,
            reason=_credit_agencies_reason,
            addressee=f"Consumer reporting agencies (NY, >{current(P.CRA_THRESHOLD):,})",
            clock="with the NY resident notice (NY1)",
            disputed=_resident_notice_disputed,
        )
    ),
    duty(
        Terms(
            "NY5",
            J,
            "N.Y. Gen. Bus. Law § 899-aa(9)",
            "NY Attorney General (HIPAA CE rule)",
            "A HIPAA covered entity notifies HHS (any size, any data, paper included) and NY "
            "residents are affected.",
            AG_AFTER_HHS_CLOCK,
            _why_no_ag_after_hhs,
            reason=_ag_after_hhs_reason,
            basis=_ag_after_hhs_basis,
            addressee="NY Attorney General (HIPAA covered entity rule)",
            clock=f"{AG_AFTER_HHS_CLOCK.describe()} (GCL § 24 holidays)",
        ),
        Effective(start=SHIELD_ACT),
    ),
    *residents.VENDOR_RULES,
    *dfs.RULES,
)
