"""Notices the law puts in order: one must go before another.

The engine names the later notice in words on the earlier duty (`Obligation.must_precede`); this
maps those words to the rule ids of the duties that must wait, so a sending out of order can be
caught and shown. N.J.S.A. 56:8-163(c)(1): the Division of State Police is told "in advance of
the disclosure to the customer" (NJ1 before NJ2).
"""

from __future__ import annotations

from collections.abc import Mapping

FOLLOWERS: Mapping[str, tuple[str, ...]] = {
    "NJ customer notice": ("NJ2",),
}


def followers(must_precede: str | None) -> tuple[str, ...]:
    """The rule ids that must wait for a duty whose terms say it must precede `must_precede`."""
    if not must_precede:
        return ()
    return FOLLOWERS[must_precede]  # a KeyError here means the map lags the engine (tested)
