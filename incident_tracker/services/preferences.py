"""Per-user reminder options: the daily digest and whether a feed exists."""

from __future__ import annotations

from dataclasses import dataclass

from incident_tracker.db.models import UserPreference
from incident_tracker.services.call import Call
from incident_tracker.services.errors import NotFound


@dataclass(frozen=True)
class Preferences:
    daily_digest: bool
    has_calendar_feed: bool


def user_id(call: Call) -> int:
    if call.actor.user_id is None:
        raise NotFound("no such account")
    return call.actor.user_id


def row(call: Call) -> UserPreference:
    """The user's preference row, created (not yet flushed) when it does not exist."""
    found = call.session.get(UserPreference, user_id(call))
    return found or UserPreference(user_id=user_id(call))


def get(call: Call) -> Preferences:
    found = call.session.get(UserPreference, user_id(call))
    if found is None:
        return Preferences(False, False)
    return Preferences(found.daily_digest, found.calendar_token_hash is not None)


def set_daily_digest(call: Call, on: bool) -> bool:
    """Turn the daily digest on or off; audited when it changes. True when it changed."""
    pref = row(call)
    if pref.daily_digest == on:
        return False
    pref.daily_digest = on
    call.session.add(pref)
    call.audit(
        "preference.daily_digest",
        object_type="user",
        object_id=pref.user_id,
        old={"daily_digest": not on},
        new={"daily_digest": on},
    )
    return True
