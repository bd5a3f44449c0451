"""New York DFS: 23 NYCRR 500.17 (a) the 72-hour cybersecurity notice (NY7) and (c) the extortion
payment notices (NY8, NY9), clocks in hours from an instant (docs/law/new-york.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from incident_tracker.core.calendar import calendar_days_after, hours_after
from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.jurisdictions.new_york import parameters as P
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Effective, Outcome, Rule

J = "NY"
DFS_HOURS = current(P.DFS_HOURS)  # 23 NYCRR 500.17(a)(1)
EXTORTION_NOTICE_HOURS = current(P.EXTORTION_NOTICE_HOURS)  # 23 NYCRR 500.17(c)(1)
EXTORTION_EXPLANATION_DAYS = current(P.EXTORTION_EXPLANATION_DAYS)  # 23 NYCRR 500.17(c)(2)
DFS_SECOND_AMENDMENT_NOTICES = P.DFS_SECOND_AMENDMENT_NOTICES
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


RULES: tuple[Rule, ...] = (
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
