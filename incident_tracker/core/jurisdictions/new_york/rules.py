"""New York: N.Y. Gen. Bus. Law § 899-aa (as amended 2019, 2024-12-21 and 2025) and 23 NYCRR 500.17.

Described in docs/law/new-york.md; the NY rows of the rule table are in docs/law/rules.md.
Business days follow the public holidays of N.Y. Gen. Constr. Law § 24 (business_days.py); a
calendar-day period ending on a weekend or holiday may roll forward under GCL § 25-a, shown only as
`alt_due` (docs/law/conventions.md). The resident and vendor notices are in residents.py, the DFS
notices in dfs.py; this module holds the notices that follow them and the rule list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from incident_tracker.core.calendar import calendar_days_after
from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.new_york import dfs, residents
from incident_tracker.core.jurisdictions.new_york import parameters as P
from incident_tracker.core.jurisdictions.new_york.business_days import NY_BUSINESS_DAYS
from incident_tracker.core.jurisdictions.new_york.scope import (
    J,
    disputed_note,
    roll_forward,
    why_no_breach,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Effective, Outcome, Rule

# The numbers below are the parameters' values (parameters.py) that have not changed since the
# rules they feed took effect.
AG_DETERMINATION_DAYS = current(P.AG_DETERMINATION_DAYS)  # 899-aa(2)(a), read as calendar days
AG_AFTER_HHS_BUSINESS_DAYS = current(P.AG_AFTER_HHS_BUSINESS_DAYS)  # 899-aa(9)
CRA_THRESHOLD = current(P.CRA_THRESHOLD)  # 899-aa(8)(b): "more than five thousand"
DETERMINATION_AG_THRESHOLD = current(P.DETERMINATION_AG_THRESHOLD)  # 899-aa(2)(a): "> 500"
RETAIN_DETERMINATION_YEARS = current(P.RETAIN_DETERMINATION_YEARS)
SHIELD_ACT = P.SHIELD_ACT


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
            f"limit was {ny1.due or 'not fixed'}." + disputed_note(ny1.disputed),
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
        f"outer limit is the resident deadline." + disputed_note(ny1.disputed),
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
    alt, alt_reason, cal = roll_forward(strict)
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


RULES: tuple[Rule, ...] = (
    *residents.RESIDENT_RULES,
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
    *residents.VENDOR_RULES,
    *dfs.RULES,
)
