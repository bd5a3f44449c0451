"""The duties of a triggered jurisdiction, kept by the facts the interpreter reads.

The same incident is computed again on every page, reminder and document that lists it; its State
duties depend only on the facts named in `facts_read` (with the jurisdiction), so a second
computation takes them from here. `tests/core/states/test_memo.py` checks that incidents one fact
apart get their own duties.
"""

from __future__ import annotations

from collections.abc import Hashable

from incident_tracker.core.context import Context
from incident_tracker.core.obligations import Obligation
from incident_tracker.core.rules.base import Outcome

# Bounded: emptied when full (each entry is a few kilobytes).
LIMIT = 16_384
_KEPT: dict[tuple[Hashable, ...], tuple[Outcome, ...]] = {}


def facts_read(code: str, ctx: Context) -> tuple[Hashable, ...]:
    """Everything the interpreter reads once a jurisdiction's law is triggered (the trigger
    itself — scope, medium, safe harbor, acquisition, definition — is decided before)."""
    f = ctx.facts
    f1 = ctx.get("F1")
    hhs = ctx.get("F4") or ctx.get("F5")
    return (
        code,
        f.discovered_on,
        f.determined_on,
        f.medium,
        f.government_entity,
        f.insurance_licensee,
        f.total_affected,
        f.notices_sent.individuals,
        f.notices_sent.hhs,
        ctx.residents(code),
        ctx.has_covered_entity_duties,
        ctx.is_business_associate,
        ctx.owner_party,
        ctx.hipaa.notify,
        None if ctx.hold is None else ctx.hold.end,
        None if f1 is None else (f1.due, f1.status, f1.not_before),
        None if hhs is None else (hhs.rule_id, hhs.due),
    )


def recall(key: tuple[Hashable, ...], ctx: Context) -> list[Outcome] | None:
    """The kept duties for `key`, their obligations recorded in `ctx` as computing them would."""
    found = _KEPT.get(key)
    if found is None:
        return None
    for outcome in found:
        if type(outcome) is Obligation:
            ctx.add(outcome)
    return list(found)


def keep(key: tuple[Hashable, ...], outcomes: list[Outcome]) -> None:
    if len(_KEPT) >= LIMIT:
        _KEPT.clear()
    _KEPT[key] = tuple(outcomes)


def forget() -> None:
    """Empty the store (tests compare kept and freshly computed duties)."""
    _KEPT.clear()
