"""Federal: HIPAA Breach Notification Rule, 45 CFR 164.400-414, and 42 CFR Part 2 (2024 rule).

Described in docs/law/federal.md; the F1-F8 and P2 rows of the rule table are in docs/law/rules.md.
Every clock is in calendar days from discovery (164.404(a)(2)); nothing in Part 164 extends a
deadline that ends on a weekend or holiday (docs/law/conventions.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta

from incident_tracker.core.calendar import calendar_days_after, days_after_year_end
from incident_tracker.core.context import Context
from incident_tracker.core.facts import DeadlineKind, HoldForm, governing_hold
from incident_tracker.core.jurisdictions.federal import parameters as P
from incident_tracker.core.obligations import NotRequired, Obligation, Party, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Effective, Outcome, Rule

J = "Federal"
# The parameters' values (parameters.py): none has changed since the HIPAA rule took effect.
INDIVIDUAL_DAYS = current(P.INDIVIDUAL_DAYS)  # 164.404(b), 164.406(b), 164.410(b)
LOG_DAYS_AFTER_YEAR_END = current(P.LOG_DAYS_AFTER_YEAR_END)  # 164.408(c)
HHS_THRESHOLD = current(P.HHS_THRESHOLD)  # 164.408(b): "500 or more"
MEDIA_THRESHOLD = current(P.MEDIA_THRESHOLD)  # 164.406(a): "more than 500 residents of a State"
SUBSTITUTE_THRESHOLD = current(P.SUBSTITUTE_THRESHOLD)  # 164.404(d)(2)(ii): "10 or more"
SUBSTITUTE_POSTING_DAYS = current(P.SUBSTITUTE_POSTING_DAYS)  # 164.404(d)(2)(ii)(A)
RETAIN_YEARS = current(P.RETAIN_YEARS)  # 164.530(j)(2)
PART2_COMPLIANCE = date(2026, 2, 16)

NO_ROLL = "calendar days; HIPAA has no weekend or holiday roll-forward"


def covered_entity_discovery(ctx: Context) -> tuple[date, bool, str]:
    """The covered entity's discovery date (docs/law/federal.md): its own, the BA's when the BA is
    its
    agent, or the day the BA told it when the BA is an independent contractor.

    Returns (date, waiting, basis); `waiting` means the BA has not told it yet and the date is
    the latest permitted BA notice date (164.410(b)).
    """
    f = ctx.facts
    if not ctx.is_business_associate:
        return f.discovered_on, False, f"discovery on {f.discovered_on}"
    if f.business_associate_is_agent_of_ce is not False:
        undecided = (
            "; whether the BA is the covered entity's agent is not recorded, so the earlier "
            "(agent) clock is used until it is answered"
            if f.business_associate_is_agent_of_ce is None
            else ""
        )
        return (
            f.discovered_on,
            False,
            f"the business associate is the covered entity's agent, so its discovery on "
            f"{f.discovered_on} is imputed to the covered entity (164.404(a)(2)){undecided}",
        )
    if f.ce_notified_by_ba_on is not None:
        return (
            f.ce_notified_by_ba_on,
            False,
            f"the business associate is an independent contractor, so the covered entity "
            f"discovered the breach when told on {f.ce_notified_by_ba_on} (164.404(a)(2))",
        )
    latest, _, _ = ctx.hold_adjusted(calendar_days_after(f.discovered_on, INDIVIDUAL_DAYS))
    return (
        latest,
        True,
        f"the business associate (an independent contractor) has not yet told the covered "
        f"entity; computed from the latest permitted BA notice date {latest} (164.410(b))",
    )


def _not_owed(ctx: Context, rule_id: str) -> NotRequired | None:
    if not ctx.has_covered_entity_duties:
        return NotRequired(rule_id, "the entity is not a HIPAA covered entity", jurisdiction=J)
    if not ctx.hipaa.notify:
        return NotRequired(rule_id, ctx.hipaa.why_not or "no breach", jurisdiction=J)
    return None


def _individuals(ctx: Context) -> Iterator[Outcome]:
    """164.404(a), (b): a breach of unsecured PHI, discovered, not excluded, no low probability."""
    if (no := _not_owed(ctx, "F1")) is not None:
        yield no
        return
    start, waiting, basis = covered_entity_discovery(ctx)
    strict = calendar_days_after(start, INDIVIDUAL_DAYS)
    due, alt, alt_reason = ctx.hold_adjusted(strict)
    reason = (
        f"Notify each affected individual without unreasonable delay and no later than 60 "
        f"calendar days after discovery ({basis}): {strict}; {NO_ROLL}."
    )
    if ctx.hold is not None:
        reason += (
            f" A law-enforcement hold runs until {ctx.hold.end} (164.412): notice is due on the "
            f"later of the 60-day date and the hold end."
        )
    yield ctx.add(
        Obligation(
            "F1",
            J,
            "Affected individuals",
            "45 CFR 164.404(b); 164.412",
            reason,
            due,
            Status.WAITING if waiting else Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            party=ctx.owner_party,
            due_basis="60 calendar days after the covered entity's discovery",
            waiting_for="F6" if waiting else None,
        )
    )


def _substitute(ctx: Context) -> Iterator[Outcome]:
    """164.404(d)(2): substitute notice where contact information is insufficient or out of date."""
    f1 = ctx.get("F1")
    unreachable = ctx.facts.unreachable_individuals or 0
    if f1 is None:
        yield NotRequired("F2", "no individual notice is owed (F1)", jurisdiction=J)
        return
    if unreachable == 0:
        yield NotRequired(
            "F2",
            "no individuals recorded with insufficient or out-of-date contact information",
            jurisdiction=J,
        )
        return
    started = ctx.facts.substitute_notice_started_on
    if unreachable >= SUBSTITUTE_THRESHOLD:
        recipient = (
            "Substitute notice (home-page posting or major print/broadcast media, plus toll-free "
            "number)"
        )
        reason = (
            f"{unreachable} people cannot be reached (10 or more): post conspicuously on the home "
            f"page for 90 days or give notice in major print or broadcast media, with a toll-free "
            f"number active at least 90 days, within the individual-notice deadline."
        )
        citation = "45 CFR 164.404(d)(2)(ii)"
        keep_until = started + timedelta(days=SUBSTITUTE_POSTING_DAYS) if started else None
    else:
        recipient = "Substitute notice (alternative written notice, telephone or other means)"
        reason = (
            f"{unreachable} people cannot be reached (fewer than 10): reach them by alternative "
            f"written notice, telephone or other means, within the individual-notice deadline."
        )
        citation = "45 CFR 164.404(d)(2)(i)"
        keep_until = None
    yield ctx.add(
        Obligation(
            "F2",
            J,
            recipient,
            citation,
            reason,
            f1.due,
            f1.status,
            alt_due=f1.alt_due,
            alt_due_reason=f1.alt_due_reason,
            keep_until=keep_until,
            party=ctx.owner_party,
            due_basis="within the individual-notice deadline (F1)",
        )
    )


def _media(ctx: Context) -> Iterator[Outcome]:
    """164.406(a): a breach involving more than 500 residents of a State or jurisdiction."""
    f1 = ctx.get("F1")
    if f1 is None:
        yield _not_owed(ctx, "F3") or NotRequired("F3", "no individual notice is owed", None, J)
        return
    states = ctx.facts.affected_by_state
    qualifying = [(s, n) for s, n in states if n > MEDIA_THRESHOLD]
    if not qualifying:
        largest = max(states, key=lambda sn: sn[1], default=None)
        detail = f" (largest: {largest[0]} {largest[1]})" if largest else ""
        yield NotRequired(
            "F3",
            f"Media notice not required: no State has more than 500 affected residents{detail} "
            f"(164.406(a))",
            jurisdiction=J,
        )
        return
    for state, count in states:
        if count <= MEDIA_THRESHOLD:
            yield NotRequired(
                "F3", f"{count} {state} residents is not more than 500 (164.406(a))", state, J
            )
            continue
        yield ctx.add(
            Obligation(
                "F3",
                J,
                f"Prominent media serving {state}",
                "45 CFR 164.406",
                (
                    f"{count} residents of {state} is more than 500: notify prominent media "
                    f"outlets serving {state}, with the content of 164.404(c), no later than 60 "
                    f"calendar days after discovery; {NO_ROLL}."
                ),
                f1.due,
                f1.status,
                state=state,
                alt_due=f1.alt_due,
                alt_due_reason=f1.alt_due_reason,
                party=ctx.owner_party,
                due_basis="60 calendar days after discovery (as F1)",
            )
        )


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
    if (no := _not_owed(ctx, "F4")) is not None:
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
    if (no := _not_owed(ctx, "F5")) is not None:
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


_NOT_A_BA = (NotRequired("F6", "the entity is not a business associate", jurisdiction=J),)
_NO_STATEMENT = (NotRequired("F7", "no law-enforcement statement is recorded", jurisdiction=J),)


def _business_associate(ctx: Context) -> Iterable[Outcome]:
    """164.410(a), (b): a business associate that discovers a breach of unsecured PHI."""
    if not ctx.is_business_associate:
        return _NOT_A_BA  # most incidents: answered without building anything
    return _business_associate_breach(ctx)


def _business_associate_breach(ctx: Context) -> Iterator[Outcome]:
    if not ctx.hipaa.notify:
        yield NotRequired("F6", ctx.hipaa.why_not or "no breach", jurisdiction=J)
        return
    start = ctx.facts.discovered_on
    strict = calendar_days_after(start, INDIVIDUAL_DAYS)
    due, alt, alt_reason = ctx.hold_adjusted(strict)
    yield ctx.add(
        Obligation(
            "F6",
            J,
            "Covered entity (from BA)",
            "45 CFR 164.410(b); 164.412",
            f"Tell the covered entity without unreasonable delay and no later than 60 calendar "
            f"days after the business associate's discovery on {start}, identifying each "
            f"affected individual (164.410(c)); {NO_ROLL}." + _told(ctx),
            due,
            Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            party=Party.BUSINESS_ASSOCIATE,
            due_basis="60 calendar days after the BA's discovery",
        )
    )


def _told(ctx: Context) -> str:
    """When each covered entity was told, as recorded."""
    f = ctx.facts
    if f.ce_clients:
        each = [f"{name} on {told}" if told else f"{name} not yet" for name, told in f.ce_clients]
        return f" Each covered-entity client is told: {'; '.join(each)}."
    return f" Recorded as told on {f.ce_notified_by_ba_on}." if f.ce_notified_by_ba_on else ""


def _hold_statement(ctx: Context) -> Iterable[Outcome]:
    """164.412(b): an oral statement must be documented, with the official's identity."""
    return _NO_STATEMENT if not ctx.facts.holds else _statements(ctx)


