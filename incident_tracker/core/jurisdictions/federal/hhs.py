"""The reports to HHS: F4 (500 or more, with the individual notice, 164.408(b)), F5 (the annual
log of smaller breaches, 164.408(c)) and P2 (the 42 CFR Part 2 report on the same clock)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.federal import parameters as P
from incident_tracker.core.jurisdictions.federal.common import (
    LOG_CLOCK,
    NO_ROLL,
    PART2_COMPLIANCE,
    J,
    covered_entity_discovery,
    not_owed,
    number,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Effective, Outcome, Rule
from incident_tracker.core.rules.shapes import Deadline, WithNotice
from incident_tracker.core.rules.terms import Terms, deadline, duty, obligation

# 164.408(b): contemporaneously with the individual notice; the F1 date the outer limit.
WITH_INDIVIDUAL_NOTICE = WithNotice(
    "F1", sent=lambda f: f.notices_sent.individuals, basis="with_individual_notice"
)


def _with_individual_notice(why: str, d: Deadline) -> str:
    if d.sent is not None:
        return (
            f"{why} Individual notices went out on {d.sent}, so the report is due that day "
            f"(contemporaneously); the outer limit was {d.outer_limit}."
        )
    return (
        f"{why} Report contemporaneously with the individual notices; until they are sent, the "
        f"outer limit is the individual-notice deadline {d.due}."
    )


def _hhs_annual_log(ctx: Context, rule_id: str, recipient: str, why: str) -> Obligation:
    """164.408(c): fewer than 500: within 60 days after the end of the year of discovery. A year
    end is no shape's anchor, so the date is the shape's count from it, here."""
    start, waiting, _ = covered_entity_discovery(ctx)
    days = number(P.LOG_DAYS_AFTER_YEAR_END, ctx)
    strict = LOG_CLOCK.add(date(start.year, 12, 31), days)
    due = max(strict, ctx.hold.end) if ctx.hold else strict
    early = ctx.facts.notices_sent.hhs
    filed = f" Already filed on {early}." if early else ""
    return Obligation(
        rule_id,
        J,
        f"{recipient}, CY{start.year})",
        "45 CFR 164.408(c)",
        f"{why} Fewer than {number(P.HHS_THRESHOLD, ctx)} individuals: log the breach and report "
        f"it to HHS no later than {days} days after the end of {start.year}, the calendar year "
        f"of discovery: {strict}; {NO_ROLL}.{filed}",
        due,
        Status.WAITING if waiting else Status.DATED,
        party=ctx.owner_party,
        due_basis=f"{days} days after 31 December {start.year}",
    )


def _why_no_hhs_report(ctx: Context) -> str | None:
    """164.408(b): a breach of unsecured PHI involving 500 or more individuals (all States)."""
    if (no := not_owed(ctx, "F4")) is not None:
        return no.reason
    total, threshold = ctx.facts.total_affected, number(P.HHS_THRESHOLD, ctx)
    if total < threshold:
        return f"{total} individuals is fewer than {threshold}: annual log instead (164.408(c))"
    return None


def _many(ctx: Context) -> str:
    return (
        f"{ctx.facts.total_affected} individuals is {number(P.HHS_THRESHOLD, ctx)} or more: "
        "notify HHS through the OCR breach portal."
    )


HHS_500 = Terms(
    "F4",
    J,
    "45 CFR 164.408(b)",
    "HHS Secretary (OCR portal)",
    f"{current(P.HHS_THRESHOLD)} or more individuals in total.",
    WITH_INDIVIDUAL_NOTICE,
    _why_no_hhs_report,
    reason=lambda ctx, d: _with_individual_notice(_many(ctx), d),
    addressee=f"HHS Secretary (OCR breach portal, {current(P.HHS_THRESHOLD)}+)",
    clock="with the individual notice; outer limit the F1 date",
)


def _hhs_log(ctx: Context) -> Iterator[Outcome]:
    """164.408(c): a breach of unsecured PHI involving fewer than 500 individuals."""
    if (no := not_owed(ctx, "F5")) is not None:
        yield no
        return
    total, threshold = ctx.facts.total_affected, number(P.HHS_THRESHOLD, ctx)
    if total >= threshold:
        yield NotRequired(
            "F5",
            f"{total} individuals is {threshold} or more: immediate HHS report instead (F4)",
            jurisdiction=J,
        )
        return
    yield ctx.add(
        _hhs_annual_log(ctx, "F5", "HHS Secretary (annual small-breach log", f"{total} affected.")
    )


PART2_WHY = (
    "Part 2 records are involved: file a Part 2 breach report separate from the HIPAA "
    "report (OCR portal), on the same clock."
)
PART2_500 = replace(
    HHS_500,
    rule_id="P2",
    reason=lambda ctx, d: _with_individual_notice(PART2_WHY, d),
    addressee=f"HHS Secretary (42 CFR Part 2 breach report, {current(P.HHS_THRESHOLD)}+)",
    cites="42 CFR Part 2 (89 FR 12472); 45 CFR 164.408",
)


def _part2(ctx: Context) -> Iterator[Outcome]:
    """42 CFR Part 2 (89 FR 12472): a breach of Part 2 records is reported to HHS separately, on
    the F4 clock (with the individual notice) or the F5 one (the annual log)."""
    if not ctx.facts.part2_program:
        yield NotRequired("P2", "the records are not 42 CFR Part 2 records", jurisdiction=J)
        return
    if (no := not_owed(ctx, "P2")) is not None:
        yield no
        return
    if ctx.facts.total_affected >= number(P.HHS_THRESHOLD, ctx):
        yield ctx.add(obligation(PART2_500, ctx, deadline(PART2_500, ctx)))
        return
    log = _hhs_annual_log(ctx, "P2", "HHS Secretary (42 CFR Part 2 breach report", PART2_WHY)
    yield ctx.add(replace(log, citation="42 CFR Part 2 (89 FR 12472); 45 CFR 164.408"))


PART2_EFFECTIVE = Effective(start=PART2_COMPLIANCE)

HHS_RULES: tuple[Rule, ...] = (
    duty(HHS_500),
    Rule(
        "F5",
        J,
        "45 CFR 164.408(c)",
        "HHS Secretary (annual log)",
        f"Fewer than {current(P.HHS_THRESHOLD)} individuals in total.",
        LOG_CLOCK.describe(),
        _hhs_log,
    ),
)

PART2_RULES: tuple[Rule, ...] = (
    Rule(
        "P2",
        J,
        "42 CFR Part 2 (2024 final rule)",
        "HHS Secretary (Part 2 report)",
        "A breach of 42 CFR Part 2 records (also PHI): reported separately from HIPAA.",
        "the F4 or F5 clock",
        _part2,
        effective=PART2_EFFECTIVE,
    ),
)
