"""The reminder ladders, as a pure function of an obligation's terms and `now`.

The organisation is in America/New_York and reminders for dated duties go out at 09:00 local time:
14:00 UTC under EST (UTC-5) and 13:00 UTC under EDT (UTC-4). In 2027 daylight saving time starts
on Sunday 14 March and ends on Sunday 7 November. Every datetime below is counted by hand.
Unless a test says otherwise, the ladder is made at Monday 2026-11-23 09:00 UTC (04:00 local).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from incident_tracker.core.reminders import LadderSettings, Step, due_key, next_step, plan

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def utc(month: int, day: int, hour: int, year: int = 2027) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def dated(due: str, **over: Any) -> dict[str, Any]:
    return {"status": "dated", "kind": "legal", "due": due, "due_at": None, **over}


def steps(found: list[Step]) -> list[tuple[str, datetime, str]]:
    return [(s.offset, s.send_at.astimezone(UTC), s.kind) for s in found]


def at_now(found: list[Step], now: datetime = NOW) -> list[tuple[str, str]]:
    return [(s.offset, s.kind) for s in found if s.send_at <= now]


def test_day_clock_reminds_14_7_3_1_days_before_on_the_due_day_then_overdue_across_dst() -> None:
    """Due Saturday 2027-03-20: d-14 and d-7 fall under EST, d-3 onwards under EDT (DST starts
    2027-03-14), each at 09:00 New York time; then daily for 3 days and the first weekly step
    10 days after the due day (3 daily + 7), all at 09:00 local."""
    assert steps(plan(dated("2027-03-20"), NOW, NY)) == [
        ("d-14", utc(3, 6, 14), "due_soon"),
        ("d-7", utc(3, 13, 14), "due_soon"),
        ("d-3", utc(3, 17, 13), "due_soon"),
        ("d-1", utc(3, 19, 13), "due_soon"),
        ("d0", utc(3, 20, 13), "due"),
        ("o+1", utc(3, 21, 13), "overdue"),
        ("o+2", utc(3, 22, 13), "overdue"),
        ("o+3", utc(3, 23, 13), "overdue"),
        ("o+w1", utc(3, 30, 13), "overdue"),
    ]


def test_day_clock_at_the_autumn_change_keeps_09_00_local_time() -> None:
    """Due Wednesday 2027-11-10: d-14 (27 Oct) and d-7 (3 Nov) under EDT at 13:00 UTC; from d-3
    (Sunday 7 Nov, the day DST ends) at 14:00 UTC."""
    assert steps(plan(dated("2027-11-10"), NOW, NY)) == [
        ("d-14", utc(10, 27, 13), "due_soon"),
        ("d-7", utc(11, 3, 13), "due_soon"),
        ("d-3", utc(11, 7, 14), "due_soon"),
        ("d-1", utc(11, 9, 14), "due_soon"),
        ("d0", utc(11, 10, 14), "due"),
        ("o+1", utc(11, 11, 14), "overdue"),
        ("o+2", utc(11, 12, 14), "overdue"),
        ("o+3", utc(11, 13, 14), "overdue"),
        ("o+w1", utc(11, 20, 14), "overdue"),
    ]


def test_overdue_steps_move_with_the_clock_change_right_after_the_due_day() -> None:
    """Due Saturday 2027-03-13 (EST, 14:00 UTC); o+1 is Sunday 14 March, the first EDT day, so
    09:00 local is 13:00 UTC: wall-clock days, not 24-hour periods."""
    found = steps(plan(dated("2027-03-13"), NOW, NY))
    assert found[4:] == [
        ("d0", utc(3, 13, 14), "due"),
        ("o+1", utc(3, 14, 13), "overdue"),
        ("o+2", utc(3, 15, 13), "overdue"),
        ("o+3", utc(3, 16, 13), "overdue"),
        ("o+w1", utc(3, 23, 13), "overdue"),
    ]


def test_offsets_and_send_hour_are_configurable() -> None:
    settings = LadderSettings(day_offsets=(30, 10), send_hour=8, overdue_daily=1)
    assert steps(plan(dated("2027-03-20"), NOW, NY, settings)) == [
        ("d-30", utc(2, 18, 13), "due_soon"),  # 08:00 EST
        ("d-10", utc(3, 10, 13), "due_soon"),
        ("d0", utc(3, 20, 12), "due"),  # 08:00 EDT
        ("o+1", utc(3, 21, 12), "overdue"),
        ("o+w1", utc(3, 28, 12), "overdue"),  # 1 daily + 7
    ]


def test_hour_clock_reminds_at_creation_24_and_4_hours_before_and_at_the_deadline() -> None:
    """An hour-based deadline (due_at) of Wednesday 2026-11-25 17:00 EST = 22:00 UTC: real hours
    before it, not the 09:00 send hour; overdue steps count whole days from the deadline."""
    terms = dated("2026-11-25", due_at="2026-11-25T17:00:00-05:00")
    assert steps(plan(terms, NOW, NY)) == [
        ("created", NOW, "due_soon"),
        ("h-24", utc(11, 24, 22, 2026), "due_soon"),
        ("h-4", utc(11, 25, 18, 2026), "due_soon"),
        ("h0", utc(11, 25, 22, 2026), "due"),
        ("o+1", utc(11, 26, 22, 2026), "overdue"),
        ("o+2", utc(11, 27, 22, 2026), "overdue"),
        ("o+3", utc(11, 28, 22, 2026), "overdue"),
        ("o+w1", utc(12, 5, 22, 2026), "overdue"),
    ]


def test_date_clock_of_5_business_days_gets_the_short_ladder() -> None:
    """NY AG 899-aa(9) style: due Monday 2026-11-30, 7 calendar days away (5 business days with
    Thanksgiving): a message at creation, the day before and on the day, no d-14/d-7/d-3."""
    assert steps(plan(dated("2026-11-30"), NOW, NY)) == [
        ("created", NOW, "due_soon"),
        ("d-1", utc(11, 29, 14, 2026), "due_soon"),
        ("d0", utc(11, 30, 14, 2026), "due"),
        ("o+1", utc(12, 1, 14, 2026), "overdue"),
        ("o+2", utc(12, 2, 14, 2026), "overdue"),
        ("o+3", utc(12, 3, 14, 2026), "overdue"),
        ("o+w1", utc(12, 10, 14, 2026), "overdue"),
    ]


def test_past_offsets_are_not_sent_in_a_burst_but_as_one_due_soon_message_now() -> None:
    """Due 2026-12-03, 10 days away (the full ladder): d-14 (19 Nov) is already past, so one
    "soon" message goes now instead of it; the future steps stay as they are."""
    found = plan(dated("2026-12-03"), NOW, NY)
    assert at_now(found) == [("soon", "due_soon")]
    assert steps(found)[1:5] == [
        ("d-7", utc(11, 26, 14, 2026), "due_soon"),
        ("d-3", utc(11, 30, 14, 2026), "due_soon"),
        ("d-1", utc(12, 2, 14, 2026), "due_soon"),
        ("d0", utc(12, 3, 14, 2026), "due"),
    ]


def test_many_past_offsets_still_give_exactly_one_message_now() -> None:
    """With the short ladder switched off, a duty due 2026-12-03 planned at 2026-12-02 20:00 UTC
    (15:00 local) has d-14, d-7, d-3 and d-1 all past: one "soon" message now, not four, then
    the due-day step at 09:00 local tomorrow."""
    now = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)
    found = plan(dated("2026-12-03"), now, NY, LadderSettings(short_clock_days=0))
    assert at_now(found, now) == [("soon", "due_soon")]
    assert steps(found)[1] == ("d0", utc(12, 3, 14, 2026), "due")


def test_a_short_ladder_made_late_sends_only_its_creation_message_now() -> None:
    """Due 2026-12-03, planned the evening before: d-1 (09:00 today) is past; only "created"
    goes now."""
    now = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)
    assert at_now(plan(dated("2026-12-03"), now, NY), now) == [("created", "due_soon")]


def test_overdue_at_creation_gives_one_late_message_now() -> None:
    """Due 2026-11-20, three days before the ladder is made: one "late" (overdue) message now,
    not o+1 and o+2 as well; o+3 (today 09:00 local, still ahead) and the weekly step remain."""
    found = plan(dated("2026-11-20"), NOW, NY)
    assert at_now(found) == [("late", "overdue")]
    assert steps(found) == [
        ("late", NOW, "overdue"),
        ("o+3", utc(11, 23, 14, 2026), "overdue"),
        ("o+w1", utc(11, 30, 14, 2026), "overdue"),
    ]


def test_a_duty_due_today_is_not_late_even_after_the_send_hour() -> None:
    """Created at 10:00 local on its due day: the deadline is the end of that day, so the message
    now is "due soon", not overdue (which would escalate); a day later it is "late"."""
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert at_now(plan(dated("2026-11-23"), now, NY), now) == [("created", "due_soon")]
    assert at_now(plan(dated("2026-11-22"), now, NY), now) == [("late", "overdue")]


def test_an_hour_clock_is_late_as_soon_as_its_deadline_passes() -> None:
    now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    terms = dated("2026-11-23", due_at="2026-11-23T08:00:00-05:00")  # 13:00 UTC
    assert steps(plan(terms, now, NY)) == [
        ("late", now, "overdue"),
        ("o+1", utc(11, 24, 13, 2026), "overdue"),
        ("o+2", utc(11, 25, 13, 2026), "overdue"),
        ("o+3", utc(11, 26, 13, 2026), "overdue"),
        ("o+w1", utc(12, 3, 13, 2026), "overdue"),
    ]


def test_waiting_and_undated_duties_get_a_nudge_after_the_interval() -> None:
    """Waiting on another notice, no fixed deadline ("immediately"), or dated without a date:
    one nudge after `nudge_days` (default 7), nothing now."""
    for terms in (
        {"status": "waiting", "kind": "legal", "due": "2027-01-19", "due_at": None},
        {"status": "no_fixed_deadline", "kind": "legal", "due": None, "due_at": None},
        {"status": "dated", "kind": "contractual", "due": None, "due_at": None},
    ):
        assert steps(plan(terms, NOW, NY)) == [("n1", utc(11, 30, 9, 2026), "nudge")]
    every_3 = plan(
        {"status": "waiting", "kind": "legal", "due": None}, NOW, NY, LadderSettings(nudge_days=3)
    )
    assert steps(every_3) == [("n1", utc(11, 26, 9, 2026), "nudge")]


def test_next_step_chains_nudges_and_weekly_overdue_from_when_the_last_was_sent() -> None:
    sent = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert next_step("n1", sent) == Step("n2", utc(12, 8, 14, 2026).replace(minute=30), "nudge")
    assert next_step("n7", sent) == Step("n8", utc(12, 8, 14, 2026).replace(minute=30), "nudge")
    assert next_step("o+w1", sent) == Step("o+w2", sent.replace(day=8), "overdue")
    assert next_step("o+w2", sent, LadderSettings(overdue_weekly_days=14)) == Step(
        "o+w3", sent.replace(day=15), "overdue"
    )
    nudge = next_step("n1", sent, LadderSettings(nudge_days=2))
    assert nudge is not None and nudge.send_at == sent.replace(day=3)


def test_a_late_message_leads_to_weekly_reminders_so_a_long_overdue_duty_is_not_forgotten() -> None:
    """Made 30 days after the due date, the ladder has only "late" (every other step is past):
    once sent, the weekly overdue steps follow."""
    found = plan(dated("2026-10-24"), NOW, NY)
    assert steps(found) == [("late", NOW, "overdue")]
    assert next_step("late", NOW) == Step("o+w1", utc(11, 30, 9, 2026), "overdue")


def test_steps_of_the_fixed_ladder_are_not_chained() -> None:
    for offset in ("d-14", "d-1", "d0", "o+1", "o+3", "h-24", "h0", "created", "soon"):
        assert next_step(offset, NOW) is None


def test_record_keeping_duties_never_remind() -> None:
    """F8 (no date) and an F7 oral-statement record (dated, kind record) plan nothing."""
    assert plan({"status": "record", "kind": "record", "due": None}, NOW, NY) == []
    assert plan(dated("2026-12-01", kind="record"), NOW, NY) == []


def test_contractual_and_internal_deadlines_get_their_own_ladder() -> None:
    for kind in ("contractual", "internal"):
        found = steps(plan(dated("2027-03-20", kind=kind), NOW, NY))
        assert [o for o, _, _ in found][:5] == ["d-14", "d-7", "d-3", "d-1", "d0"]


def test_due_key_changes_only_when_the_date_or_the_outcome_changes() -> None:
    assert due_key(dated("2027-03-20")) == due_key(dated("2027-03-20", reason="new text"))
    assert due_key(dated("2027-03-20")) != due_key(dated("2027-03-21"))
    assert due_key(dated("2027-03-20", due_at="2027-03-20T17:00:00-04:00")) == (
        "2027-03-20T17:00:00-04:00"
    )
    assert due_key({"status": "waiting", "due": "2027-03-20"}) == "waiting"
    assert due_key({"status": "no_fixed_deadline", "due": None}) == "no_fixed_deadline"


def test_offsets_and_nudge_interval_come_from_the_environment() -> None:
    """Configurable offsets (default 14, 7, 3 and 1 days before)."""
    from incident_tracker.core.reminders import LadderSettings

    assert LadderSettings.from_env({}).day_offsets == (14, 7, 3, 1)
    configured = LadderSettings.from_env(
        {"REMINDER_OFFSETS": "2, 10,x,0,10", "REMINDER_NUDGE_DAYS": "3"}
    )
    assert configured.day_offsets == (10, 2) and configured.nudge_days == 3
