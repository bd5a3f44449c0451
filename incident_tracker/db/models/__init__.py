"""Every table, registered on SQLModel.metadata (Alembic imports this module)."""

from incident_tracker.db.models.audit import AuditEvent
from incident_tracker.db.models.organisation import CoveredEntityClient, Facility, Organisation
from incident_tracker.db.models.user import User, UserSession

__all__ = ["AuditEvent", "CoveredEntityClient", "Facility", "Organisation", "User", "UserSession"]