def _statements(ctx: Context) -> Iterator[Outcome]:
    holds = ctx.facts.holds
    oral = sorted(h.statement_date for h in holds if h.form is HoldForm.ORAL and h.statement_date)
    assert ctx.hold is not None
    reason = (
        f"A law-enforcement statement delays the notices until {ctx.hold.end}. "
        + (_governing(ctx) if len(holds) > 1 else "")
        + (
            "Document each oral statement, including the official's identity, when it is made; "
            "an oral hold lasts no longer than 30 days unless a written statement follows."
            if oral
            else "Keep the written statement, which specifies the period, with the incident."
        )
    )
    yield ctx.add(
        Obligation(
            "F7",
            J,
            "Internal record: law-enforcement statement",
            "45 CFR 164.412",
            reason,
            oral[0] if oral else None,
            Status.DATED if oral else Status.RECORD,
            kind=DeadlineKind.RECORD,
            retain_years=RETAIN_YEARS,
            not_before=None,
            due_basis="the day of the oral statement" if oral else None,
        )
    )


def _governing(ctx: Context) -> str:
    """Which of several statements sets the hold (164.412(a), (b))."""
    governing = governing_hold(ctx.facts.holds)
    assert governing is not None
    return (
        f"Of {len(ctx.facts.holds)} statements, the {governing.form.value} one of "
        f"{governing.statement_date} governs: the latest written statement sets the period and "
        "may extend or shorten an earlier one (164.412(a)); an oral statement alone lasts at most "
        "30 days from its date (164.412(b)). "
    )


