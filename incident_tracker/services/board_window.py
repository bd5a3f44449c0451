"""The deadline board's 90-day view: every open duty of the incidents the viewer may see, due
from today to 90 days on, on one line (core/timeline.py), with a table that says the same."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import col

from incident_tracker.core import timeline
from incident_tracker.core.lifecycle import OPEN_STATUSES
from incident_tracker.db.models import Incident, ObligationRecord
from incident_tracker.services.call import Call
from incident_tracker.services.incident_summary import DutyLine
from incident_tracker.services.register import local_today, visible

WINDOW_DAYS = 90
WINDOW_ROWS = 60


@dataclass(frozen=True)
class Window:
    """The board's 90-day view: open duties of the incidents the viewer may see, due from today
    on, soonest first (at most WINDOW_ROWS drawn; `total` counts them all)."""

    today: date
    line: timeline.Line
    duties: list[tuple[int, str, str, DutyLine]]  # incident id, number, title, duty
    total: int
    overdue: int


def window(call: Call, days: int = WINDOW_DAYS) -> Window:
    """Two statements: the duties in the window (their first WINDOW_ROWS) and the counts."""
    today = local_today(call)
    last = today + timedelta(days=days)
    open_duty = (
        col(ObligationRecord.live),
        col(ObligationRecord.done_on).is_(None),
        col(ObligationRecord.kind) != "record",
        col(Incident.status).in_(OPEN_STATUSES),
        visible(call),
    )
    rows = call.session.connection().execute(
        core_select(
            col(Incident.id),
            col(Incident.number),
            col(Incident.title),
            col(ObligationRecord.id),
            col(ObligationRecord.rule_id),
            col(ObligationRecord.state),
            col(ObligationRecord.kind),
            col(ObligationRecord.terms),
            col(ObligationRecord.due),
        )
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .where(*open_duty, col(ObligationRecord.due) >= today, col(ObligationRecord.due) <= last)
        .order_by(col(ObligationRecord.due), col(Incident.number), col(ObligationRecord.id))
        .limit(WINDOW_ROWS)
    )
    duties = []
    for incident_id, number, title, ident, rule, state, kind, raw, due in rows:
        terms = json.loads(raw)
        line = DutyLine(
            ident or 0,
            rule,
            state,
            "",
            kind,
            terms.get("recipient", ""),
            "",
            due,
            None,
            bool(terms.get("provisional")),
            False,
            None,
            (due - today).days if due else None,
        )
        duties.append((incident_id or 0, number, title, line))
    counts = (
        call.session.connection()
        .execute(
            core_select(
                func.count().filter(col(ObligationRecord.due) >= today),
                func.count().filter(
                    col(ObligationRecord.due) < today, col(ObligationRecord.kind) == "legal"
                ),
            )
            .select_from(ObligationRecord)
            .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
            .where(*open_duty, col(ObligationRecord.due) <= last)
        )
        .one()
    )
    drawn = timeline.window(
        today,
        days,
        [
            timeline.Duty(
                f"{number} {d.rule_id} {d.state}".strip(), d.kind, d.due, None, d.provisional
            )
            for _, number, _, d in duties
        ],
    )
    return Window(today, drawn, duties, int(counts[0]), int(counts[1]))
