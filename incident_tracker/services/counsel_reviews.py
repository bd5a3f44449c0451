"""Counsel's review of each jurisdiction's rule set: recorded by a legal reviewer, listed for every
jurisdiction, and shown beside that jurisdiction's provisional duties.

A review covers one version of the rule set (core/states/version.py). Only a review of the
current version is shown as such; when the rule set changes, the last review is shown as one of
an older version and the duties read "confirm with counsel" again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from incident_tracker.core.parsing import has_control_characters
from incident_tracker.core.permissions import Action
from incident_tracker.core.states import JURISDICTIONS, Jurisdiction
from incident_tracker.core.states.version import version
from incident_tracker.db.models import CounselReview, User
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed
from incident_tracker.services.register import local_today

MAX_COUNSEL = 200
MAX_NOTE = 2000


@dataclass(frozen=True)
class Review:
    counsel: str
    reviewed_on: date
    note: str
    version: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class RuleSet:
    """One jurisdiction's row: its status, current version, and counsel's review of it (or the
    latest review of an older version)."""

    code: str
    name: str
    certified: bool
    version: str
    review: Review | None
    older: Review | None


def rule_sets(call: Call) -> list[RuleSet]:
    """Every jurisdiction in the registry's order, in one query."""
    call.require(Action.VIEW_RULE_SETS)
    return _with_reviews(call, JURISDICTIONS.values())


def rule_set(call: Call, code: str) -> RuleSet | None:
    call.require(Action.VIEW_RULE_SETS)
    j = JURISDICTIONS.get(code)
    return _with_reviews(call, [j])[0] if j is not None else None


def for_duties(call: Call, codes: Iterable[str | None]) -> dict[str, RuleSet]:
    """{code: rule set} for the jurisdictions of an incident's provisional duties (the page has
    already checked that the actor sees the incident); one query, with or without any, so the
    page's query count does not depend on its duties."""
    found = [JURISDICTIONS[c] for c in sorted({c for c in codes if c in JURISDICTIONS})]
    return {r.code: r for r in _with_reviews(call, found)}


def record(
    call: Call, code: str, counsel: str, reviewed_on: date | None, note: str, reviewed: str
) -> CounselReview:
    """Counsel (named) reviewed version `reviewed` of the jurisdiction's rule set on a date."""
    call.require(Action.RECORD_COUNSEL_REVIEW)
    errors: dict[str, str] = {}
    j = JURISDICTIONS.get(code)
    counsel, note = counsel.strip(), note.strip()
    if j is None:
        errors["jurisdiction"] = "choose a jurisdiction from the list"
    elif reviewed != version(j):
        errors["version"] = (
            f"the rule set is now version {version(j)}, not {reviewed or 'the one shown'}: "
            "reload the page and record counsel's review of the current version"
        )
    if not counsel:
        errors["counsel"] = "name the counsel who reviewed the rule set"
    elif len(counsel) > MAX_COUNSEL or has_control_characters(counsel):
        errors["counsel"] = f"at most {MAX_COUNSEL} characters, without control characters"
    if reviewed_on is None:
        errors["reviewed_on"] = "enter the date of the review (YYYY-MM-DD)"
    elif reviewed_on > local_today(call):
        errors["reviewed_on"] = "the review date is in the future"
    if len(note) > MAX_NOTE:
        errors["note"] = f"at most {MAX_NOTE} characters"
    if errors:
        raise ValidationFailed(errors)
    assert j is not None and reviewed_on is not None
    row = CounselReview(
        jurisdiction=j.code,
        version=reviewed,
        counsel=counsel,
        reviewed_on=reviewed_on,
        note=note,
        recorded_by=call.actor.user_id or 0,
        recorded_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "rule_set.counsel_review",
        object_type="jurisdiction",
        object_id=j.code,
        new={"version": reviewed, "counsel": counsel, "reviewed_on": reviewed_on, "note": note},
    )
    return row


def _with_reviews(call: Call, found: Iterable[Jurisdiction]) -> list[RuleSet]:
    wanted = list(found)
    query = (
        select(CounselReview, User.email)
        .join(User, col(User.id) == col(CounselReview.recorded_by), isouter=True)
        .where(col(CounselReview.jurisdiction).in_([j.code for j in wanted]))
        .order_by(col(CounselReview.recorded_at).desc(), col(CounselReview.id).desc())
    )
    latest: dict[tuple[str, bool], Review] = {}
    versions = {j.code: version(j) for j in wanted}
    for row, email in call.session.exec(query):
        current = row.version == versions[row.jurisdiction]
        latest.setdefault(
            (row.jurisdiction, current),
            Review(
                row.counsel,
                row.reviewed_on,
                row.note,
                row.version,
                email or "?",
                row.recorded_at,
            ),
        )
    return [
        RuleSet(
            j.code,
            j.name,
            j.certified,
            versions[j.code],
            latest.get((j.code, True)),
            None if (j.code, True) in latest else latest.get((j.code, False)),
        )
        for j in wanted
    ]
