"""The dashboard's numbers: incidents per month by type; days from discovery to the decision
(the first signed assessment) and to the individual notice (F1 done) as median and range; the
on-time rate per jurisdiction and rule; open duties by week ahead. Five queries whatever the
number of incidents; void incidents are left out (they were never breaches to count).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement
from sqlalchemy import select as sa_select
from sqlmodel import col, func, select

from incident_tracker.core import charts, lifecycle
from incident_tracker.core.incident_types import INCIDENT_TYPES
from incident_tracker.db.models import AssessmentRecord, Incident, ObligationRecord
from incident_tracker.services import register
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TYPE_LABELS = {t.key: t.label for t in INCIDENT_TYPES}
NO_TYPE = "untyped"
WEEKS_AHEAD = 8
NOTICE_RULE = "F1"  # the individual notice (45 CFR 164.404)


@dataclass(frozen=True)
class Filters:
    year: int
    incident_type: str  # "" for every type


def filters_of(year: str | None, incident_type: str | None, today: date) -> Filters:
    errors = {}
    chosen = today.year
    if year:
        try:
            chosen = int(year)
        except ValueError:
            errors["year"] = "give a year such as 2026"
        else:
            if not 2009 <= chosen <= today.year:
                errors["year"] = f"give a year from 2009 to {today.year}"
    kind = (incident_type or "").strip()
    if kind and kind not in TYPE_LABELS and kind != NO_TYPE:
        errors["type"] = "choose a type from the list"
    if errors:
        raise ValidationFailed(errors)
    return Filters(chosen, kind)


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    months: tuple[str, ...]
    per_month: tuple[charts.Series, ...]
    spreads: tuple[charts.Spread, ...]
    spread_counts: tuple[int, ...]
    on_time: tuple[charts.Share, ...]
    weeks: tuple[str, ...]
    open_by_week: tuple[int, ...]

    def svgs(self) -> dict[str, str]:
        f = self.filters
        return {
            "per_month": charts.stacked_bars(
                f"Incidents discovered per month in {f.year}, by type",
                self.months,
                self.per_month,
                "incidents",
            ),
            "days": charts.ranges(
                f"Days from discovery, {f.year}: median (dot) and range (line)",
                [s for s, n in zip(self.spreads, self.spread_counts, strict=True) if n],
                "days after discovery",
            ),
            "on_time": charts.shares(
                f"Duties met on time, incidents discovered in {f.year}", self.on_time
            ),
            "weeks": charts.stacked_bars(
                "Open duties by week ahead",
                self.weeks,
                (charts.Series("open duties", tuple(float(n) for n in self.open_by_week)),),
                "duties",
            ),
        }


def _scope(call: Call, f: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        col(Incident.status) != "void",
        register.visible(call),
    ]
    if f.incident_type == NO_TYPE:
        conditions.append(col(Incident.incident_type).is_(None))
    elif f.incident_type:
        conditions.append(col(Incident.incident_type) == f.incident_type)
    return conditions


def build(call: Call, f: Filters, today: date) -> Dashboard:
    scope = _scope(call, f)
    in_year = [
        col(Incident.discovered_on) >= date(f.year, 1, 1),
        col(Incident.discovered_on) <= date(f.year, 12, 31),
    ]
    incidents = call.session.exec(
        select(col(Incident.id), col(Incident.discovered_on), col(Incident.incident_type)).where(
            *scope, *in_year
        )
    ).all()
    # 1. per month by type
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for _, discovered, kind in incidents:
        counts[kind or NO_TYPE][discovered.month] += 1
    per_month = tuple(
        charts.Series(
            TYPE_LABELS.get(kind, "No type given"),
            tuple(float(counts[kind][m]) for m in range(1, 13)),
        )
        for kind in sorted(counts)
    )
    discovered_on = {i: d for i, d, _ in incidents}
    ids = list(discovered_on)
    # 2. discovery -> decision, discovery -> notification
    decided = dict(
        call.session.exec(
            select(AssessmentRecord.incident_id, func.min(AssessmentRecord.signed_on))
            .where(col(AssessmentRecord.incident_id).in_(ids or [-1]))
            .group_by(col(AssessmentRecord.incident_id))
        ).all()
    )
    duties = call.session.execute(
        sa_select(
            col(ObligationRecord.incident_id),
            col(ObligationRecord.jurisdiction),
            col(ObligationRecord.rule_id),
            col(ObligationRecord.due),
            col(ObligationRecord.done_on),
        ).where(
            col(ObligationRecord.incident_id).in_(ids or [-1]),
            col(ObligationRecord.live).is_(True),
            col(ObligationRecord.kind) == "legal",
        )
    ).all()
    notified = {i: done for i, _, rule, _, done in duties if rule == NOTICE_RULE and done}
    spreads, spread_counts = [], []
    for label, ends in (("to the decision", decided), ("to the individual notice", notified)):
        days = [(end - discovered_on[i]).days for i, end in ends.items() if i in discovered_on]
        spread_counts.append(len(days))
        spreads.append(
            charts.Spread(
                label,
                min(days, default=0),
                charts.median(days),
                max(days, default=0),
            )
        )
    # 3. on time per jurisdiction and rule (duties done, with a date to meet)
    met: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for _, jurisdiction, rule, due, done in duties:
        if due and done:
            met[(jurisdiction, rule)][1] += 1
            met[(jurisdiction, rule)][0] += int(done <= due)
    on_time = tuple(
        charts.Share(f"{j} {r}", part, whole) for (j, r), (part, whole) in sorted(met.items())
    )
    # 4. open duties by week ahead (every open incident in scope, whatever its year)
    open_due = call.session.exec(
        select(col(ObligationRecord.due))
        .join(Incident, col(Incident.id) == ObligationRecord.incident_id)
        .where(
            *scope,
            col(Incident.status).in_(lifecycle.OPEN_STATUSES),
            col(ObligationRecord.live).is_(True),
            col(ObligationRecord.kind) == "legal",
            col(ObligationRecord.done_on).is_(None),
            col(ObligationRecord.due).is_not(None),
        )
    ).all()
    buckets = [0] * (WEEKS_AHEAD + 2)
    for due in open_due:
        if due is None:
            continue
        if due < today:
            buckets[0] += 1
        else:
            buckets[min((due - today).days // 7 + 1, WEEKS_AHEAD + 1)] += 1
    weeks = (
        "overdue",
        *(f"{today + timedelta(days=7 * w):%b %d}" for w in range(WEEKS_AHEAD)),
        "later",
    )
    return Dashboard(
        f,
        MONTHS,
        per_month,
        tuple(spreads),
        tuple(spread_counts),
        on_time,
        weeks,
        tuple(buckets),
    )