def _documentation(ctx: Context) -> Iterator[Outcome]:
    """164.414(b), 164.530(j)(2): the entity bears the burden of proof; keep the record 6 years."""
    yield ctx.add(
        Obligation(
            "F8",
            J,
            f"Internal record: {ctx.hipaa.record}",
            "45 CFR 164.414(b); 164.530(j)(2)",
            "The entity must be able to prove that every notice was made as required or that "
            "there was no breach: keep the determination, risk assessment, notices and proof "
            "of sending for 6 years from creation or last effective date.",
            None,
            Status.RECORD,
            kind=DeadlineKind.RECORD,
            retain_years=RETAIN_YEARS,
        )
    )


def _part2(ctx: Context) -> Iterator[Outcome]:
    """42 CFR Part 2 (89 FR 12472): a breach of Part 2 records is reported to HHS separately."""
    if not ctx.facts.part2_program:
        yield NotRequired("P2", "the records are not 42 CFR Part 2 records", jurisdiction=J)
        return
    if (no := _not_owed(ctx, "P2")) is not None:
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

RULES: tuple[Rule, ...] = (
    Rule(
        "F1",
        J,
        "45 CFR 164.404",
        "Affected individuals",
        "A covered entity's breach of unsecured PHI: no 164.402(1) exception, not secured, "
        "no documented low probability of compromise.",
        "60 calendar days after discovery (164.404(a)(2)); no roll-forward",
        _individuals,
    ),
    Rule(
        "F2",
        J,
        "45 CFR 164.404(d)(2)",
        "Substitute notice",
        "Individuals whose contact information is insufficient or out of date: 10 or more, web "
        "posting 90 days or major media plus toll-free number; fewer, alternative means.",
        "within the F1 deadline",
        _substitute,
    ),
    Rule(
        "F3",
        J,
        "45 CFR 164.406",
        "Prominent media (one per State)",
        "More than 500 residents of one State or jurisdiction (500 is not enough).",
        "60 calendar days after discovery",
        _media,
    ),
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
    Rule(
        "F6",
        J,
        "45 CFR 164.410",
        "Covered entity (from business associate)",
        "A business associate discovers a breach of unsecured PHI.",
        "60 calendar days after the BA's discovery",
        _business_associate,
    ),
    Rule(
        "F7",
        J,
        "45 CFR 164.412",
        "All federal notices (hold)",
        "A law-enforcement official states that notice would impede an investigation.",
        "written: the period stated; oral: at most 30 days from the statement",
        _hold_statement,
    ),
    Rule(
        "F8",
        J,
        "45 CFR 164.414(b); 164.530(j)(2)",
        "Internal record",
        "Every incident: the burden of proof is the entity's.",
        "keep 6 years from creation or last effective date",
        _documentation,
    ),
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
