"""California: Cal. Civ. Code § 1798.82 (as amended by SB 446, Stats. 2025, ch. 319) and Cal.
Health & Safety Code § 1280.15 with 22 CCR §§ 79900-79905 (cdph.py).

Described in docs/law/california.md; the CA rows of the rule table are in docs/law/rules.md.
Business days are CalHR state-office days (business_days.py); the Gov. Code § 6700 days on which
offices stay open count as business days (the earlier date), and the other reading is `alt_due`.
A calendar-day period ending on a Saturday, Sunday or judicial holiday (CCP § 135,
judicial_holidays.py) may roll forward under Civ. Code § 10 and CCP §§ 12, 12a: shown only as
`alt_due` (docs/law/conventions.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from incident_tracker.core.calendar import calendar_days_after
from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.jurisdictions.california import cdph
from incident_tracker.core.jurisdictions.california import parameters as P
from incident_tracker.core.jurisdictions.california.judicial_holidays import judicial_roll_forward
from incident_tracker.core.jurisdictions.federal.common import covered_entity_discovery
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import counted, current, value_on
from incident_tracker.core.rules.base import Effective, Outcome, Rule
from incident_tracker.core.rules.owner import owner_immediately
from incident_tracker.core.vocabulary import CA_PERSONAL, ONLINE_CREDENTIALS

J = "CA"
SB_446 = P.SB_446
_SB_446_DAYS = value_on(P.RESIDENT_DAYS, SB_446)  # 1798.82(a)(2)(A) as SB 446 enacted it
assert _SB_446_DAYS is not None
SB_446_DAYS: int = _SB_446_DAYS
# The day counts of 1798.82(a)(2)(A) and (f) are read for each discovery date (none before SB 446).
AG_THRESHOLD = current(P.AG_THRESHOLD)  # 1798.82(f): "more than 500 California residents"
EXPEDIENT = "most expedient time possible and without unreasonable delay"
AFTER_HOLD = (
    "promptly once law enforcement determines notice will not compromise the investigation "
    "(1798.82(c))"
)


def personal_information(ctx: Context) -> frozenset[str]:
    """1798.82(h): name linked with a listed element (medical and health insurance information
    included); or online credentials on their own."""
    elements = ctx.facts.data_elements
    found = set(elements & CA_PERSONAL) if "name" in elements else set()
    if ONLINE_CREDENTIALS in elements:
        found.add(ONLINE_CREDENTIALS)
    return frozenset(found)


def why_no_breach(ctx: Context) -> str | None:
    """1798.82(g): unauthorized acquisition of unencrypted computerized personal information."""
    f = ctx.facts
    if ctx.residents("CA") == 0:
        return "no California residents are affected"
    if f.medium is Medium.PAPER:
        return "paper records: 1798.82 covers computerized data only"
    if ctx.secured:
        return (
            "1798.82 applies to unencrypted data or encrypted data whose key or credential was "
            "also acquired"
        )
    if f.acquired is False:
        return (
            "view-only access is not 'acquisition' (1798.82(g)); re-evaluate if data were copied "
            "or exported (docs/law/california.md)"
        )
    if ctx.good_faith_workforce_exception:
        return (
            "good-faith acquisition by an employee or agent for the business's purposes, not "
            "further used or disclosed, is not a breach (1798.82(g))"
        )
    if not personal_information(ctx):
        return "no 'personal information' under 1798.82(h) is involved"
    return None


def _roll_forward(strict: date) -> tuple[date | None, str | None, str | None]:
    """A calendar-day deadline rolls forward over judicial holidays (CCP §§ 12a, 135), not over
    the CalHR closures the business-day counts use."""
    return judicial_roll_forward(strict)


def _residents(ctx: Context) -> Iterator[Outcome]:
    """1798.82(a): notify CA residents; HIPAA covered entities are included ((e) deems only the
    content of a HITECH notice compliant)."""
    if (why := why_no_breach(ctx)) is not None:
        yield NotRequired("CA1", why, jurisdiction=J)
        return
    start = (
        covered_entity_discovery(ctx)[0]
        if ctx.has_covered_entity_duties
        else ctx.facts.discovered_on
    )
    days = value_on(P.RESIDENT_DAYS, ctx.facts.discovered_on)
    strict = calendar_days_after(start, SB_446_DAYS if days is None else days)
    f1 = ctx.get("F1")
    # docs/law/conventions.md: with no fixed date, the HIPAA 60-day date is the practical latest
    # for the
    # same letter.
    latest = f1.due if f1 else None
    if ctx.hold is not None:
        yield ctx.add(
            Obligation(
                "CA1",
                citation="Cal. Civ. Code 1798.82(c)",
                reason=f"Notice is delayed at law enforcement's request until {ctx.hold.end}; "
                f"then notify {AFTER_HOLD}.",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                not_before=ctx.hold.end,
                standard=AFTER_HOLD,
                practical_latest=latest,
                party=ctx.owner_party,
                recipient="CA residents",
                jurisdiction=J,
            )
        )
        return
    if days is None:
        yield ctx.add(
            Obligation(
                "CA1",
                citation="Cal. Civ. Code 1798.82(a) (before SB 446)",
                reason=f"Discovered before SB 446 took effect on {SB_446}: notify in the "
                f"{EXPEDIENT} (no day count).",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                standard=EXPEDIENT,
                practical_latest=latest,
                alt_due=strict,
                alt_due_reason=(
                    f"if SB 446's {SB_446_DAYS}-day rule is applied to notices still outstanding "
                    "on 2026-01-01 (unsettled, docs/law/california.md)"
                ),
                party=ctx.owner_party,
                recipient="CA residents",
                jurisdiction=J,
            )
        )
        return
    alt, alt_reason, cal = _roll_forward(strict)
    yield ctx.add(
        Obligation(
            "CA1",
            citation="Cal. Civ. Code 1798.82(a)(2)(A)",
            reason=f"Notify affected CA residents within {days} calendar days of discovery or "
            f"notification of the breach on {start}; delay is allowed only for law enforcement "
            "or to determine the scope and restore the system ((a)(2)(B)), documented. HIPAA "
            "covered entities are bound too.",
            due=strict,
            status=Status.DATED,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            due_basis=f"{days} calendar days after discovery",
            party=ctx.owner_party,
            recipient="CA residents",
            jurisdiction=J,
        )
    )


def _attorney_general(ctx: Context) -> Iterator[Outcome]:
    """1798.82(f): a sample copy to the AG when more than 500 CA residents are notified."""
    ca1 = ctx.get("CA1")
    count = ctx.residents("CA")
    if ca1 is None:
        yield NotRequired("CA2", why_no_breach(ctx) or "no CA resident notice", jurisdiction=J)
        return
    if count <= AG_THRESHOLD:
        yield NotRequired(
            "CA2",
            f"{count} is not 'more than 500 California residents' (1798.82(f))",
            jurisdiction=J,
        )
        return
    recipient = "California Attorney General (sample notice)"
    what = (
        f"{count:,} CA residents is more than 500: submit one sample copy of the notice, "
        "without personal information, to the Attorney General electronically"
    )
    days = value_on(P.AG_DAYS, ctx.facts.discovered_on)
    if days is None:
        yield ctx.add(
            Obligation(
                "CA2",
                citation="Cal. Civ. Code 1798.82(f) (before SB 446)",
                reason=f"{what}; before SB 446 there is no day count.",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                standard="no day count",
                party=ctx.owner_party,
                recipient=recipient,
                jurisdiction=J,
            )
        )
        return
    sent = ctx.facts.notices_sent.ca_residents or ctx.facts.notices_sent.individuals
    if ca1.due is None and sent is None:
        yield ctx.add(
            Obligation(
                "CA2",
                citation="Cal. Civ. Code 1798.82(f)",
                reason=f"{what}, within {days} calendar days of notifying consumers.",
                due=None,
                status=Status.NO_FIXED_DEADLINE,
                not_before=ca1.not_before,
                standard=f"{days} calendar days after the consumer notice",
                waiting_for="CA1",
                party=ctx.owner_party,
                recipient=recipient,
                jurisdiction=J,
            )
        )
        return
    outer = calendar_days_after(ca1.due, days) if ca1.due else None
    anchor = sent or ca1.due
    assert anchor is not None
    strict = calendar_days_after(anchor, days)
    alt, alt_reason, cal = _roll_forward(strict)
    basis = (
        f"{days} calendar days after consumer notice"
        if sent
        else f"{days} calendar days after consumer notice (computed from the latest permitted CA "
        "notice date)"
    )
    yield ctx.add(
        Obligation(
            "CA2",
            citation="Cal. Civ. Code 1798.82(f)",
            reason=f"{what}, within {days} calendar days of notifying consumers"
            + (f" on {sent}." if sent else f"; until they are notified, counted from {anchor}."),
            due=strict,
            status=Status.DATED if sent else Status.WAITING,
            alt_due=alt,
            alt_due_reason=alt_reason,
            calendar=cal,
            outer_limit=outer if sent and outer != strict else None,
            due_basis=basis,
            waiting_for=None if sent else "CA1",
            party=ctx.owner_party,
            recipient=recipient,
            jurisdiction=J,
        )
    )


BEFORE_SB_446 = Effective(end=SB_446 - timedelta(days=1))
FROM_SB_446 = Effective(start=SB_446)

RULES: tuple[Rule, ...] = (
    Rule(
        "CA1",
        J,
        "Cal. Civ. Code 1798.82(a)",
        "CA residents",
        "Unauthorized acquisition of CA residents' unencrypted computerized personal "
        "information (no risk-of-harm exception; HIPAA covered entities included).",
        "most expedient time possible, no day count",
        _residents,
        effective=BEFORE_SB_446,
        version=1,
    ),
    Rule(
        "CA1",
        J,
        "Cal. Civ. Code 1798.82(a)(2) (SB 446)",
        "CA residents",
        "As version 1.",
        f"{counted(P.RESIDENT_DAYS, SB_446)} calendar days after discovery or notification",
        _residents,
        effective=FROM_SB_446,
        version=2,
    ),
    Rule(
        "CA2",
        J,
        "Cal. Civ. Code 1798.82(f)",
        "California Attorney General (sample copy)",
        "More than 500 CA residents notified as a result of one breach (500 is not enough).",
        "no day count",
        _attorney_general,
        effective=BEFORE_SB_446,
        version=1,
    ),
    Rule(
        "CA2",
        J,
        "Cal. Civ. Code 1798.82(f) (SB 446)",
        "California Attorney General (sample copy)",
        "As version 1.",
        f"{counted(P.AG_DAYS, SB_446)} calendar days after the consumer notice (CA1)",
        _attorney_general,
        effective=FROM_SB_446,
        version=2,
    ),
    # 1798.82(b): a business that maintains data it does not own notifies the owner.
    owner_immediately(
        "CA3",
        "Cal. Civ. Code 1798.82(b)",
        "A business maintaining CA residents' computerized personal information it does not own.",
        why_no_breach,
    ),
    *cdph.RULES,
)
