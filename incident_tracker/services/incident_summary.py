"""Where an incident stands and what is next: the summary page and the header every section shows.

Built from a few narrow statements (the incident with its owner and latest signed assessment,
services/incident_head.py; its duties with their notices' states; its holds when it has any),
never from the whole incident page: the summary is the page opened most, so it reads only what it
shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, bindparam
from sqlalchemy import select as core_select
from sqlmodel import col

from incident_tracker.core import timeline
from incident_tracker.core.facts import HoldForm
from incident_tracker.core.facts import LawEnforcementHold as HoldFacts
from incident_tracker.core.next_action import NextAction, OpenDuty
from incident_tracker.core.review import ReviewState
from incident_tracker.core.rule_names import rule_name
from incident_tracker.db.models import (
    Incident,
    LawEnforcementHold,
    Notice,
    ObligationRecord,
    User,
)
from incident_tracker.services import hold_voids, incident_head, next_actions, stale_notices
from incident_tracker.services.call import Call
from incident_tracker.services.register import local_today

SOON_DAYS = 7  # "due within 7 days", as the deadline board groups them
STANDING_WORDS = {
    "overdue": "overdue",
    "soon": "due within 7 days",
    "later": "open",
    "undated": "undated",
}
NEXT_DUTIES = 3
UNSENT = (
    ReviewState.DRAFT,
    ReviewState.IN_REVIEW,
    ReviewState.CHANGES_REQUESTED,
    ReviewState.APPROVED,
)


def urgency(days_left: int | None, done: bool) -> str:
    """overdue | soon (within 7 days, today included) | later | undated | done: shown in words
    and by a mark, never by colour alone."""
    if done:
        return "done"
    if days_left is None:
        return "undated"
    if days_left < 0:
        return "overdue"
    return "soon" if days_left <= SOON_DAYS else "later"


@dataclass(frozen=True, slots=True)
class DutyLine:
    """One live duty as the summary and the timeline see it."""

    id: int
    rule_id: str
    state: str
    party: str
    kind: str
    recipient: str
    jurisdiction: str
    due: date | None
    done_on: date | None
    provisional: bool
    waiting: bool
    notice_state: str | None
    days_left: int | None

    @property
    def urgency(self) -> str:
        return urgency(self.days_left, self.done_on is not None)

    @property
    def name(self) -> str:
        return rule_name(self.rule_id, self.state)

    @property
    def standing(self) -> str:
        """Where it stands in words, for the timeline's text equivalent."""
        if self.done_on is not None:
            return f"done {self.done_on}"
        return STANDING_WORDS[self.urgency]


@dataclass(frozen=True, slots=True)
class HoldLine:
    id: int
    form: str
    statement_date: date
    end: date
    official: str
    agency: str


@dataclass(frozen=True)
class Header:
    """What every page of the incident shows on top: who, where it stands, the next step."""

    incident: Incident | incident_head.Standing  # a section's ORM incident; the summary's row
    owner: str
    today: date
    next_action: NextAction | None
    overdue: int
    soon: int


@dataclass(frozen=True)
class Summary:
    header: Header
    decision: incident_head.Decision | None
    next_duties: list[DutyLine]
    open_legal: int
    stale: int
    holds_in_force: list[HoldLine]
    provisional: list[DutyLine]
    undated_open: int
    line: timeline.Line
    duties: list[DutyLine]  # every live duty, for the timeline's text equivalent
    holds: list[HoldLine]


# The statements are built once, with the incident as a parameter: constructing a Core
# statement costs several times what the database takes to answer it, and the summary is the
# page opened most.
_INCIDENT: BindParameter[int] = bindparam("incident_id")
_DUTIES = (
    core_select(
        col(ObligationRecord.id),
        col(ObligationRecord.rule_id),
        col(ObligationRecord.state),
        col(ObligationRecord.party),
        col(ObligationRecord.kind),
        col(ObligationRecord.jurisdiction),
        col(ObligationRecord.terms),
        col(ObligationRecord.due),
        col(ObligationRecord.done_on),
        col(ObligationRecord.outcome),
        col(Notice.state),
    )
    .outerjoin(Notice, col(Notice.obligation_id) == ObligationRecord.id)
    .where(col(ObligationRecord.incident_id) == _INCIDENT, col(ObligationRecord.live))
)  # ordered in Python (`_duties`): an ORDER BY on `due IS NULL` costs SQLite a sort B-tree
_OWNER = core_select(col(User.email)).where(col(User.id) == bindparam("owner_id"))
_HOLDS = (
    core_select(
        col(LawEnforcementHold.id),
        col(LawEnforcementHold.form),
        col(LawEnforcementHold.statement_date),
        col(LawEnforcementHold.delay_until),
        col(LawEnforcementHold.official),
        col(LawEnforcementHold.agency),
    )
    .where(col(LawEnforcementHold.incident_id) == _INCIDENT)
    .order_by(col(LawEnforcementHold.statement_date), col(LawEnforcementHold.id))
)


