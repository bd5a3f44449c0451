"""New York DFS: 23 NYCRR 500.17 (a) the 72-hour cybersecurity notice (NY7) and (c) the extortion
payment notices (NY8, NY9), clocks in hours from an instant (docs/law/new-york.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.jurisdictions.new_york import parameters as P
from incident_tracker.core.rules.base import Effective, Rule
from incident_tracker.core.rules.shapes import DaysAfter, Deadline, HoursAfter
from incident_tracker.core.rules.terms import Terms, duty

J = "NY"
DFS_SECOND_AMENDMENT_NOTICES = P.DFS_SECOND_AMENDMENT_NOTICES
# DFS clocks in hours are wall-clock times in New York, where the superintendent sits.
NEW_YORK_TIME = ZoneInfo("America/New_York")
NOT_DFS = "not a DFS-regulated covered entity (23 NYCRR 500.1)"

# 23 NYCRR 500.17(a)(1): from the determination that a cybersecurity incident occurred; not
# recorded, the start of the discovery day.
DFS_CLOCK = HoursAfter(
    P.DFS_HOURS,
    lambda f: f.dfs_determined_at,
    NEW_YORK_TIME,
    "determination",
    place="New York",
    assume_day_start=True,
)
# 23 NYCRR 500.17(c)(1): from the extortion payment.
EXTORTION_CLOCK = HoursAfter(
    P.EXTORTION_NOTICE_HOURS, lambda f: f.dfs_ransom_paid_at, NEW_YORK_TIME, "payment",
    place="New York",
)  # fmt: skip


def _new_york_date(ctx: Context) -> date | None:
    paid = ctx.facts.dfs_ransom_paid_at
    return paid.astimezone(NEW_YORK_TIME).date() if paid else None


# 23 NYCRR 500.17(c)(2): calendar days from the payment's New York date.
EXPLANATION_CLOCK = DaysAfter(
    P.EXTORTION_EXPLANATION_DAYS, start=_new_york_date, since="the payment"
)


def _why_not_dfs(ctx: Context) -> str | None:
    """23 NYCRR 500.17(a): a DFS covered entity's cybersecurity incident (paper is none)."""
    f = ctx.facts
    if not f.nydfs_covered_entity:
        return NOT_DFS
    if f.dfs_determined_at is None and f.medium is Medium.PAPER:
        return "paper records: not a cybersecurity incident under 23 NYCRR 500.1"
    return None


def _dfs_reason(ctx: Context, d: Deadline) -> str:
    determined = ctx.facts.dfs_determined_at
    if d.due_at is None or determined is None:
        return (
            f"Notify the superintendent within {d.count} hours of determining a cybersecurity "
            "incident occurred. The determination time is not recorded, so the date assumes it "
            "was made at the start of the discovery day; record it to get the exact deadline."
        )
    return (
        f"Determined a cybersecurity incident at {determined.isoformat()}: notify "
        f"the superintendent electronically as promptly as possible and within {d.count} hours, "
        f"by {d.due_at.isoformat()} (New York time)."
    )


def _hours_basis(since: str) -> Callable[[Context, Deadline], str]:
    def basis(ctx: Context, d: Deadline) -> str:
        if d.due_at is None:
            return (
                f"{d.count} hours from the start of the discovery day (determination time not "
                "recorded)"
            )
        return f"{d.count} hours from {since} (due {d.due_at.isoformat()})"

    return basis


def _why_not_paid(ctx: Context) -> str | None:
    if not ctx.facts.nydfs_covered_entity:
        return NOT_DFS
    if ctx.facts.dfs_ransom_paid_at is None:
        return "no extortion (ransom) payment is recorded (23 NYCRR 500.17(c))"
    return None


def _extortion_reason(ctx: Context, d: Deadline) -> str:
    paid = ctx.facts.dfs_ransom_paid_at
    assert paid is not None and d.due_at is not None
    return (
        f"An extortion payment was made at {paid.isoformat()}: notify the superintendent "
        f"electronically of the payment within {d.count} hours, by {d.due_at.isoformat()} (New "
        "York time)."
    )


def _explanation_reason(ctx: Context, d: Deadline) -> str:
    return (
        f"Within {d.count} days of the extortion payment on {d.start} (New York date), give the "
        "superintendent a written description of the reasons the payment was necessary, the "
        "alternatives to payment considered, the diligence done to find alternatives, and the "
        "diligence done to comply with applicable rules, including OFAC sanctions."
    )


AFTER_PAYMENT = Effective(start=DFS_SECOND_AMENDMENT_NOTICES)
DFS = "NY Department of Financial Services"

RULES: tuple[Rule, ...] = (
    # 23 NYCRR 500.17(a): a DFS covered entity notifies DFS within 72 hours of determining that
    # a cybersecurity incident occurred; the 899-aa(8)(a) DFS notice runs through it.
    duty(
        Terms(
            "NY7",
            J,
            "23 NYCRR 500.17(a); § 899-aa(8)(a)",
            DFS,
            "A DFS covered entity (23 NYCRR 500.1) determines a cybersecurity incident occurred.",
            DFS_CLOCK,
            _why_not_dfs,
            reason=_dfs_reason,
            basis=_hours_basis("determination"),
            cites="23 NYCRR 500.17(a); N.Y. Gen. Bus. Law § 899-aa(8)(a)",
        )
    ),
    # 23 NYCRR 500.17(c)(1): a DFS covered entity that makes an extortion payment in connection
    # with a cybersecurity event notifies the superintendent within 24 hours of the payment.
    duty(
        Terms(
            "NY8",
            J,
            "23 NYCRR 500.17(c)(1)",
            f"{DFS} (extortion payment)",
            "A DFS covered entity makes an extortion (ransom) payment in connection with a "
            "cybersecurity event.",
            EXTORTION_CLOCK,
            _why_not_paid,
            reason=_extortion_reason,
            basis=_hours_basis("the payment"),
        ),
        AFTER_PAYMENT,
    ),
    # 23 NYCRR 500.17(c)(2): within 30 days of the payment, a written description of why it was
    # necessary, the alternatives considered and the sanctions diligence done.
    duty(
        Terms(
            "NY9",
            J,
            "23 NYCRR 500.17(c)(2)",
            f"{DFS} (written explanation)",
            "As NY8: why the payment was necessary, alternatives considered, sanctions diligence.",
            EXPLANATION_CLOCK,
            _why_not_paid,
            reason=_explanation_reason,
            addressee=f"{DFS} (extortion payment explanation)",
        ),
        AFTER_PAYMENT,
    ),
)
