"""The business associate's notice to the covered entity (F6, 164.410), law-enforcement statements
(F7, 164.412) and the documentation kept six years (F8, 164.414(b), 164.530(j))."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from incident_tracker.core.context import Context
from incident_tracker.core.facts import DeadlineKind, HoldForm, governing_hold
from incident_tracker.core.jurisdictions.federal import parameters as P
from incident_tracker.core.jurisdictions.federal.common import BA_CLOCK, NO_ROLL, J, number
from incident_tracker.core.obligations import NotRequired, Obligation, Party, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Outcome, Rule
from incident_tracker.core.rules.shapes import Deadline
from incident_tracker.core.rules.terms import Terms, duty

_NO_STATEMENT = (NotRequired("F7", "no law-enforcement statement is recorded", jurisdiction=J),)


def _why_not_the_business_associate(ctx: Context) -> str | None:
    """164.410(a), (b): a business associate that discovers a breach of unsecured PHI."""
    if not ctx.is_business_associate:
        return "the entity is not a business associate"
    if not ctx.hipaa.notify:
        return ctx.hipaa.why_not or "no breach"
    return None


def _business_associate_reason(ctx: Context, d: Deadline) -> str:
    return (
        f"Tell the covered entity without unreasonable delay and no later than {d.count} calendar "
        f"days after the business associate's discovery on {d.start}, identifying each "
        f"affected individual (164.410(c)); {NO_ROLL}." + _told(ctx)
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
            f"an oral hold lasts no longer than {number(P.ORAL_HOLD_DAYS, ctx)} days unless a "
            "written statement follows."
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
            retain_years=number(P.RETAIN_YEARS, ctx),
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
        f"{number(P.ORAL_HOLD_DAYS, ctx)} days from its date (164.412(b)). "
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
            f"of sending for {number(P.RETAIN_YEARS, ctx)} years from creation or last effective "
            "date.",
            None,
            Status.RECORD,
            kind=DeadlineKind.RECORD,
            retain_years=number(P.RETAIN_YEARS, ctx),
        )
    )


RECORD_RULES: tuple[Rule, ...] = (
    duty(
        Terms(
            "F6",
            J,
            "45 CFR 164.410",
            "Covered entity (from business associate)",
            "A business associate discovers a breach of unsecured PHI.",
            BA_CLOCK,
            _why_not_the_business_associate,
            reason=_business_associate_reason,
            addressee="Covered entity (from BA)",
            cites="45 CFR 164.410(b); 164.412",
            party=Party.BUSINESS_ASSOCIATE,
        )
    ),
    Rule(
        "F7",
        J,
        "45 CFR 164.412",
        "All federal notices (hold)",
        "A law-enforcement official states that notice would impede an investigation.",
        f"written: the period stated; oral: at most {current(P.ORAL_HOLD_DAYS)} days from the "
        "statement",
        _hold_statement,
    ),
    Rule(
        "F8",
        J,
        "45 CFR 164.414(b); 164.530(j)(2)",
        "Internal record",
        "Every incident: the burden of proof is the entity's.",
        f"keep {current(P.RETAIN_YEARS)} years from creation or last effective date",
        _documentation,
    ),
)
