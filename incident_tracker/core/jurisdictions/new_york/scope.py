"""What New York's § 899-aa reaches: its "private information" (899-aa(1)(b)), when an incident
is a breach of the security of the system (899-aa(1)(c)), and the GCL § 25-a roll-forward shown
as `alt_due` (docs/law/new-york.md, docs/law/conventions.md)."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.facts import Medium
from incident_tracker.core.jurisdictions.new_york.business_days import NY_BUSINESS_DAYS
from incident_tracker.core.jurisdictions.new_york.parameters import SHIELD_ACT
from incident_tracker.core.vocabulary import (
    IDENTIFIERS,
    NY_MEDICAL_EFFECTIVE,
    NY_MEDICAL_EFFECTIVE_ALT,
    NY_PRIVATE_ALWAYS,
    NY_PRIVATE_FROM_2025,
    ONLINE_CREDENTIALS,
)

J = "NY"
AFTER_HOLD = (
    "promptly after the law-enforcement agency determines that notice no longer compromises "
    "the investigation (899-aa(4))"
)


def private_information(ctx: Context) -> tuple[frozenset[str], bool]:
    """899-aa(1)(b): the private-information elements present, and whether they depend on the
    disputed 2025-03-21 / 2025-03-25 effective date of the medical amendment [OPEN,
    docs/law/new-york.md]."""
    f = ctx.facts
    elements = f.data_elements
    found: set[str] = set()
    if elements & IDENTIFIERS:
        found |= elements & NY_PRIVATE_ALWAYS
        if f.discovered_on >= NY_MEDICAL_EFFECTIVE:
            found |= elements & NY_PRIVATE_FROM_2025
    if ONLINE_CREDENTIALS in elements:
        found.add(ONLINE_CREDENTIALS)
    disputed = (
        bool(found)
        and found <= NY_PRIVATE_FROM_2025
        and NY_MEDICAL_EFFECTIVE <= f.discovered_on < NY_MEDICAL_EFFECTIVE_ALT
    )
    return frozenset(found), disputed


def why_no_breach(ctx: Context) -> str | None:
    """899-aa(1)(c): unauthorized access to or acquisition of computerized private information."""
    f = ctx.facts
    if ctx.residents("NY") == 0:
        return "no New York residents are affected"
    if f.medium is Medium.PAPER:
        return "paper records: § 899-aa covers computerized data only (899-aa(1)(c))"
    if ctx.secured:
        return "the data were encrypted and the key was not compromised (899-aa(1)(b))"
    if ctx.good_faith_workforce_exception:
        return (
            "good-faith access by an employee or agent for business purposes, not further used or "
            "disclosed, is not a 'breach of the security of the system' (899-aa(1)(c))"
        )
    found, _ = private_information(ctx)
    if not found:
        later = (
            " (medical and health insurance information count only for discoveries on or "
            f"after {NY_MEDICAL_EFFECTIVE}, S2376-B)"
            if f.data_elements & NY_PRIVATE_FROM_2025
            else ""
        )
        return f"no 'private information' under 899-aa(1)(b) is involved{later}"
    return None


def determination_law(ctx: Context) -> date:
    """The day whose numbers govern a 899-aa(2)(a) determination: the discovery date. The clause
    came with the SHIELD Act; the tracker applies it to an earlier discovery too, with the
    SHIELD Act's numbers (as it always has)."""
    return max(ctx.facts.discovered_on, SHIELD_ACT)


def roll_forward(strict: date) -> tuple[date | None, str | None, str | None]:
    rolled = NY_BUSINESS_DAYS.next_business_day_on_or_after(strict)
    if rolled == strict:
        return None, None, None
    return (
        rolled,
        (
            f"N.Y. Gen. Constr. Law § 25-a: {strict} is a Saturday, Sunday or public holiday, so "
            "the act may be done on the next business day; tracker default is the strict date"
        ),
        NY_BUSINESS_DAYS.label(),
    )


def disputed_note(disputed: bool) -> str:
    if not disputed:
        return ""
    return (
        " Disputed: the medical and health insurance amendment took effect 2025-03-21 in most "
        "sources but 2025-03-25 in others (docs/law/new-york.md); the earlier date is applied."
    )
