"""A duty's days left in words and by a mark, never by colour alone: overdue ■, within 7 days ▲,
later ○, done ✓. Written in Python, not as a template macro, because the summary (the page opened
most) shows it on every row of its next duties; the sections' `days` macro calls it too."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape


def days_left(done_on: date | None, due: date | None, today: date) -> Markup:
    if done_on:
        return Markup(
            '<span class="urgency done" data-urgency="done"><span aria-hidden="true">✓ </span>'
            f"done {escape(str(done_on))}</span>"
        )
    if not due:
        return Markup('<span class="urgency undated" data-urgency="undated">no fixed date</span>')
    left = (due - today).days
    if left < 0:
        return Markup(
            '<span class="urgency overdue" data-urgency="overdue"><span aria-hidden="true">■ '
            f"</span>{-left} day{'' if left == -1 else 's'} overdue</span>"
        )
    if left == 0:
        return Markup(
            '<span class="urgency soon" data-urgency="soon"><span aria-hidden="true">▲ </span>'
            "due today</span>"
        )
    if left <= 7:
        return Markup(
            '<span class="urgency soon" data-urgency="soon"><span aria-hidden="true">▲ </span>'
            f"{left} day{'' if left == 1 else 's'} left</span>"
        )
    return Markup(
        '<span class="urgency later" data-urgency="later"><span aria-hidden="true">○ </span>'
        f"{left} days left</span>"
    )
