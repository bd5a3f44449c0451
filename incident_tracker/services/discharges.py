"""What one sending settles, and in which order notices must go.

One individual letter settles F1 and each State's resident duty (NY1, NJ2, CA1) whose law's
required elements it carries (core.notices.elements.audience_status); a State with a letter of
its own, or whose elements are missing, keeps its duty open and is told why. The settled duties
get a record "deemed" from the letter's (SentRecord.deemed_from_id), so they are marked done with
it, feed the engine through the same done dates (db.mapping.DONE_FEEDS) and are voided with it.

Order: a duty whose terms say it `must_precede` another (NJ1 before the NJ customer notice,
N.J.S.A. 56:8-163(c)(1)) and is not recorded as sent by the day the later one goes makes that
sending out of order; it needs a confirmation with a reason, and the incident page shows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from incident_tracker.core.jurisdictions import registry
from incident_tracker.core.notices.elements import LETTER_DUTIES
from incident_tracker.core.order import followers
from incident_tracker.core.states.interpreter import HIPAA_LETTER_SERVES
from incident_tracker.db.models import Incident, Notice, NoticeVersion, ObligationRecord, SentRecord
from incident_tracker.services import notice_drafting
from incident_tracker.services.call import Call

LEAD = "F1"  # the HIPAA letter (45 CFR 164.404) is the one individual letter
STATE_DUTIES = tuple(r for r in LETTER_DUTIES if r != LEAD)


@dataclass(frozen=True)
class Discharge:
    """One State duty the letter meets the lead's sending: settled, or open and why."""

    record: ObligationRecord
    settles: bool
    why: str = ""

    @property
    def label(self) -> str:
        return self.record.rule_id


def deemed_by_statute(record: ObligationRecord) -> bool:
    """N.Y. Gen. Bus. Law § 899-aa(2)(b): for a HIPAA covered entity the HIPAA letter is the NY
    resident notice, whatever text was recorded; so it is for another State that accepts the
    HIPAA letter for its residents (individual notice only, e.g. M.G.L. c. 93H § 5)."""
    terms = json.loads(record.terms)
    if registry.met_by_hipaa_letter(record.rule_id, str(terms.get("citation", ""))):
        return True
    return bool(terms.get("due_basis") == HIPAA_LETTER_SERVES)


def _live(call: Call, incident: Incident, rule_ids: tuple[str, ...]) -> list[ObligationRecord]:
    return list(
        call.session.exec(
            select(ObligationRecord)
            .where(
                ObligationRecord.incident_id == incident.id,
                ObligationRecord.live == True,  # noqa: E712
                col(ObligationRecord.rule_id).in_(rule_ids),
            )
            .order_by(col(ObligationRecord.rule_id), col(ObligationRecord.id))
        )
    )


def _sent_on_its_own(call: Call, record: ObligationRecord) -> bool:
    return (
        call.session.exec(
            select(SentRecord.id).where(
                SentRecord.obligation_id == record.id,
                col(SentRecord.voided_at).is_(None),
                col(SentRecord.deemed_from_id).is_(None),
            )
        ).first()
        is not None
    )


def for_letter(
    call: Call, incident: Incident, lead: ObligationRecord, version: NoticeVersion | None
) -> list[Discharge]:
    """The State duties a sending of the lead's letter (`version`, None when recorded without
    the app's text) would settle or leave open. Empty for any other duty."""
    if lead.rule_id != LEAD:
        return []
    own = set(
        call.session.exec(
            select(Notice.obligation_id).where(Notice.incident_id == incident.id)
        ).all()
    )
    out = []
    for record in _live(call, incident, STATE_DUTIES):
        if record.party != lead.party:
            continue
        if record.id in own:
            out.append(Discharge(record, False, "it has a State letter of its own"))
        elif _sent_on_its_own(call, record):
            out.append(Discharge(record, False, "it is recorded as sent on its own"))
        elif version is None:
            settled = deemed_by_statute(record)
            why = "" if settled else "record the approved letter to settle it with this mailing"
            out.append(Discharge(record, settled, why))
        else:
            gaps = notice_drafting.audience_gaps(call, incident, record.rule_id, version.text)
            why = "the letter lacks " + "; ".join(gaps) if gaps else ""
            out.append(Discharge(record, not gaps, why))
    return out


@dataclass(frozen=True)
class OrderBreach:
    """A notice that went (or is about to go) before one that must precede it."""

    first: ObligationRecord  # the duty that must go first
    then: ObligationRecord  # the duty sent before it
    then_on: date
    reason: str = ""

    @property
    def message(self) -> str:
        first = json.loads(self.first.terms)
        then = json.loads(self.then.terms)
        told = (
            f"was recorded sent on {self.first.done_on}"
            if self.first.done_on
            else "is not recorded as sent"
        )
        return (
            f"{then.get('recipient', self.then.rule_id)} ({self.then.rule_id}) was notified on "
            f"{self.then_on}, but {first.get('recipient', self.first.rule_id)} "
            f"({self.first.rule_id}) must be told first ({first.get('citation', '')}) and {told}"
        )


def _live_records(call: Call, incident: Incident) -> list[ObligationRecord]:
    return list(
        call.session.exec(
            select(ObligationRecord).where(
                ObligationRecord.incident_id == incident.id,
                ObligationRecord.live == True,  # noqa: E712
            )
        )
    )


def _predecessors(
    records: list[ObligationRecord],
) -> list[tuple[ObligationRecord, tuple[str, ...]]]:
    out = []
    for record in records:
        after = followers(json.loads(record.terms).get("must_precede"))
        if after:
            out.append((record, after))
    return out


def unmet_order(
    call: Call, incident: Incident, targets: list[ObligationRecord], sent_on: date
) -> list[OrderBreach]:
    """Sending `targets` on `sent_on` breaks an order when a duty that must precede one of them
    is not recorded as sent on or before that day."""
    out = []
    for first, after in _predecessors(_live_records(call, incident)):
        for target in targets:
            late = first.done_on is None or first.done_on > sent_on
            if target.rule_id in after and target.party == first.party and late:
                out.append(OrderBreach(first, target, sent_on))
    return out


def order_breaches(call: Call, incident: Incident) -> list[OrderBreach]:
    """Every recorded sending that went before a notice that must precede it, with the reason
    given when it was recorded (the incident page's warning). Two statements at most, whatever
    the number of duties."""
    records = _live_records(call, incident)
    found: list[tuple[ObligationRecord, ObligationRecord]] = []
    for first, after in _predecessors(records):
        for then in records:
            if then.rule_id not in after or then.done_on is None or then.party != first.party:
                continue
            if first.done_on is not None and first.done_on <= then.done_on:
                continue
            found.append((first, then))
    if not found:
        return []
    reasons: dict[int, str] = {}
    for row in call.session.exec(
        select(SentRecord)
        .where(
            col(SentRecord.obligation_id).in_([then.id for _, then in found]),
            col(SentRecord.voided_at).is_(None),
        )
        .order_by(col(SentRecord.sent_on).desc(), col(SentRecord.id).desc())
    ):
        reasons[row.obligation_id] = row.order_reason or ""
    return [
        OrderBreach(first, then, then.done_on, reasons.get(then.id or 0, ""))
        for first, then in found
        if then.done_on is not None
    ]
