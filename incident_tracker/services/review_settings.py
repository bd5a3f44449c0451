"""The organisation profile's notice-review settings: the default legal reviewer, and whether the
editor of a version may approve it themself with an attestation (an organisation with one lawyer).

The second replaces the NOTICE_APPROVER_MAY_BE_EDITOR environment variable: until the profile
holds a value, the variable's value is used, and the first approval stores it (audited), after
which only the profile counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from incident_tracker.core.parsing import whole_number
from incident_tracker.core.permissions import Action, Role
from incident_tracker.db.models import Organisation, User
from incident_tracker.services import organisation
from incident_tracker.services.call import Call
from incident_tracker.services.errors import ValidationFailed

ATTESTATION = (
    "I wrote this version and I approve it as the organisation's legal reviewer: I have read it "
    "in full against the facts and the required content."
)


@dataclass(frozen=True)
class ReviewSettings:
    default_reviewer_id: int | None
    approver_may_be_editor: bool
    seeded: bool  # the profile holds the value (else it comes from the environment)


def current(call: Call, from_env: bool) -> ReviewSettings:
    """The settings as they apply now; `from_env` is the environment's value, used until the
    profile holds one. One query (the organisation row)."""
    org = call.session.get(Organisation, 1)
    stored = org.approver_may_be_editor if org is not None else None
    return ReviewSettings(
        org.default_reviewer_id if org is not None else None,
        from_env if stored is None else stored,
        stored is not None,
    )


def seed(call: Call, from_env: bool) -> bool:
    """Store the environment's value in the profile once (in the caller's transaction)."""
    org = call.session.get(Organisation, 1)
    if org is None or org.approver_may_be_editor is not None:
        return current(call, from_env).approver_may_be_editor
    org.approver_may_be_editor = from_env
    call.session.add(org)
    call.audit(
        "organisation.review_settings_seeded",
        object_type="organisation",
        object_id=1,
        new={"approver_may_be_editor": from_env},
        detail="from NOTICE_APPROVER_MAY_BE_EDITOR",
    )
    return from_env


def reviewers(call: Call) -> list[User]:
    """Active legal reviewers, by name: the choices for a submission and the default."""
    return list(
        call.session.exec(
            select(User)
            .where(col(User.role) == Role.LEGAL_REVIEWER.value, col(User.is_active).is_(True))
            .order_by(col(User.display_name), col(User.email))
        )
    )


def save(call: Call, default_reviewer: str, approver_may_be_editor: bool, from_env: bool) -> None:
    """The profile's review settings, audited with their old and new values."""
    call.require(Action.EDIT_ORGANISATION)
    chosen: int | None = None
    if default_reviewer.strip():
        ids = {u.id for u in reviewers(call)}
        chosen = whole_number(default_reviewer.strip())
        if chosen not in ids:
            raise ValidationFailed({"default_reviewer": "choose an active legal reviewer"})
    org = call.session.get(Organisation, 1)
    if org is None:
        org = organisation.get(call)
    before = current(call, from_env)
    org.default_reviewer_id, org.approver_may_be_editor = chosen, approver_may_be_editor
    call.session.add(org)
    call.audit(
        "organisation.review_settings",
        object_type="organisation",
        object_id=1,
        old={
            "default_reviewer_id": before.default_reviewer_id,
            "approver_may_be_editor": before.approver_may_be_editor,
        },
        new={"default_reviewer_id": chosen, "approver_may_be_editor": approver_may_be_editor},
    )
