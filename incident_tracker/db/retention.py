"""Records kept six years are never deleted through the app or its commands.

45 CFR 164.530(j)(2): the documentation of the breach process (the incident, its assessments,
notices, what was sent and its proof, attachments, the affected-individual lists, the
law-enforcement statements and the audit trail, 164.414(b) and 164.530(j)(1)) is retained six
years from its creation or the date it was last in effect. No use case deletes such a row: a
mistaken one is voided with a reason instead (sent records, law-enforcement statements, an
incident's status "void"). This guard makes that a property of every session, so a future code
path that tries is refused before anything reaches the database (the audit table's own trigger
refuses at the database too, migration 0001).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Delete, event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from incident_tracker.db.models import (
    AssessmentRecord,
    Attachment,
    AuditEvent,
    HhsAddendum,
    Incident,
    IndividualList,
    LawEnforcementHold,
    Notice,
    NoticeApproval,
    NoticeContentDecision,
    NoticeVersion,
    ObligationRecord,
    ObligationVersion,
    ReturnedMail,
    SentRecord,
)

RETAINED: tuple[type[Any], ...] = (
    Incident,
    AssessmentRecord,
    Notice,
    NoticeVersion,
    NoticeApproval,
    NoticeContentDecision,
    SentRecord,
    ReturnedMail,
    HhsAddendum,
    Attachment,
    IndividualList,
    LawEnforcementHold,
    ObligationRecord,
    ObligationVersion,
    AuditEvent,
)
_TABLES = frozenset(model.__tablename__ for model in RETAINED)


class RetainedRecord(Exception):
    """A deletion of a record the law requires kept; void it with a reason instead."""

    def __init__(self, table: str) -> None:
        super().__init__(
            f"a {table} record is kept six years (45 CFR 164.530(j)) and cannot be deleted; "
            "void it with a reason instead"
        )
        self.table = table


def _refuse_deleted_rows(session: Session, _tx: UOWTransaction, _instances: Any) -> None:
    for row in session.deleted:
        if isinstance(row, RETAINED):
            raise RetainedRecord(type(row).__tablename__)


def _refuse_bulk_deletes(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, Delete):
        table = str(getattr(statement.table, "name", ""))
        if table in _TABLES:
            raise RetainedRecord(table)


def install() -> None:
    """Once per process: every ORM session refuses to delete a retained record."""
    if not event.contains(Session, "before_flush", _refuse_deleted_rows):
        event.listen(Session, "before_flush", _refuse_deleted_rows)
        event.listen(Session, "do_orm_execute", _refuse_bulk_deletes)
