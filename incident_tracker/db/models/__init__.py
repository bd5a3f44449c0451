"""Every table, registered on SQLModel.metadata (Alembic imports this module)."""

from incident_tracker.db.models.api import (
    ApiIdempotency,
    ApiToken,
    ApiTokenUse,
    WebhookDelivery,
    WebhookEndpoint,
)
from incident_tracker.db.models.assessment import (
    AssessmentComment,
    AssessmentDraft,
    AssessmentRecord,
)
from incident_tracker.db.models.audit import AuditEvent
from incident_tracker.db.models.auth_failure import AuthFailureWindow
from incident_tracker.db.models.break_glass import BreakGlassGrant
from incident_tracker.db.models.counsel import CounselReview
from incident_tracker.db.models.evidence_file import EvidenceFile
from incident_tracker.db.models.form_token import FormToken
from incident_tracker.db.models.generation import DataGeneration
from incident_tracker.db.models.incident import (
    Attachment,
    Incident,
    IncidentAssignee,
    IncidentState,
    LawEnforcementHold,
)
from incident_tracker.db.models.individuals import (
    AffectedIndividual,
    IndividualList,
    LetterRun,
)
from incident_tracker.db.models.mfa import AccountToken, MfaRecoveryCode, UserMfa
from incident_tracker.db.models.notice import (
    Notice,
    NoticeApproval,
    NoticeComment,
    NoticeContentDecision,
    NoticeDetailsRecord,
    NoticeVersion,
)
from incident_tracker.db.models.obligation import ObligationRecord, ObligationVersion
from incident_tracker.db.models.oidc import OidcLink
from incident_tracker.db.models.organisation import CoveredEntityClient, Facility, Organisation
from incident_tracker.db.models.reminder import (
    Notification,
    Reminder,
    SchedulerState,
    SentEmail,
    UserPreference,
)
from incident_tracker.db.models.sending import HhsAddendum, ReturnedMail, SentRecord
from incident_tracker.db.models.staff_report import StaffReport
from incident_tracker.db.models.user import User, UserSession

__all__ = [
    "AccountToken",
    "AffectedIndividual",
    "ApiIdempotency",
    "ApiToken",
    "ApiTokenUse",
    "AssessmentComment",
    "AssessmentDraft",
    "AssessmentRecord",
    "Attachment",
    "AuditEvent",
    "AuthFailureWindow",
    "BreakGlassGrant",
    "CounselReview",
    "CoveredEntityClient",
    "DataGeneration",
    "EvidenceFile",
    "Facility",
    "FormToken",
    "HhsAddendum",
    "Incident",
    "IncidentAssignee",
    "IncidentState",
    "IndividualList",
    "LawEnforcementHold",
    "LetterRun",
    "MfaRecoveryCode",
    "Notice",
    "NoticeApproval",
    "NoticeComment",
    "NoticeContentDecision",
    "NoticeDetailsRecord",
    "NoticeVersion",
    "Notification",
    "ObligationRecord",
    "ObligationVersion",
    "OidcLink",
    "Organisation",
    "Reminder",
    "ReturnedMail",
    "SchedulerState",
    "SentEmail",
    "SentRecord",
    "StaffReport",
    "User",
    "UserMfa",
    "UserPreference",
    "UserSession",
    "WebhookDelivery",
    "WebhookEndpoint",
]
