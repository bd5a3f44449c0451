"""Incident evidence files: asked for on the incident, built in the background by the scheduler
with its progress shown, stored outside the web root, the ZIP's SHA-256 recorded in the audit
trail (45 CFR 164.312(b)) and its manifest signed with the organisation's Ed25519 key (signing.py),
so anyone can check it without the audit key.

The command line builds at once (`incident-tracker evidence NUMBER --output FILE.zip`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import col, or_, select

from incident_tracker import files, signing
from incident_tracker.config import Settings
from incident_tracker.core.permissions import Action, can
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import EvidenceFile, Incident
from incident_tracker.services import evidence_contents
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.audit_statement import Sources
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, Forbidden, NotFound

log = logging.getLogger(__name__)
STALE_BUILD = timedelta(minutes=30)  # a build left running this long was cut off: start again


def may_export(role: str | None) -> bool:
    """Privacy officers (who keep the documentation) and admins (who keep the audit trail)."""
    return can(role, Action.EDIT_INCIDENT) or can(role, Action.VIEW_AUDIT)


def _require(call: Call) -> None:
    if call.actor.trusted or may_export(call.actor.role):
        return
    call.audit("security.permission_refused", detail="evidence file in a service")
    raise Forbidden("you do not have permission to do that", "evidence file in a service")


def build_zip(
    call: Call,
    incident: Incident,
    sources: Sources,
    secret: str,
    include_privileged: bool,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The signed ZIP of one incident (signing.signed_zip)."""
    key = signing.private_key(secret)  # before any work: production without a key says so
    content = evidence_contents.collect(call, incident, sources, include_privileged, progress)
    header = {
        "format": "incident-tracker evidence file 1",
        "incident": incident.number,
        "generated_at": call.now.isoformat(),
        "includes_privileged": include_privileged,
        "signature": "Ed25519 (RFC 8032) over the exact bytes of manifest.json, base64 in "
        "manifest.sig; the public key is in public-key.txt and on the organisation page",
    }
    return signing.signed_zip(content, header, key)


def record_built(call: Call, incident: Incident, data: bytes, include_privileged: bool) -> str:
    """The ZIP's SHA-256 in the audit trail, in the caller's transaction."""
    digest = hashlib.sha256(data).hexdigest()
    call.audit(
        "evidence.built",
        object_type="incident",
        object_id=incident.id,
        new={"sha256": digest, "bytes": len(data), "include_privileged": include_privileged},
        detail=incident.number,
    )
    return digest


def request(
    call: Call, incident: Incident, include_privileged: bool, secret: str | None = None
) -> EvidenceFile:
    """Queue a build; ticking "include privileged material" is audited with the request. With
    the signing secret given, a missing key is refused now rather than failing the build."""
    _require(call)
    if secret is not None:
        try:
            signing.private_key(secret)
        except signing.SigningKeyMissing as exc:
            raise Conflict(str(exc)) from exc
    waiting = call.session.exec(
        select(EvidenceFile).where(
            EvidenceFile.incident_id == incident.id,
            col(EvidenceFile.status).in_(("queued", "running")),
        )
    ).first()
    if waiting is not None:
        raise Conflict("an evidence file for this incident is already being built")
    row = EvidenceFile(
        incident_id=incident.id or 0,
        include_privileged=include_privileged,
        requested_by=call.actor.user_id,
        requested_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "evidence.request",
        object_type="incident",
        object_id=incident.id,
        new={"evidence_file": row.id, "include_privileged": include_privileged},
    )
    return row


def latest(call: Call, incident: Incident) -> EvidenceFile | None:
    return call.session.exec(
        select(EvidenceFile)
        .where(EvidenceFile.incident_id == incident.id)
        .order_by(col(EvidenceFile.id).desc())
    ).first()


