"""Every table, registered on SQLModel.metadata (Alembic imports this module)."""

from incident_tracker.db.models.audit import AuditEvent
from incident_tracker.db.models.incident import (
    Attachment,
    Incident,
    IncidentAssignee,
    IncidentState,
    LawEnforcementHold,
)
from incident_tracker.db.models.obligation import ObligationRecord, ObligationVersion
from incident_tracker.db.models.organisation import CoveredEntityClient, Facility, Organisation
from incident_tracker.db.models.reminder import (
    Notification,
    Reminder,
    SchedulerState,
    SentEmail,
    UserPreference,
)
from incident_tracker.db.models.user import User, UserSession

__all__ = [
    "Attachment",
    "AuditEvent",
    "CoveredEntityClient",
    "Facility",
    "Incident",
    "IncidentAssignee",
    "IncidentState",
    "LawEnforcementHold",
    "Notification",
    "ObligationRecord",
    "ObligationVersion",
    "Organisation",
    "Reminder",
    "SchedulerState",
    "SentEmail",
    "User",
    "UserPreference",
    "UserSession",
]
