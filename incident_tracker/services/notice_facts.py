"""Staleness: does a notice still print the current facts?

Each version keeps the values it printed when drafted (core.notices.printed). An unsent notice
whose values differ from what a redraft would print now is stale: its page, the incident page and
the board say so, with Redraft and a compare; an approved one is not recorded as sent without
re-approval or a written override. A sent notice that differs is flagged "content differs from
current facts" until the officer records whether a correction is owed (audited).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import col, select

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import IncidentFacts
from incident_tracker.core.notices import NoticeKind
from incident_tracker.core.notices.details import NoticeDetails, Organisation
from incident_tracker.core.notices.drafting import choose_state, prepare
from incident_tracker.core.notices.printed import differences, fingerprint, printed_values
from incident_tracker.core.obligations import Result
from incident_tracker.core.permissions import Action
from incident_tracker.core.review import ReviewState
from incident_tracker.db.models import (
    Incident,
    Notice,
    NoticeContentDecision,
    NoticeVersion,
    ObligationRecord,
)
from incident_tracker.services import notice_details, notice_drafting
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, ValidationFailed

DIFFERS = "content differs from current facts"


@dataclass
class _Now:
    """What the notices would print now: the inputs are read once per incident."""

    call: Call
    incident: Incident
    _inputs: tuple[IncidentFacts, Organisation, NoticeDetails, Result] | None = None

    def printed(self, kind: NoticeKind, state: str, text: str | None = None) -> dict[str, str]:
        if self._inputs is None:
            facts = notice_drafting.facts_for(self.call, self.incident)
            self._inputs = (
                facts,
                notice_drafting.organisation_for(self.call),
                notice_details.details_for(self.call, self.incident),
                compute(facts),
            )
        facts, org, details, result = self._inputs
        try:
            where = choose_state(facts, kind, state or None)
            ctx = prepare(facts, org, details, kind, where, result)
        except ValueError:  # a notice that cannot be drafted now prints nothing to compare
            return {}
        return printed_values(ctx, text)


Now = _Now  # for services/stale_notices.py, which reads the inputs for many incidents at once


def changes_with(now: _Now, notice: Notice, version: NoticeVersion) -> list[str]:
    """What changed between what `version` prints and what `now` would print."""
    return _changes(now, notice, version)


def printed_now(
    call: Call, incident: Incident, kind: NoticeKind, state: str, text: str
) -> dict[str, str]:
    """The values the just-drafted `text` of this kind prints."""
    return _Now(call, incident).printed(kind, state, text)


def stamp(values: dict[str, str]) -> tuple[str, str]:
    """The JSON and fingerprint kept on a version."""
    return json.dumps(values, sort_keys=True), fingerprint(values)


def _state(call: Call, notice: Notice) -> str:
    record = call.session.get(ObligationRecord, notice.obligation_id)
    return notice_drafting.target(record) if record else ""


def _changes(now: _Now, notice: Notice, version: NoticeVersion) -> list[str]:
    if version.facts_printed is None:  # drafted before printed values were kept
        return []
    current = now.printed(NoticeKind(notice.kind), _state(now.call, notice))
    if not current:
        return []
    return differences(json.loads(version.facts_printed), current)


def changes_since(call: Call, incident: Incident, version: NoticeVersion) -> list[str]:
    """What changed, in words, between what `version` prints and what a redraft would print."""
    notice = call.session.get(Notice, version.notice_id)
    if notice is None:
        return []
    return _changes(_Now(call, incident), notice, version)


@dataclass(frozen=True)
class Staleness:
    """One notice measured against the current facts."""

    notice_id: int
    obligation_id: int
    version_number: int
    stale: bool  # unsent and its printed values changed
    differs: bool  # sent, changed, and no decision recorded against these facts yet
    changes: tuple[str, ...]
    decision: NoticeContentDecision | None

    @property
    def label(self) -> str:
        if self.stale:
            return "stale"
        return DIFFERS if self.differs else ""


def _latest_versions(call: Call, notices: list[Notice]) -> dict[int, NoticeVersion]:
    latest: dict[int, NoticeVersion] = {}
    ids = [n.id for n in notices]
    for v in call.session.exec(select(NoticeVersion).where(col(NoticeVersion.notice_id).in_(ids))):
        if v.notice_id not in latest or v.number > latest[v.notice_id].number:
            latest[v.notice_id] = v
    return latest


def for_incident(call: Call, incident: Incident) -> dict[int, Staleness]:
    """Every notice of the incident, by obligation id, measured once against the facts."""
    notices = list(call.session.exec(select(Notice).where(Notice.incident_id == incident.id)))
    if not notices:
        return {}
    latest = _latest_versions(call, notices)
    now = _Now(call, incident)
    out = {}
    for notice in notices:
        version = (
            call.session.get(NoticeVersion, notice.sent_version_id)
            if notice.sent_version_id
            else latest.get(notice.id or 0)
        )
        if version is None:
            continue
        changes = _changes(now, notice, version)
        sent = notice.state == ReviewState.SENT
        decision = _decision(call, notice, version, now) if sent and changes else None
        out[notice.obligation_id] = Staleness(
            notice.id or 0,
            notice.obligation_id,
            version.number,
            bool(changes) and not sent,
            bool(changes) and sent and decision is None,
            tuple(changes),
            decision,
        )
    return out


def _current_fingerprint(now: _Now, notice: Notice, version: NoticeVersion) -> str:
    """The current values of what `version` printed (a decision answers exactly these)."""
    current = now.printed(NoticeKind(notice.kind), _state(now.call, notice))
    return fingerprint({k: current.get(k, "") for k in json.loads(version.facts_printed or "{}")})


def _decision(
    call: Call, notice: Notice, version: NoticeVersion, now: _Now
) -> NoticeContentDecision | None:
    """The decision taken against exactly these current facts, if any."""
    return call.session.exec(
        select(NoticeContentDecision)
        .where(
            NoticeContentDecision.notice_id == notice.id,
            NoticeContentDecision.fingerprint == _current_fingerprint(now, notice, version),
        )
        .order_by(col(NoticeContentDecision.id).desc())
    ).first()


def decide(
    call: Call, incident: Incident, notice: Notice, correction_owed: bool | None, reason: str
) -> NoticeContentDecision:
    """The officer's decision on a sent notice that differs from the current facts."""
    call.require(Action.RECORD_SENT)
    errors = {}
    if correction_owed is None:
        errors["correction_owed"] = "choose whether a correction is owed"
    if not reason.strip():
        errors["decision_reason"] = "say why"
    elif len(reason.strip()) > 2000:
        errors["decision_reason"] = "at most 2,000 characters"
    if errors:
        raise ValidationFailed(errors)
    if notice.state != ReviewState.SENT or notice.sent_version_id is None:
        raise Conflict("only a notice recorded as sent needs this decision")
    version = call.session.get(NoticeVersion, notice.sent_version_id)
    assert version is not None
    now = _Now(call, incident)
    changes = _changes(now, notice, version)
    if not changes:
        raise Conflict("the sent notice matches the current facts: there is nothing to decide")
    row = NoticeContentDecision(
        notice_id=notice.id or 0,
        version_id=version.id or 0,
        fingerprint=_current_fingerprint(now, notice, version),
        correction_owed=bool(correction_owed),
        reason=reason.strip(),
        decided_by=call.actor.user_id,
        decided_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "notice.content_decision",
        object_type="notice",
        object_id=notice.id,
        new={
            "version": version.number,
            "correction_owed": row.correction_owed,
            "changed": changes,
            "reason": row.reason,
        },
    )
    return row