def download(call: Call, incident: Incident, file_id: int, storage: Path) -> tuple[str, bytes]:
    """The stored ZIP (file name, bytes); the download is audited."""
    _require(call)
    row = call.session.get(EvidenceFile, file_id)
    if (
        row is None
        or row.incident_id != incident.id
        or row.status != "done"
        or not row.storage_name
    ):
        raise NotFound("no such evidence file")
    try:
        data = (storage / row.storage_name).read_bytes()
    except OSError as exc:
        raise NotFound("the evidence file is missing from storage") from exc
    call.audit(
        "evidence.download",
        object_type="incident",
        object_id=incident.id,
        new={"evidence_file": row.id, "sha256": row.sha256},
    )
    return f"{incident.number}-evidence-{row.id}.zip", data


@dataclass
class EvidenceWorker:
    """Builds queued evidence files one at a time (the scheduler calls `step` every few seconds);
    a conditional UPDATE claims a row, so two workers never build the same one."""

    engine: Engine
    sources: Sources
    secret: Callable[[], str]
    storage: Path
    now: Callable[[], datetime]

    def step(self) -> bool:
        job_id = self._claim()
        if job_id is None:
            return False
        try:
            self._build(job_id)
        except Exception as exc:  # shown on the incident; no PHI in the message
            log.exception("evidence file %s failed", job_id)
            self._finish(job_id, {"status": "failed", "error": type(exc).__name__[:200]})
        return True

    def _claim(self) -> int | None:
        now = self.now()
        waiting = or_(
            col(EvidenceFile.status) == "queued",
            (col(EvidenceFile.status) == "running")
            & (col(EvidenceFile.requested_at) < now - STALE_BUILD),
        )
        with unit_of_work(self.engine) as session:
            found = session.exec(
                select(EvidenceFile.id).where(waiting).order_by(col(EvidenceFile.id))
            ).first()
            if found is None:
                return None
            taken = session.execute(
                update(EvidenceFile)
                .where(col(EvidenceFile.id) == found, waiting)
                .values(status="running", requested_at=now, done=0)
            )
            return found if taken.rowcount == 1 else None  # type: ignore[attr-defined]

    def _finish(self, job_id: int, values: dict[str, object]) -> None:
        with unit_of_work(self.engine) as session:
            session.execute(
                update(EvidenceFile).where(col(EvidenceFile.id) == job_id).values(**values)
            )

    def _build(self, job_id: int) -> None:
        with unit_of_work(self.engine, read_only=True) as session:  # no write lock held
            job = session.get(EvidenceFile, job_id)
            assert job is not None
            incident = session.get(Incident, job.incident_id)
            assert incident is not None
            privileged = job.include_privileged
            step = {"last": 0}

            def progress(done: int, total: int) -> None:
                if done - step["last"] >= 5 or done == total:  # a few writes, not one per file
                    step["last"] = done
                    self._finish(job_id, {"done": done, "total": total})

            call = Call(session, SYSTEM, self.now(), self.sources.audit_key)
            data = build_zip(call, incident, self.sources, self.secret(), privileged, progress)
        files.private_dir(self.storage)
        name = secrets.token_hex(20)
        files.write_private(self.storage / name, data)
        with unit_of_work(self.engine) as session:
            incident = session.get(Incident, incident.id)
            assert incident is not None
            call = Call(session, SYSTEM, self.now(), self.sources.audit_key)
            digest = record_built(call, incident, data, privileged)
            session.execute(
                update(EvidenceFile)
                .where(col(EvidenceFile.id) == job_id)
                .values(
                    status="done",
                    storage_name=name,
                    sha256=digest,
                    size=len(data),
                    finished_at=call.now,
                )
            )


def sources_of(settings: Settings) -> Sources:
    return Sources(
        settings.notice_storage,
        settings.attachment_storage,
        settings.checkpoint_dir,
        settings.audit_key,
    )


def storage_of(settings: Settings) -> Path:
    """Built evidence files: outside the web root, beside the attachments."""
    return settings.storage / "evidence"


def worker_for(engine: Engine, settings: Settings, now: Callable[[], datetime]) -> EvidenceWorker:
    return EvidenceWorker(
        engine, sources_of(settings), settings.evidence_secret, storage_of(settings), now
    )
