"""Which unsent notices among many duties are stale, in a constant number of queries.

The deadline board flags a duty whose drafted or approved notice no longer prints the current
facts (services/notice_facts.py measures one incident). Here every input of that measure is read
once for all the board's incidents, one statement per table, so the board's query count does not
grow with its rows; the engine then runs per incident in memory.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from sqlmodel import col, select

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.notices.details import NoticeDetails
from incident_tracker.core.review import ReviewState
from incident_tracker.db.mapping import incident_object
from incident_tracker.db.models import (
    CoveredEntityClient,
    Incident,
    IncidentState,
    LawEnforcementHold,
    Notice,
    NoticeDetailsRecord,
    NoticeVersion,
    ObligationRecord,
    Organisation,
)
from incident_tracker.services import hold_voids, notice_details, notice_drafting, notice_facts
from incident_tracker.services.call import Call


def stale_obligations(call: Call, obligation_ids: Iterable[int]) -> frozenset[int]:
    """The ids among `obligation_ids` whose unsent notice's latest version is stale."""
    wanted = sorted(set(obligation_ids))
    if not wanted:
        return frozenset()
    return call.remember(("stale_obligations", tuple(wanted)), lambda: _measure(call, wanted))


R = TypeVar("R", IncidentState, LawEnforcementHold)


def _by_incident(rows: Iterable[R]) -> dict[int, list[R]]:
    grouped: dict[int, list[R]] = defaultdict(list)
    for row in rows:
        grouped[row.incident_id].append(row)
    return grouped


def _measure(call: Call, wanted: list[int]) -> frozenset[int]:
    s = call.session
    notices = list(
        s.exec(
            select(Notice).where(
                col(Notice.obligation_id).in_(wanted), col(Notice.state) != ReviewState.SENT
            )
        )
    )
    if not notices:
        return frozenset()
    latest: dict[int, NoticeVersion] = {}
    for v in s.exec(
        select(NoticeVersion).where(col(NoticeVersion.notice_id).in_([n.id for n in notices]))
    ):
        if v.notice_id not in latest or v.number > latest[v.notice_id].number:
            latest[v.notice_id] = v
    measured = [n for n in notices if n.id in latest and latest[n.id].facts_printed]
    if not measured:
        return frozenset()
    ids = sorted({n.incident_id for n in measured})
    incidents = {i.id: i for i in s.exec(select(Incident).where(col(Incident.id).in_(ids)))}
    # The notices' own duties, held here so notice_facts finds them in the session's (weak)
    # identity map instead of asking for each.
    held = list(s.exec(select(ObligationRecord).where(col(ObligationRecord.incident_id).in_(ids))))
    done: dict[int, dict[str, date]] = defaultdict(dict)  # as services/obligations.py feeds
    for r in held:
        if r.done_on is not None and r.state == "":
            done[r.incident_id][r.rule_id] = r.done_on
    states = _by_incident(
        s.exec(select(IncidentState).where(col(IncidentState.incident_id).in_(ids)))
    )
    holds = _by_incident(
        s.exec(
            select(LawEnforcementHold).where(
                col(LawEnforcementHold.incident_id).in_(ids), hold_voids.in_effect()
            )
        )
    )
    client_ids = [i.client_id for i in incidents.values() if i.client_id]
    clients = (
        {
            c.id: c
            for c in s.exec(
                select(CoveredEntityClient).where(col(CoveredEntityClient.id).in_(client_ids))
            )
        }
        if client_ids
        else {}
    )
    details = {
        d.incident_id: d.data
        for d in s.exec(
            select(NoticeDetailsRecord).where(col(NoticeDetailsRecord.incident_id).in_(ids))
        )
    }
    org_row = s.get(Organisation, 1)
    answers = notice_details.assessment_answers(call, ids)
    org = notice_drafting.organisation_for(call)
    stale: set[int] = set()
    nows: dict[int, notice_facts.Now | None] = {}
    for notice in measured:
        iid = notice.incident_id
        if iid not in nows:
            incident = incidents[iid]
            try:
                facts = parse_incident(
                    incident_object(
                        incident,
                        states.get(iid, []),
                        holds.get(iid, []),
                        done.get(iid, {}),
                        org_row,
                        clients.get(incident.client_id) if incident.client_id else None,
                    )
                )
            except FactsError:  # never fail the board on one incident's facts
                nows[iid] = None
                continue
            nows[iid] = notice_facts.Now(
                call,
                incident,
                (
                    facts,
                    org,
                    _details(details.get(iid), incident, org_row, answers.get(iid)),
                    compute(facts),
                ),
            )
        now = nows[iid]
        if now is not None and notice_facts.changes_with(now, notice, latest[notice.id or 0]):
            stale.add(notice.obligation_id)
    del held
    return frozenset(stale)


def _details(
    raw: str | None,
    incident: Incident,
    org: Organisation | None,
    answers: dict[str, object] | None,
) -> NoticeDetails:
    """Saved notice details as the drafts read them (services/notice_details.details_for)."""
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = None
    saved = notice_details.parse_saved(data if isinstance(data, dict) else {})
    return notice_details.with_recorded(saved, incident, org or Organisation(id=1), answers)
