"""Who may do what: the one permission check every view and service asks (architecture.md §1.9).

Roles are read from the database on each request; this table is the only place they are decided.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRIVACY_OFFICER = "privacy_officer"  # creates and edits incidents
    LEGAL_REVIEWER = "legal_reviewer"  # reads, comments, approves notices; never changes facts
    ADMIN = "admin"  # users and organisation settings
    READ_ONLY = "read_only"


class Action(StrEnum):
    VIEW_HOME = "view_home"
    VIEW_INCIDENT = "view_incident"
    CREATE_INCIDENT = "create_incident"
    EDIT_INCIDENT = "edit_incident"
    COMMENT = "comment"
    EDIT_NOTICE = "edit_notice"
    APPROVE_NOTICE = "approve_notice"
    VIEW_ORGANISATION = "view_organisation"
    EDIT_ORGANISATION = "edit_organisation"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_OUTBOX = "view_outbox"  # the e-mails the reminders sent (no PHI in them)
    SEE_DELIVERY_FAILURES = "see_delivery_failures"  # the home page's failed-reminder warning
    ASSESS_RISK = "assess_risk"  # answer the risk-assessment steps (a draft)
    SIGN_ASSESSMENT = "sign_assessment"  # sign the conclusion (164.402, 164.530(j))
    RECORD_SENT = "record_sent"  # record a notice as sent, returned mail, HHS addenda
    MANAGE_INDIVIDUALS = "manage_individuals"  # upload the affected-individual list (PHI)
    BREAK_GLASS = "break_glass"  # open a restricted incident in an emergency, with a reason
    REVIEW_ACCESS = "review_access"  # the access review: who can see what, break-glass uses
    VIEW_RULE_SETS = "view_rule_sets"  # every jurisdiction's rule set: status, version, review
    RECORD_COUNSEL_REVIEW = "record_counsel_review"  # counsel reviewed a rule set's version


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.PRIVACY_OFFICER: frozenset(
        {
            Action.VIEW_HOME,
            Action.VIEW_INCIDENT,
            Action.CREATE_INCIDENT,
            Action.EDIT_INCIDENT,
            Action.COMMENT,
            Action.EDIT_NOTICE,
            Action.VIEW_ORGANISATION,
            Action.SEE_DELIVERY_FAILURES,
            Action.ASSESS_RISK,
            Action.SIGN_ASSESSMENT,
            Action.RECORD_SENT,
            Action.MANAGE_INDIVIDUALS,
            Action.BREAK_GLASS,
            Action.VIEW_RULE_SETS,
        }
    ),
    Role.LEGAL_REVIEWER: frozenset(
        {
            Action.VIEW_HOME,
            Action.VIEW_INCIDENT,
            Action.COMMENT,
            Action.EDIT_NOTICE,
            Action.APPROVE_NOTICE,
            Action.VIEW_ORGANISATION,
            Action.VIEW_RULE_SETS,
            Action.RECORD_COUNSEL_REVIEW,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Action.VIEW_HOME,
            Action.VIEW_INCIDENT,
            Action.VIEW_ORGANISATION,
            Action.EDIT_ORGANISATION,
            Action.MANAGE_USERS,
            Action.VIEW_AUDIT,
            Action.VIEW_OUTBOX,
            Action.SEE_DELIVERY_FAILURES,
            Action.BREAK_GLASS,
            Action.REVIEW_ACCESS,
            Action.VIEW_RULE_SETS,
        }
    ),
    Role.READ_ONLY: frozenset({Action.VIEW_HOME, Action.VIEW_INCIDENT, Action.VIEW_ORGANISATION}),
}


def can(role: Role | str | None, action: Action) -> bool:
    """True if `role` may perform `action`; an unknown or missing role may do nothing."""
    try:
        known = Role(role) if role is not None else None
    except ValueError:
        return False
    return known is not None and action in _ALLOWED[known]


def can_see_incident(
    role: Role | str | None,
    restricted: bool,
    is_owner: bool,
    is_assignee: bool,
    broke_glass: bool = False,
) -> bool:
    """A restricted incident is seen only by its owner and its assignees (minimum necessary,
    45 CFR 164.502(b)), and by whoever holds a live break-glass grant for it (emergency access,
    164.312(a)(2)(ii)); to everyone else it does not exist (404), in every list, search and
    export. No role sees it by standing access, admins included."""
    if not can(role, Action.VIEW_INCIDENT):
        return False
    return not restricted or is_owner or is_assignee or broke_glass


def can_act_on_incident(
    role: Role | str | None, action: Action, restricted: bool, is_owner: bool, is_assignee: bool
) -> bool:
    """The role's permission, on an incident the user may see."""
    return can(role, action) and can_see_incident(role, restricted, is_owner, is_assignee)
