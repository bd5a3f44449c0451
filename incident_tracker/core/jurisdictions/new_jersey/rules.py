"""New Jersey: N.J.S.A. 56:8-161 and 56:8-163 (P.L.2005, c.226; amended P.L.2019, c.95).

Described in docs/law/new-jersey.md; the NJ rows of the rule table are in docs/law/rules.md.
No NJ clock counts days: every NJ duty is "most expedient time possible and without unreasonable
delay" or "immediately" (`due` null); the State Police report must come before the customer notice.
Medical and health insurance data are not NJ "personal information".
"""

from __future__ import annotations

from collections.abc import Iterator

from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.jurisdictions.new_jersey import parameters as P
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import current
from incident_tracker.core.rules.base import Outcome, Rule, owner_notice_immediately
from incident_tracker.core.vocabulary import NJ_PERSONAL, ONLINE_CREDENTIALS

J = "NJ"
CRA_THRESHOLD = current(P.CRA_THRESHOLD)  # 56:8-163(f): "more than 1,000 persons at one time"
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


def _customers_standard(ctx: Context) -> tuple[str, Obligation | None]:
    f1 = ctx.get("F1")
    if ctx.hold is not None:
        return AFTER_HOLD, f1
    return EXPEDIENT, f1


def _state_police(ctx: Context) -> Iterator[Outcome]:
    """56:8-163(c)(1): report to the Division of State Police in advance of customer notice."""
    if (why := _why_no_customer_notice(ctx)) is not None:
        yield NotRequired("NJ1", why, jurisdiction=J)
        return
    _, f1 = _customers_standard(ctx)
    yield ctx.add(
        Obligation(
            "NJ1",
            J,
            "NJ Division of State Police",
            "N.J.S.A. 56:8-163(c)(1)",
            "Report the breach to the Division of State Police before notifying NJ customers "
            "(online NJCCIC form); there is no day count, only the order.",
            None,
            Status.NO_FIXED_DEADLINE,
            must_precede="NJ customer notice",
            practical_latest=f1.due if f1 else None,
            party=ctx.owner_party,
            standard="in advance of the disclosure to the customer",
        )
    )


def _customers(ctx: Context) -> Iterator[Outcome]:
    """56:8-163(a): notify NJ residents unless misuse is not reasonably possible (documented)."""
    if (why := _why_no_customer_notice(ctx)) is not None:
        yield NotRequired("NJ2", why, jurisdiction=J)
        return
    standard, f1 = _customers_standard(ctx)
    latest = (
        f" The same letter serves HIPAA, so its date {f1.due} is the practical latest."
        if (f1 and f1.due)
        else ""
    )
    yield ctx.add(
        Obligation(
            "NJ2",
            J,
            "NJ residents (customers)",
            "N.J.S.A. 56:8-163(a)",
            f"Notify NJ residents in the {standard}; the statute sets no day count.{latest}",
            None,
            Status.NO_FIXED_DEADLINE,
            practical_latest=f1.due if f1 else None,
            not_before=ctx.hold.end if ctx.hold else None,
            party=ctx.owner_party,
            standard=standard,
        )
    )


def _credit_agencies(ctx: Context) -> Iterator[Outcome]:
    """56:8-163(f): more than 1,000 persons at one time: nationwide consumer reporting agencies."""
    if (why := _why_no_customer_notice(ctx)) is not None:
        yield NotRequired("NJ3", why, jurisdiction=J)
        return
    count, total = ctx.residents("NJ"), ctx.facts.total_affected
    if count <= CRA_THRESHOLD:
        other = (
            f"; counting everyone notified ({total:,}) would exceed 1,000 — an open question "
            "(docs/law/new-jersey.md)"
            if total > CRA_THRESHOLD
            else ""
        )
        yield NotRequired(
            "NJ3",
            f"{count:,} NJ residents is not more than 1,000 (56:8-163(f), counting NJ "
            f"residents){other}",
            jurisdiction=J,
        )
        return
    yield ctx.add(
        Obligation(
            "NJ3",
            J,
            "Nationwide consumer reporting agencies (NJ, >1,000)",
            "N.J.S.A. 56:8-163(f)",
            f"{count:,} NJ residents is more than 1,000: tell all nationwide consumer reporting "
            "agencies the timing, distribution and content of the notices, without unreasonable "
            "delay.",
            None,
            Status.NO_FIXED_DEADLINE,
            party=ctx.owner_party,
            standard="without unreasonable delay",
        )
    )


def _owner(ctx: Context) -> Iterator[Outcome]:
    """56:8-163(b): a business that maintains data for another notifies the owner immediately."""
    return owner_notice_immediately(ctx, "NJ4", "N.J.S.A. 56:8-163(b)", why_no_breach)


RULES: tuple[Rule, ...] = (
    Rule(
        "NJ1",
        J,
        "N.J.S.A. 56:8-163(c)(1)",
        "NJ Division of State Police",
        "NJ customer notice is required (as NJ2).",
        "before the customer notice (NJ2)",
        _state_police,
    ),
    Rule(
        "NJ2",
        J,
        "N.J.S.A. 56:8-163(a)",
        "NJ residents (customers)",
        "Unauthorized access to NJ residents' unencrypted computerized personal information, "
        "unless misuse is not reasonably possible (written, kept 5 years).",
        "most expedient time possible, without unreasonable delay (no day count)",
        _customers,
    ),
    Rule(
        "NJ3",
        J,
        "N.J.S.A. 56:8-163(f)",
        "Nationwide consumer reporting agencies",
        "More than 1,000 NJ residents notified at one time (default reading, "
        "docs/law/new-jersey.md).",
        "without unreasonable delay (no day count)",
        _credit_agencies,
    ),
    Rule(
        "NJ4",
        J,
        "N.J.S.A. 56:8-163(b)",
        "Data owner (from vendor or BA)",
        "A business maintaining NJ residents' personal information it does not own.",
        "immediately following discovery (no day count)",
        _owner,
    ),
)
