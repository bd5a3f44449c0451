"""New Jersey: N.J.S.A. 56:8-161 and 56:8-163 (P.L.2005, c.226; amended P.L.2019, c.95).

Described in docs/law/new-jersey.md; the NJ rows of the rule table are in docs/law/rules.md.
No NJ clock counts days: every NJ duty is "most expedient time possible and without unreasonable
delay" or "immediately" (`due` null); the State Police report must come before the customer notice.
Medical and health insurance data are not NJ "personal information".
"""

from __future__ import annotations

from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.jurisdictions.new_jersey import parameters as P
from incident_tracker.core.parameters import current, value_on
from incident_tracker.core.rules.base import Rule
from incident_tracker.core.rules.owner import owner_immediately
from incident_tracker.core.rules.shapes import BeforeNotice, Deadline, NoFixedDeadline
from incident_tracker.core.rules.terms import Terms, duty
from incident_tracker.core.vocabulary import NJ_PERSONAL, ONLINE_CREDENTIALS

J = "NJ"
EXPEDIENT = "most expedient time possible and without unreasonable delay"
AFTER_HOLD = (
    "after the law-enforcement agency says notice will no longer compromise the investigation "
    "(56:8-163(c)(2))"
)


def personal_information(ctx: Context) -> frozenset[str]:
    """56:8-161: first name or initial and last name linked with a listed element; or online
    credentials on their own."""
    elements = ctx.facts.data_elements
    found = set(elements & NJ_PERSONAL) if "name" in elements else set()
    if ONLINE_CREDENTIALS in elements:
        found.add(ONLINE_CREDENTIALS)
    return frozenset(found)


def why_no_breach(ctx: Context) -> str | None:
    """56:8-161: unauthorized access to unencrypted computerized personal information."""
    if ctx.residents("NJ") == 0:
        return "no New Jersey residents are affected"
    if ctx.facts.medium is Medium.PAPER:
        return "paper records: 56:8-161 covers computerized records only"
    if ctx.secured:
        return "the data were encrypted and the key was not compromised (56:8-161)"
    if ctx.good_faith_workforce_exception:
        return (
            "good-faith acquisition by an employee or agent for a legitimate business purpose, "
            "not misused, is not a 'breach of security' (56:8-161)"
        )
    if not personal_information(ctx):
        return (
            "NJ 'personal information' (56:8-161) = name + SSN, driver's licence/State ID, "
            "account/card number with access code, or online credentials; medical and health "
            "insurance data alone are not covered"
        )
    return None


def _why_no_customer_notice(ctx: Context) -> str | None:
    if (why := why_no_breach(ctx)) is not None:
        return why
    made = ctx.facts.nj_misuse_determination_on
    if made is not None:
        return (
            f"written determination of {made} that misuse of the information is not reasonably "
            "possible (56:8-163(a)): no customer notice; keep the determination 5 years"
        )
    return None


def _customers_reason(ctx: Context, d: Deadline) -> str:
    latest = (
        f" The same letter serves HIPAA, so its date {d.practical_latest} is the practical latest."
        if d.practical_latest
        else ""
    )
    return f"Notify NJ residents in the {d.standard}; the statute sets no day count.{latest}"


def _why_no_credit_agencies(ctx: Context) -> str | None:
    """56:8-163(f): more than 1,000 persons at one time (the threshold as of discovery)."""
    if (why := _why_no_customer_notice(ctx)) is not None:
        return why
    threshold = value_on(P.CRA_THRESHOLD, ctx.facts.discovered_on)
    assert threshold is not None
    count, total = ctx.residents("NJ"), ctx.facts.total_affected
    if count > threshold:
        return None
    other = (
        f"; counting everyone notified ({total:,}) would exceed {threshold:,} — an open question "
        "(docs/law/new-jersey.md)"
        if total > threshold
        else ""
    )
    return (
        f"{count:,} NJ residents is not more than {threshold:,} (56:8-163(f), counting NJ "
        f"residents){other}"
    )


def _credit_agencies_reason(ctx: Context, d: Deadline) -> str:
    threshold = value_on(P.CRA_THRESHOLD, ctx.facts.discovered_on)
    assert threshold is not None
    return (
        f"{ctx.residents('NJ'):,} NJ residents is more than {threshold:,}: tell all nationwide "
        "consumer reporting agencies the timing, distribution and content of the notices, "
        "without unreasonable delay."
    )


RULES: tuple[Rule, ...] = (
    # 56:8-163(c)(1): report to the Division of State Police in advance of customer notice.
    duty(
        Terms(
            "NJ1",
            J,
            "N.J.S.A. 56:8-163(c)(1)",
            "NJ Division of State Police",
            "NJ customer notice is required (as NJ2).",
            BeforeNotice(
                "NJ2", "NJ customer notice", "in advance of the disclosure to the customer"
            ),
            _why_no_customer_notice,
            reason=lambda ctx, d: (
                "Report the breach to the Division of State Police before notifying NJ customers "
                "(online NJCCIC form); there is no day count, only the order."
            ),
            clock="before the customer notice (NJ2)",
            practical_latest="F1",
        )
    ),
    # 56:8-163(a): notify NJ residents unless misuse is not reasonably possible (documented).
    duty(
        Terms(
            "NJ2",
            J,
            "N.J.S.A. 56:8-163(a)",
            "NJ residents (customers)",
            "Unauthorized access to NJ residents' unencrypted computerized personal information, "
            "unless misuse is not reasonably possible (written, kept 5 years).",
            NoFixedDeadline(EXPEDIENT),
            _why_no_customer_notice,
            reason=_customers_reason,
            clock="most expedient time possible, without unreasonable delay (no day count)",
            practical_latest="F1",
            after_hold=AFTER_HOLD,
        )
    ),
    duty(
        Terms(
            "NJ3",
            J,
            "N.J.S.A. 56:8-163(f)",
            "Nationwide consumer reporting agencies",
            f"More than {current(P.CRA_THRESHOLD):,} NJ residents notified at one time (default "
            "reading, docs/law/new-jersey.md).",
            NoFixedDeadline("without unreasonable delay"),
            _why_no_credit_agencies,
            reason=_credit_agencies_reason,
            addressee=f"Nationwide consumer reporting agencies (NJ, >{current(P.CRA_THRESHOLD):,})",
        )
    ),
    # 56:8-163(b): a business that maintains data for another notifies the owner immediately.
    owner_immediately(
        "NJ4",
        "N.J.S.A. 56:8-163(b)",
        "A business maintaining NJ residents' personal information it does not own.",
        why_no_breach,
    ),
)
