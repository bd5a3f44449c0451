"""Rules built from deadline shapes (core/rules/shapes.py): each shape's date computed by hand.

The duties here are fictional ("XX"), built as a new jurisdiction's would be; the numbers and
calendars are real ones (the NY GCL § 24 calendar, 23 NYCRR 500.17's New York time)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from incident_tracker.core.context import Context
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.jurisdictions.federal import rules as federal
from incident_tracker.core.jurisdictions.new_york.business_days import NY_BUSINESS_DAYS
from incident_tracker.core.obligations import NotRequired, Obligation, Status
from incident_tracker.core.parameters import BUSINESS_DAYS, CALENDAR_DAYS, HOURS, Value, dated
from incident_tracker.core.rules.shapes import (
    BeforeNotice,
    DaysAfter,
    HoursAfter,
    NoFixedDeadline,
    Shape,
    WithNotice,
)
from incident_tracker.core.rules.terms import Terms, duty
from tests.factories import incident

THIRTY = dated("xx.days", "XX", CALENDAR_DAYS, Value(None, 30, "fictional § 1"))
FIVE = dated("xx.business_days", "XX", BUSINESS_DAYS, Value(None, 5, "fictional § 2"))
TWENTY_FOUR = dated("xx.hours", "XX", HOURS, Value(None, 24, "fictional § 3"))


def evaluate(
    shape: Shape, words: dict[str, Any] | None = None, **over: Any
) -> Obligation | NotRequired:
    """The federal rules first (their dates anchor other notices), then the shaped duty (with
    the optional `words` of its Terms)."""
    ctx = Context.build(parse_incident(incident(**over)))
    for rule in federal.RULES:
        if rule.applies_on(ctx.facts.discovered_on):
            list(rule.evaluate(ctx))
    terms = Terms(
        "XX1",
        "XX",
        "fictional § 1",
        "XX residents",
        "any XX resident",
        shape,
        lambda c: None if c.residents("PA") else "no PA residents",
        **(words or {}),
    )
    (outcome,) = duty(terms).evaluate(ctx)
    return outcome


def test_calendar_days_after_discovery() -> None:
    """Discovered 2026-02-10 (the factory's date): Feb 10 + 18 = Feb 28, + 12 = Mar 12."""
    ob = evaluate(DaysAfter(THIRTY))
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.status, ob.due_basis) == (
        date(2026, 3, 12),
        Status.DATED,
        "30 calendar days after discovery",
    )


def test_business_days_after_another_notice() -> None:
    """F4 (500 or more affected, 45 CFR 164.408(b)) is due with F1, 60 days after discovery
    2026-02-10: Feb 10 + 18 = Feb 28, + 31 = Mar 31, + 11 = Apr 11 (a Saturday). Five NY
    business days after it: Apr 13, 14, 15, 16, 17 (no GCL § 24 holiday) = Apr 17."""
    ob = evaluate(DaysAfter(FIVE, anchor="F4", calendar=NY_BUSINESS_DAYS),
                  affected_by_state={"PA": 600})  # fmt: skip
    assert isinstance(ob, Obligation)
    assert ob.due == date(2026, 4, 17)


def test_with_another_notice() -> None:
    """Due with F1: 2026-02-10 + 60 days = 2026-04-11 (45 CFR 164.404(b)), waiting for it."""
    ob = evaluate(WithNotice("F1"))
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.status, ob.waiting_for) == (date(2026, 4, 11), Status.WAITING, "F1")


def test_no_fixed_deadline() -> None:
    ob = evaluate(NoFixedDeadline("most expedient time possible"))
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.status) == (None, Status.NO_FIXED_DEADLINE)
    assert ob.standard == "most expedient time possible"


