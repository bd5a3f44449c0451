"""Dates and flags shared by every duty of the State interpreter."""

from __future__ import annotations

from datetime import date

from incident_tracker.core.context import Context
from incident_tracker.core.states.model import Deadline, Jurisdiction


def flags(j: Jurisdiction, extra: tuple[str, ...] = ()) -> dict[str, object]:
    """Every duty of an uncertified jurisdiction is provisional; a certified one's duty only for
    the per-duty fields below "two charts agree"."""
    if not j.certified:
        return {"provisional": True, "open_points": j.open_points}
    if extra:
        return {"provisional": True, "open_points": extra}
    return {}


def add(j: Jurisdiction, start: date, dl: Deadline) -> date:
    assert dl.days is not None
    if dl.kind == "business":
        return j.calendar.add_business_days(start, dl.days)
    return date.fromordinal(start.toordinal() + dl.days)


def unit(dl: Deadline) -> str:
    return "business days" if dl.kind == "business" else "calendar days"


def clock(j: Jurisdiction, ctx: Context, dl: Deadline) -> tuple[date, date | None, str | None, str]:
    """(due, alt_due, alt_due_reason, basis) of a clock from discovery or determination."""
    start = ctx.facts.discovered_on
    due = add(j, start, dl)
    basis = f"{dl.days} {unit(dl)} after discovery on {start}"
    if dl.kind == "business":
        basis += f" ({j.calendar.label()}; [OPEN] calendar not yet checked against the statute)"
    alt: date | None = None
    why: str | None = None
    determined = ctx.facts.determined_on
    if dl.from_determination and determined is not None and determined > start:
        alt = add(j, determined, dl)
        why = (
            f"counted from the determination on {determined} ({dl.anchor}); the tracker counts "
            f"from discovery on {start}, the earliest anchor, always compliant"
        )
    if j.overrides.roll_forward:
        base = alt or due
        rolled = j.calendar.next_business_day_on_or_after(base)
        if rolled != base:
            note = (
                f"[OPEN] {base} is a Saturday, Sunday or legal holiday: Tex. Gov't Code "
                f"311.014(b) extends the period to {rolled}"
            )
            alt, why = rolled, f"{why}; {note}" if why else note
    return due, alt, why, basis
