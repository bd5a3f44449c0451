"""The timeline's geometry (core/timeline.py) and the urgency words of the incident pages, checked
against positions and groups worked out by hand."""

from __future__ import annotations

from datetime import date

from incident_tracker.core import timeline
from incident_tracker.core.timeline import Duty, Hold
from incident_tracker.services.incident_summary import urgency


def test_one_duty_sixty_days_out_is_placed_by_its_date_between_padded_ends() -> None:
    """Discovered 2026-01-01, today 2026-01-11, one legal duty due 2026-03-02 (60 days after
    discovery: 31 days of January + 28 of February + 1). Pad max(2, 60 // 20) = 3 days each side:
    the line runs 2025-12-29 to 2026-03-05, 66 days over 900 - 170 - 20 = 710 units, so a day is
    710 / 66 = 10.7576 units. Discovery at 170 + 3 days = 202.3; the deadline at 170 + 63 days =
    847.7; today at 170 + 13 days = 309.8."""
    line = timeline.lay_out(
        date(2026, 1, 1), date(2026, 1, 11), [Duty("F1", "legal", date(2026, 3, 2), None)]
    )
    assert (line.first, line.last) == (date(2025, 12, 29), date(2026, 3, 5))
    assert line.discovered_x == 202.3 and line.today_x == 309.8
    (row,) = line.rows
    assert row.due_x == 847.7 and row.done_x is None and row.status == "open"
    assert row.y == timeline.TOP and line.height == timeline.TOP + timeline.ROW + 10
    assert [t.label for t in line.ticks] == ["Jan 2026", "Feb", "Mar"]


def test_only_a_legal_duty_past_its_date_is_overdue_and_a_done_one_is_done() -> None:
    today = date(2026, 5, 1)
    duties = [
        Duty("F1", "legal", date(2026, 4, 30), None),  # one day past: overdue
        Duty("INT", "internal", date(2026, 4, 1), None),  # an internal target is not overdue
        Duty("F4", "legal", date(2026, 4, 1), date(2026, 3, 30)),  # done before its date
        Duty("F2", "legal", None, None),  # no fixed date: listed, not drawn
    ]
    line = timeline.lay_out(date(2026, 3, 1), today, duties)
    assert {r.duty.label: r.status for r in line.rows} == {
        "INT": "open",
        "F4": "done",
        "F1": "overdue",
    }
    assert [d.label for d in line.undated] == ["F2"]
    done = next(r for r in line.rows if r.duty.label == "F4")
    assert done.done_x is not None and done.due_x is not None and done.done_x < done.due_x


def test_holds_take_a_row_above_the_duties_as_spans() -> None:
    line = timeline.lay_out(
        date(2026, 3, 1),
        date(2026, 3, 10),
        [Duty("F1", "legal", date(2026, 4, 30), None)],
        [Hold("oral statement", date(2026, 3, 2), date(2026, 4, 1))],
    )
    (span,) = line.spans
    assert span.y == timeline.TOP and span.x1 < span.x2
    assert line.rows[0].y == timeline.TOP + timeline.ROW


def test_the_90_day_window_keeps_only_what_falls_in_it() -> None:
    """From 2026-06-01, 90 days reach 2026-08-30 (30 days of June, 31 of July, 29 of August);
    a duty due that day is in, one due 2026-08-31 or before today is out."""
    today = date(2026, 6, 1)
    duties = [
        Duty("A", "legal", date(2026, 8, 30), None),
        Duty("B", "legal", date(2026, 8, 31), None),
        Duty("C", "legal", date(2026, 5, 31), None),
        Duty("D", "internal", today, None),
    ]
    line = timeline.window(today, 90, duties)
    assert [r.duty.label for r in line.rows] == ["D", "A"]
    assert line.rows[0].due_x == timeline.GUTTER
    assert line.rows[1].due_x == timeline.WIDTH - 20  # the last day sits at the right edge


def test_urgency_groups_as_the_board_does_overdue_within_7_days_later() -> None:
    assert urgency(-1, False) == "overdue"
    assert urgency(0, False) == "soon"
    assert urgency(7, False) == "soon"
    assert urgency(8, False) == "later"
    assert urgency(None, False) == "undated"
    assert urgency(-30, True) == "done"