def test_hours_from_an_instant_in_new_york_time() -> None:
    """24 hours from 2026-10-31T21:15-04:00 is 2026-11-01T21:15-04:00; daylight saving time ends
    at 02:00 on 2026-11-01, so the New York clock then reads 20:15-05:00."""
    york = ZoneInfo("America/New_York")
    shape = HoursAfter(TWENTY_FOUR, lambda f: f.dfs_determined_at, york, "determination")
    ob = evaluate(shape, dfs_determined_at="2026-10-31T21:15:00-04:00")
    assert isinstance(ob, Obligation)
    assert ob.due_at == datetime(2026, 11, 1, 20, 15, tzinfo=york)
    assert ob.due_at is not None and ob.due_at.utcoffset() is not None
    assert ob.due_at.isoformat() == "2026-11-01T20:15:00-05:00"
    assert ob.due == date(2026, 11, 1)


def test_not_owed_with_its_reason() -> None:
    out = evaluate(DaysAfter(THIRTY), affected_by_state={"OH": 5})
    assert isinstance(out, NotRequired)
    assert out.reason == "no PA residents"


def test_the_clock_in_words() -> None:
    assert DaysAfter(THIRTY).describe() == "30 calendar days after discovery"
    assert WithNotice("F1").describe() == "with the F1 notice, not delaying it"


# A written statement of 2026-02-12 delaying notice until 2026-04-20 (45 CFR 164.412(a)).
HOLD = {"form": "written", "statement_date": "2026-02-12", "delay_until": "2026-04-20"}


def test_before_another_notice_is_due_by_its_date() -> None:
    """F1 is due 2026-04-11 (60 days after 2026-02-10): the duty before it is due then too."""
    ob = evaluate(BeforeNotice("F1", "the individual notice"))
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.status, ob.must_precede) == (
        date(2026, 4, 11),
        Status.WAITING,
        "the individual notice",
    )


def test_a_hold_gives_its_standard_not_before_its_end() -> None:
    """With `after_hold`, a hold leaves no fixed date: the standard, from the hold's end."""
    shape = NoFixedDeadline("most expedient time possible")
    words = {"after_hold": "promptly after the hold", "practical_latest": "F1"}
    ob = evaluate(shape, words, law_enforcement_delay=HOLD)
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.standard, ob.not_before) == (
        None,
        "promptly after the hold",
        date(2026, 4, 20),
    )
    # F1 under the hold: the later of 2026-04-11 and the hold's end 2026-04-20.
    assert ob.practical_latest == date(2026, 4, 20)


def test_a_hold_moves_a_held_to_end_date_to_its_end() -> None:
    """30 days after 2026-02-10 is 2026-03-12; the hold runs to 2026-04-20, so due then; tolling
    the 67 days from 2026-02-12 to 2026-04-20 gives 2026-03-12 + 67 = 2026-05-18."""
    ob = evaluate(DaysAfter(THIRTY, held_to_end=True), law_enforcement_delay=HOLD)
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.alt_due) == (date(2026, 4, 20), date(2026, 5, 18))


def test_days_after_another_notice_once_sent() -> None:
    """Sent 2026-03-01: 30 days = 2026-03-31, dated; from F1's latest date 2026-04-11 it would
    have been 2026-05-11, the outer limit."""
    shape = DaysAfter(THIRTY, anchor="F1", sent=lambda f: f.notices_sent.individuals)
    ob = evaluate(shape, notices_sent={"individuals": "2026-03-01", "hhs": None})
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.status, ob.outer_limit) == (
        date(2026, 3, 31),
        Status.DATED,
        date(2026, 5, 11),
    )
    unsent = evaluate(shape)
    assert isinstance(unsent, Obligation)
    assert (unsent.due, unsent.status, unsent.waiting_for) == (
        date(2026, 5, 11),
        Status.WAITING,
        "F1",
    )


def test_hours_from_the_start_of_the_discovery_day_when_not_recorded() -> None:
    """72 hours from 2026-02-10 00:00 end with 2026-02-12 (no time: none was recorded)."""
    seventy_two = dated("xx.hours72", "XX", HOURS, Value(None, 72, "fictional § 4"))
    york = ZoneInfo("America/New_York")
    shape = HoursAfter(seventy_two, lambda f: f.dfs_determined_at, york, "x", assume_day_start=True)
    ob = evaluate(shape)
    assert isinstance(ob, Obligation)
    assert (ob.due, ob.due_at, ob.status) == (date(2026, 2, 12), None, Status.DATED)
