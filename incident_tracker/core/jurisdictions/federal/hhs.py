"""The reports to HHS: F4 (500 or more, with the individual notice, 164.408(b)), F5 (the annual
log of smaller breaches, 164.408(c)) and P2 (the 42 CFR Part 2 report on the same clock)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from incident_tracker.core.calendar import days_after_year_end
from incident_tracker.core.context import Context
from incident_tracker.core.jurisdictions.federal.common import (
    HHS_THRESHOLD,
    LOG_DAYS_AFTER_YEAR_END,
    NO_ROLL,
    PART2_COMPLIANCE,
    J,
    covered_entity_discovery,
    not_owed,
)
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.rules.base import Effective, Outcome, Rule


def _hhs_with_individual_notice(ctx: Context, rule_id: str, recipient: str, why: str) -> Obligation:
    """164.408(b): contemporaneously with the individual notice; outer limit = the F1 date."""
    f1 = ctx.get("F1")
    assert f1 is not None
    sent = ctx.facts.notices_sent.individuals
    if sent is not None:
        return Obligation(
            rule_id,
            J,
            recipient,
            "45 CFR 164.408(b)",
            f"{why} Individual notices went out on {sent}, so the report is due that day "
            f"(contemporaneously); the outer limit was {f1.due}.",
            sent,
            Status.DATED,
            outer_limit=f1.due,
            party=ctx.owner_party,
            due_basis="with_individual_notice",
        )
    return Obligation(
        rule_id,
        J,
        recipient,
        "45 CFR 164.408(b)",
        f"{why} Report contemporaneously with the individual notices; until they are sent, the "
        f"outer limit is the individual-notice deadline {f1.due}.",
        f1.due,
        Status.WAITING,
        alt_due=f1.alt_due,
        alt_due_reason=f1.alt_due_reason,
        party=ctx.owner_party,
        due_basis="with_individual_notice",
        waiting_for="F1",
    )


def _hhs_annual_log(ctx: Context, rule_id: str, recipient: str, why: str) -> Obligation:
    """164.408(c): fewer than 500: within 60 days after the end of the year of discovery."""
    start, waiting, _ = covered_entity_discovery(ctx)
    strict = days_after_year_end(start.year, LOG_DAYS_AFTER_YEAR_END)
    due = max(strict, ctx.hold.end) if ctx.hold else strict
    early = ctx.facts.notices_sent.hhs
    filed = f" Already filed on {early}." if early else ""
    return Obligation(
        rule_id,
        J,
        f"{recipient}, CY{start.year})",
        "45 CFR 164.408(c)",
        f"{why} Fewer than 500 individuals: log the breach and report it to HHS no later than "
        f"60 days after the end of {start.year}, the calendar year of discovery: {strict}; "
        f"{NO_ROLL}.{filed}",
        due,
        Status.WAITING if waiting else Status.DATED,
        party=ctx.owner_party,
        due_basis=f"60 days after 31 December {start.year}",
    )


def _hhs_500(ctx: Context) -> Iterator[Outcome]:
    """164.408(b): a breach of unsecured PHI involving 500 or more individuals (all States)."""
    if (no := not_owed(ctx, "F4")) is not None:
        yield no
        return
    total = ctx.facts.total_affected
    if total < HHS_THRESHOLD:
        yield NotRequired(
            "F4",
            f"{total} individuals is fewer than 500: annual log instead (164.408(c))",
            jurisdiction=J,
        )
        return
    yield ctx.add(
        _hhs_with_individual_notice(
            ctx,
            "F4",
            "HHS Secretary (OCR breach portal, 500+)",
            f"{total} individuals is 500 or more: notify HHS through the OCR breach portal.",
        )
    )


def _hhs_log(ctx: Context) -> Iterator[Outcome]:
    """164.408(c): a breach of unsecured PHI involving fewer than 500 individuals."""
    if (no := not_owed(ctx, "F5")) is not None:
        yield no
        return
    total = ctx.facts.total_affected
    if total >= HHS_THRESHOLD:
        yield NotRequired(
            "F5",
            f"{total} individuals is 500 or more: immediate HHS report instead (F4)",
            jurisdiction=J,
        )
        return
    yield ctx.add(
        _hhs_annual_log(ctx, "F5", "HHS Secretary (annual small-breach log", f"{total} affected.")
    )


def _part2(ctx: Context) -> Iterator[Outcome]:
    """42 CFR Part 2 (89 FR 12472): a breach of Part 2 records is reported to HHS separately."""
    if not ctx.facts.part2_program:
        yield NotRequired("P2", "the records are not 42 CFR Part 2 records", jurisdiction=J)
        return
    if (no := not_owed(ctx, "P2")) is not None:
        yield no
        return
    why = (
        "Part 2 records are involved: file a Part 2 breach report separate from the HIPAA "
        "report (OCR portal), on the same clock."
    )
    recipient = "HHS Secretary (42 CFR Part 2 breach report"
    if ctx.facts.total_affected >= HHS_THRESHOLD:
        ob = _hhs_with_individual_notice(ctx, "P2", recipient + ", 500+)", why)
    else:
        ob = _hhs_annual_log(ctx, "P2", recipient, why)
    yield ctx.add(_with_citation(ob, "42 CFR Part 2 (89 FR 12472); 45 CFR 164.408"))


def _with_citation(ob: Obligation, citation: str) -> Obligation:
    return replace(ob, citation=citation)


PART2_EFFECTIVE = Effective(start=PART2_COMPLIANCE)

HHS_RULES: tuple[Rule, ...] = (
    Rule(
        "F4",
        J,
        "45 CFR 164.408(b)",
        "HHS Secretary (OCR portal)",
        "500 or more individuals in total.",
        "with the individual notice; outer limit the F1 date",
        _hhs_500,
    ),
    Rule(
        "F5",
        J,
        "45 CFR 164.408(c)",
        "HHS Secretary (annual log)",
        "Fewer than 500 individuals in total.",
        "60 days after 31 December of the year of discovery",
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
