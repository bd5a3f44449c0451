"""The timeline's SVG (web/timeline_svg.py): kind by shape, status by fill and a cross, words
escaped, numbers where core/timeline.py put them; nothing told by colour alone."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.timeline import Duty, Hold, lay_out
from incident_tracker.web.timeline_svg import draw


def test_each_kind_has_its_shape_an_overdue_one_its_cross_and_words_are_escaped() -> None:
    """Discovered 2026-03-01, today 2026-05-01: the legal duty due 2026-04-30 is one day past
    (overdue: a circle and a cross); the internal target a square, the contractual one a
    diamond, the done legal duty a filled circle and a sent triangle; the hold a bar."""
    duties = [
        Duty("F1 <NY>", "legal", date(2026, 4, 30), None),
        Duty("INT", "internal", date(2026, 4, 1), None),
        Duty("BAA", "contractual", date(2026, 5, 20), None, provisional=True),
        Duty("F4", "legal", date(2026, 4, 1), date(2026, 3, 30)),
    ]
    line = lay_out(
        date(2026, 3, 1),
        date(2026, 5, 1),
        duties,
        [Hold("oral", date(2026, 3, 2), date(2026, 4, 1))],
    )
    svg = str(draw(line, "incident-timeline", "Timeline of INC-1 & co"))
    assert svg.count('<circle class="mark overdue"') == 1 and svg.count('class="cross"') == 1
    assert svg.count('<rect class="mark open"') == 1
    assert svg.count('<polygon class="mark open provisional"') == 1
    assert svg.count('<circle class="mark done"') == 1 and svg.count('class="sent"') == 1
    assert svg.count('<g class="hold">') == 1 and svg.count('<g class="row ') == 4
    assert "F1 &lt;NY&gt;" in svg and "<NY>" not in svg and "INC-1 &amp; co" in svg
    assert "4 dated duties and 1 law-enforcement hold from " in svg
    overdue = next(r for r in line.rows if r.status == "overdue")
    assert f'cx="{overdue.due_x}" cy="{overdue.y}"' in svg
    assert f'<line x1="{line.today_x}" x2="{line.today_x}"' in svg
    assert '<g class="discovered">' in svg
    assert '<g class="discovered">' not in str(draw(line, "w", "t", discovered_label=""))
