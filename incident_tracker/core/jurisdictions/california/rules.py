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

from datetime import timedelta

from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.jurisdictions.california import cdph
from incident_tracker.core.jurisdictions.california import parameters as P
from incident_tracker.core.jurisdictions.california.judicial_holidays import judicial_roll_forward
from incident_tracker.core.jurisdictions.federal.common import owner_discovery
from incident_tracker.core.parameters import counted, current, value_on
from incident_tracker.core.rules.base import Effective, Rule
from incident_tracker.core.rules.owner import owner_immediately
from incident_tracker.core.rules.shapes import DaysAfter, Deadline, NoFixedDeadline, delayed, rolled
from incident_tracker.core.rules.terms import Terms, duty
from incident_tracker.core.vocabulary import CA_PERSONAL, ONLINE_CREDENTIALS

J = "CA"
SB_446 = P.SB_446
# The day counts of 1798.82(a)(2)(A) and (f) and the (f) threshold are read for each discovery
# date (no day count before SB 446).
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


# 1798.82(a)(2)(A): calendar days from the owner's discovery (a HIPAA covered entity's, through
# its business associate); a date on a judicial holiday may roll forward (CCP §§ 12a, 135).
RESIDENT_CLOCK = DaysAfter(
    P.RESIDENT_DAYS, start=owner_discovery, other_reading=rolled(judicial_roll_forward)
)


def _residents_before_the_amendment(ctx: Context, d: Deadline) -> str:
    return delayed(d) or (
        f"Discovered before SB 446 took effect on {SB_446}: notify in the {EXPEDIENT} (no day "
        "count)."
    )


def _residents_reason(ctx: Context, d: Deadline) -> str:
    return delayed(d) or (
        f"Notify affected CA residents within {d.count} calendar days of discovery or "
        f"notification of the breach on {d.start}; delay is allowed only for law enforcement "
        "or to determine the scope and restore the system ((a)(2)(B)), documented. HIPAA "
        "covered entities are bound too."
    )


def _why_no_ag_copy(ctx: Context) -> str | None:
    """1798.82(f): a sample copy to the AG when more than 500 CA residents are notified."""
    if ctx.get("CA1") is None:
        return why_no_breach(ctx) or "no CA resident notice"
    count = ctx.residents("CA")
    threshold = value_on(P.AG_THRESHOLD, ctx.facts.discovered_on)
    assert threshold is not None
    if count <= threshold:
        return f"{count} is not 'more than {threshold} California residents' (1798.82(f))"
    return None


def _ag_copy(ctx: Context) -> str:
    threshold = value_on(P.AG_THRESHOLD, ctx.facts.discovered_on)
    assert threshold is not None
    return (
        f"{ctx.residents('CA'):,} CA residents is more than {threshold}: submit one sample copy "
        "of the notice, without personal information, to the Attorney General electronically"
    )


def _ag_reason(ctx: Context, d: Deadline) -> str:
    what = _ag_copy(ctx)
    if d.count is None:
        return f"{what}; before SB 446 there is no day count."
    if d.due is None:
        return f"{what}, within {d.count} calendar days of notifying consumers."
    if d.sent:
        return f"{what}, within {d.count} calendar days of notifying consumers on {d.sent}."
    return (
        f"{what}, within {d.count} calendar days of notifying consumers; until they are "
        f"notified, counted from {d.start}."
    )


def _ag_basis(ctx: Context, d: Deadline) -> str | None:
    if d.due is None:
        return None
    basis = f"{d.count} calendar days after consumer notice"
    if d.sent:
        return basis
    return basis + " (computed from the latest permitted CA notice date)"


# 1798.82(f): counted from the consumer notice once sent, else from CA1's latest date.
AG_CLOCK = DaysAfter(
    P.AG_DAYS,
    anchor="CA1",
    since="the consumer notice",
    other_reading=rolled(judicial_roll_forward),
    sent=lambda f: f.notices_sent.ca_residents or f.notices_sent.individuals,
)

BEFORE_SB_446 = Effective(end=SB_446 - timedelta(days=1))
FROM_SB_446 = Effective(start=SB_446)
RESIDENTS = "CA residents"
RESIDENTS_TRIGGER = (
    "Unauthorized acquisition of CA residents' unencrypted computerized personal "
    "information (no risk-of-harm exception; HIPAA covered entities included)."
)
AG = "California Attorney General (sample copy)"
AG_TRIGGER = (
    f"More than {current(P.AG_THRESHOLD)} CA residents notified as a result of one breach "
    f"({current(P.AG_THRESHOLD)} is not enough)."
)

RULES: tuple[Rule, ...] = (
    # 1798.82(a): notify CA residents; HIPAA covered entities are included ((e) deems only the
    # content of a HITECH notice compliant). Before SB 446 no day count; its count is the other
    # reading (docs/law/california.md). With no fixed date, the HIPAA date is the practical
    # latest for the same letter (docs/law/conventions.md).
    duty(
        Terms(
            "CA1",
            J,
            "Cal. Civ. Code 1798.82(a)",
            RESIDENTS,
            RESIDENTS_TRIGGER,
            NoFixedDeadline(
                EXPEDIENT,
                alternative=RESIDENT_CLOCK,
                alternative_on=SB_446,
                alternative_why=(
                    f"if SB 446's {value_on(P.RESIDENT_DAYS, SB_446)}-day rule is applied to "
                    f"notices still outstanding on {SB_446} (unsettled, docs/law/california.md)"
                ),
            ),
            why_no_breach,
            reason=_residents_before_the_amendment,
            cites="Cal. Civ. Code 1798.82(a) (before SB 446)",
            clock="most expedient time possible, no day count",
            practical_latest="F1",
            after_hold=AFTER_HOLD,
            hold_citation="Cal. Civ. Code 1798.82(c)",
        ),
        BEFORE_SB_446,
        version=1,
    ),
    duty(
        Terms(
            "CA1",
            J,
            "Cal. Civ. Code 1798.82(a)(2) (SB 446)",
            RESIDENTS,
            "As version 1.",
            RESIDENT_CLOCK,
            why_no_breach,
            reason=_residents_reason,
            cites="Cal. Civ. Code 1798.82(a)(2)(A)",
            clock=f"{counted(P.RESIDENT_DAYS, SB_446)} calendar days after discovery or "
            "notification",
            practical_latest="F1",
            after_hold=AFTER_HOLD,
            hold_citation="Cal. Civ. Code 1798.82(c)",
        ),
        FROM_SB_446,
        version=2,
    ),
    duty(
        Terms(
            "CA2",
            J,
            "Cal. Civ. Code 1798.82(f)",
            AG,
            AG_TRIGGER,
            AG_CLOCK,
            _why_no_ag_copy,
            reason=_ag_reason,
            addressee="California Attorney General (sample notice)",
            cites="Cal. Civ. Code 1798.82(f) (before SB 446)",
            clock="no day count",
        ),
        BEFORE_SB_446,
        version=1,
    ),
    duty(
        Terms(
            "CA2",
            J,
            "Cal. Civ. Code 1798.82(f) (SB 446)",
            AG,
            "As version 1.",
            AG_CLOCK,
            _why_no_ag_copy,
            reason=_ag_reason,
            basis=_ag_basis,
            addressee="California Attorney General (sample notice)",
            cites="Cal. Civ. Code 1798.82(f)",
            clock=f"{counted(P.AG_DAYS, SB_446)} calendar days after the consumer notice (CA1)",
        ),
        FROM_SB_446,
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