def _duties(call: Call, incident_id: int, today: date) -> list[DutyLine]:
    """Every live duty with its notice's review state (one statement), soonest first, the
    undated last."""
    rows = sorted(
        call.rows(_DUTIES, {"incident_id": incident_id}),
        key=lambda r: (r[7] is None, r[7] or today, r[0]),
    )
    out = []
    for ident, rule, state, party, kind, jurisdiction, raw, due, done, outcome, notice in rows:
        terms: dict[str, Any] = json.loads(raw)
        out.append(
            DutyLine(
                ident or 0,
                rule,
                state,
                party,
                kind,
                terms.get("recipient", ""),
                terms.get("jurisdiction", jurisdiction),
                due,
                done,
                bool(terms.get("provisional")),
                outcome == "waiting" or terms.get("status") == "waiting",
                notice,
                (due - today).days if due else None,
            )
        )
    return out


def _owner(call: Call, incident: Incident) -> str:
    found = call.rows(_OWNER, {"owner_id": incident.owner_id})
    return (found[0][0] if found else None) or "?"


def header_of(
    incident: Incident | incident_head.Standing, owner: str, duties: list[DutyLine], today: date
) -> Header:
    open_legal = [d for d in duties if d.kind == "legal" and d.done_on is None]
    return Header(
        incident,
        owner,
        today,
        # the one definition of the next step, from the duties already read
        next_actions.of(
            incident,
            (
                OpenDuty(d.id, d.rule_id, d.state, d.party, d.recipient, d.due, d.notice_state)
                for d in open_legal
            ),
        ),
        sum(d.urgency == "overdue" for d in open_legal),
        sum(d.urgency == "soon" for d in open_legal),
    )


def header(call: Call, incident: Incident) -> Header:
    """The header alone, for a section page (two statements)."""
    today = local_today(call)
    duties = _duties(call, incident.id or 0, today)
    return header_of(incident, _owner(call, incident), duties, today)


def _holds(call: Call, incident_id: int) -> list[HoldLine]:
    """Statements not voided, with the day each delay ends (core.facts: an oral one at most 30
    days, 45 CFR 164.412(b))."""
    rows = call.rows(_HOLDS, {"incident_id": incident_id})
    # the voids are looked up only when there is a statement (most incidents have none)
    void = hold_voids.voids_of(call, [r[0] or 0 for r in rows]) if rows else {}
    out = []
    for ident, form, stated, until, official, agency in rows:
        if ident in void or form not in ("oral", "written") or (form == "written" and not until):
            continue
        end = HoldFacts(HoldForm(form), stated, until).end
        out.append(HoldLine(ident or 0, form, stated, end, official, agency))
    return out


def _stale(call: Call, duties: list[DutyLine]) -> int:
    """Unsent drafted or approved notices whose facts changed (services/stale_notices.py); no
    statement at all when no notice waits to go."""
    waiting = [d.id for d in duties if d.notice_state in UNSENT and d.done_on is None]
    return len(stale_notices.stale_obligations(call, waiting)) if waiting else 0


def _short(d: DutyLine) -> str:
    return f"{d.rule_id} {d.state}".strip()


def build(call: Call, incident_id: int) -> Summary:
    """The summary of an incident the viewer may see (incident_head.load checks), from two
    statements, three when the incident has law-enforcement statements."""
    found = incident_head.load(call, incident_id)
    incident = found.incident
    today = local_today(call)
    duties = _duties(call, incident.id, today)
    head = header_of(incident, found.owner, duties, today)
    holds = _holds(call, incident.id) if found.has_holds else []
    open_legal = [d for d in duties if d.kind == "legal" and d.done_on is None]
    line = timeline.lay_out(
        incident.discovered_on,
        today,
        [
            timeline.Duty(_short(d), d.kind, d.due, d.done_on, d.provisional, d.waiting)
            for d in duties
        ],
        [timeline.Hold(f"{h.form} statement", h.statement_date, h.end) for h in holds],
    )
    return Summary(
        header=head,
        decision=found.decision,
        next_duties=[d for d in open_legal if d.due is not None][:NEXT_DUTIES],
        open_legal=len(open_legal),
        stale=_stale(call, duties),
        holds_in_force=[h for h in holds if h.end >= today],
        provisional=[d for d in duties if d.provisional and d.done_on is None],
        undated_open=sum(d.due is None for d in open_legal),
        line=line,
        duties=duties,
        holds=holds,
    )
