"""Merged individual letters from the confirmed list: one PDF and one DOCX, made in chunks.

`start` fixes the letter text (the approved version of the individual notice, else a draft from
the core as the CLI makes it) and queues a run; a `LetterWorker` renders one chunk at a time
under a lease, so the scheduler process (or the web request that started a small run) can carry
it and a crash loses at most one chunk. Files live outside the web root and are handed only to
people who may see the incident, re-checked against their SHA-256 on every download.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from incident_tracker.core.individuals import (
    Person,
    addressed,
    letter_recipient,
    placeholders_missing,
)
from incident_tracker.core.notices import NoticeKind
from incident_tracker.core.notices.markup import from_markup, missing_markers
from incident_tracker.core.notices.render import Block
from incident_tracker.core.permissions import Action
from incident_tracker.db import unit_of_work
from incident_tracker.db.models import (
    AffectedIndividual,
    Incident,
    LetterRun,
    Notice,
    NoticeVersion,
    ObligationRecord,
)
from incident_tracker.files import make_private, private_dir, write_private
from incident_tracker.services import individuals, notice_drafting, notice_review
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict, NotFound, ValidationFailed

CHUNK = 20  # letters per step: a few seconds of WeasyPrint, so a web request can carry one
LEASE = timedelta(minutes=5)
TITLE = "Notice of Data Breach"
DRAFT_MARK = "DRAFT — not approved"  # on every page of letters merged from an unapproved text
ACTIVE = ("queued", "running")
FORMATS = {
    "pdf": "application/pdf",
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@dataclass(frozen=True)
class LetterText:
    text: str  # markup (core.notices.markup) with the recipient placeholders
    source: str
    version_id: int | None


def letter_text(call: Call, incident: Incident) -> LetterText:
    """The approved (or already sent) version of the individual notice when there is one: the
    letters then carry exactly the approved wording; otherwise a draft from the core."""
    version = _approved_individual_version(call, incident)
    if version is not None:
        return LetterText(
            version.text,
            f"approved version {version.number} of the individual notice",
            version.id,
        )
    text = notice_drafting.generate(call, incident, NoticeKind.INDIVIDUAL, "")
    gaps = len(missing_markers(text))
    source = "drafted from the facts and notice details (no approved version yet)"
    if gaps:
        source += f"; {gaps} required element{'' if gaps == 1 else 's'} still marked MISSING"
    return LetterText(text, source, None)


def _approved_individual_version(call: Call, incident: Incident) -> NoticeVersion | None:
    f1 = call.session.exec(
        select(ObligationRecord).where(
            ObligationRecord.incident_id == incident.id, ObligationRecord.rule_id == "F1"
        )
    ).first()
    if f1 is None:
        return None
    approved = notice_review.approved_version_for(call, incident, f1.id or 0)
    if approved is not None:
        return approved
    notice = call.session.exec(select(Notice).where(Notice.obligation_id == f1.id)).first()
    if notice is None or notice.sent_version_id is None:
        return None
    return call.session.get(NoticeVersion, notice.sent_version_id)


def _eligible(list_id: int) -> ColumnElement[bool]:
    """The rows that get a letter (core.individuals.letter_recipient, in SQL)."""
    kin = and_(
        col(AffectedIndividual.next_of_kin_name) != "",
        col(AffectedIndividual.next_of_kin_address_line1) != "",
    )
    return and_(
        col(AffectedIndividual.list_id) == list_id,
        or_(col(AffectedIndividual.deceased).is_(False), kin),
    )


def start(call: Call, incident: Incident, chunk: int = CHUNK) -> LetterRun:
    """Queue the merged letters of the incident's confirmed list."""
    call.require(Action.MANAGE_INDIVIDUALS)
    current = individuals.current_list(call, incident)
    if current is None:
        raise ValidationFailed({"letters": "confirm an affected-individual list first"})
    if latest_run(call, incident, active_only=True) is not None:
        raise Conflict("letters are already being made for this incident")
    text = letter_text(call, incident)
    missing = placeholders_missing(from_markup(text.text))
    if missing:
        raise ValidationFailed(
            {
                "letters": "the letter text has lost its "
                + " and ".join(missing)
                + " placeholder(s), so the letters could not be addressed; restore them in the "
                "notice (a new version needs approval)"
            }
        )
    total = call.session.exec(
        select(func.count()).select_from(AffectedIndividual).where(_eligible(current.id or 0))
    ).one()
    if total == 0:
        raise ValidationFailed({"letters": "no one on the list gets a letter"})
    run = LetterRun(
        incident_id=incident.id or 0,
        list_id=current.id or 0,
        total=total,
        chunk_size=chunk,
        source=text.source,
        notice_version_id=text.version_id,
        text=text.text,
        work_dir=secrets.token_hex(16),
        started_by=call.actor.user_id,
        created_at=call.now,
    )
    call.session.add(run)
    call.session.flush()
    call.audit(
        "letters.start",
        object_type="incident",
        object_id=incident.id,
        new={"run": run.id, "letters": total, "source": text.source},
    )
    return run


def latest_run(call: Call, incident: Incident, active_only: bool = False) -> LetterRun | None:
    query = select(LetterRun).where(LetterRun.incident_id == incident.id)
    if active_only:
        query = query.where(col(LetterRun.status).in_(ACTIVE))
    return call.session.exec(query.order_by(col(LetterRun.id).desc())).first()


@dataclass(frozen=True)
class Download:
    """The latest finished run's file when its SHA-256 still matches; else why it is refused."""

    path: Path | None
    name: str
    problem: str | None = None


def file_for(call: Call, incident: Incident, fmt: str, storage: Path) -> Download:
    """Audited either way (a refusal commits its audit row: nothing is raised)."""
    run = call.session.exec(
        select(LetterRun)
        .where(LetterRun.incident_id == incident.id, LetterRun.status == "done")
        .order_by(col(LetterRun.id).desc())
    ).first()
    if run is None or fmt not in FORMATS:
        raise NotFound("no merged letters yet")
    name, digest = (
        (run.pdf_storage, run.pdf_sha256) if fmt == "pdf" else (run.docx_storage, run.docx_sha256)
    )
    path = storage / (name or "")
    download = f"{incident.number}-letters.{fmt}"
    if not name or not path.is_file() or _sha256(path) != digest:
        call.audit(
            "letters.download_refused",
            object_type="incident",
            object_id=incident.id,
            detail=f"run {run.id} {fmt}: the stored file does not match its SHA-256",
        )
        return Download(
            None,
            download,
            "The stored letters file does not match its recorded SHA-256, so it is not handed "
            "out. Make the letters again, and tell an administrator.",
        )
    call.audit(
        "letters.download",
        object_type="incident",
        object_id=incident.id,
        new={"run": run.id, "format": fmt, "sha256": digest},
    )
    return Download(path, download)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Lease:
    """A worker's claim on a run: its writes count only while the run still carries `token`."""

    run_id: int
    token: str


@dataclass
class LetterWorker:
    """Makes letters one chunk at a time; each chunk is claimed with a conditional UPDATE on the
    run's lease, so two workers never render the same chunk. A slow worker whose lease expired
    and was taken over finds its token gone when it writes back, and drops its output quietly:
    it can neither fail nor rewind the run the other worker carried on or finished."""

    engine: Engine
    audit_key: str
    storage: Path
    now: Callable[[], datetime]
    lease: timedelta = LEASE

    def step(self, run_id: int | None = None) -> bool:
        """Render the next chunk of `run_id` (or of any run waiting); False when nothing to do."""
        claimed = self._claim(run_id)
        if claimed is None:
            return False
        try:
            self._chunk(claimed)
        except Exception as exc:  # the run fails visibly; no PHI in the message
            self._fail(claimed, exc)
        return True

    def work(self, seconds: float) -> int:
        """Chunks until nothing is waiting or `seconds` have passed (the scheduler's job)."""
        deadline, steps = time.monotonic() + seconds, 0
        while time.monotonic() < deadline and self.step():
            steps += 1
        return steps

    def _claim(self, run_id: int | None) -> Lease | None:
        now = self.now()
        with unit_of_work(self.engine) as session:
            query = select(LetterRun.id).where(
                col(LetterRun.status).in_(ACTIVE),
                or_(col(LetterRun.lease_until).is_(None), col(LetterRun.lease_until) < now),
            )
            if run_id is not None:
                query = query.where(LetterRun.id == run_id)
            found = session.exec(query.order_by(col(LetterRun.id))).first()
            if found is None:
                return None
            token = secrets.token_hex(16)
            taken = session.execute(
                update(LetterRun)
                .where(
                    col(LetterRun.id) == found,
                    col(LetterRun.status).in_(ACTIVE),
                    or_(col(LetterRun.lease_until).is_(None), col(LetterRun.lease_until) < now),
                )
                .values(lease_until=now + self.lease, lease_token=token, status="running")
            )
            won = taken.rowcount == 1  # type: ignore[attr-defined]
            return Lease(found, token) if won else None

    def _chunk(self, lease: Lease) -> None:
        with Session(self.engine) as session:
            run = session.get(LetterRun, lease.run_id)
            assert run is not None
            if run.lease_token != lease.token or run.status != "running":
                return  # taken over between the claim and here
            rows = session.exec(
                select(AffectedIndividual)
                .where(_eligible(run.list_id))
                .order_by(col(AffectedIndividual.id))
                .offset(run.done)
                .limit(run.chunk_size)
            ).all()
            people = [individuals.person_of(r) for r in rows]
            text, done, total, folder = run.text, run.done, run.total, run.work_dir
            mark = None if run.notice_version_id is not None else DRAFT_MARK
        work = private_dir(self.storage / "work" / folder)
        if people:
            _render_chunk(from_markup(text), people, work, done, mark)
        finished = done + len(people) >= total or not people
        files = _assemble(work, self.storage, mark) if finished else None
        finished_at = self.now()
        values: dict[str, object] = {
            "done": min(total, done + len(people)),
            "lease_until": None,
            "lease_token": None,
        }
        if files is not None:
            pdf, docx = files
            values |= {
                "pdf_storage": pdf[0],
                "pdf_sha256": pdf[1],
                "pdf_size": pdf[2],
                "docx_storage": docx[0],
                "docx_sha256": docx[1],
                "docx_size": docx[2],
                "status": "done",
                "finished_at": finished_at,
            }
        with unit_of_work(self.engine) as session:
            if not _still_held(session, lease, values):
                if files is not None:  # another worker owns the run now: drop our copies
                    for name in (files[0][0], files[1][0]):
                        (self.storage / name).unlink(missing_ok=True)
                return
            if files is not None:
                run = session.get(LetterRun, lease.run_id)
                assert run is not None
                Call(session, SYSTEM, finished_at, self.audit_key).audit(
                    "letters.done",
                    object_type="incident",
                    object_id=run.incident_id,
                    new={
                        "run": run.id,
                        "letters": run.done,
                        "pdf_sha256": run.pdf_sha256,
                        "docx_sha256": run.docx_sha256,
                    },
                )
        if files is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _fail(self, lease: Lease, exc: Exception) -> None:
        now = self.now()
        with unit_of_work(self.engine) as session:
            run = session.get(LetterRun, lease.run_id)
            assert run is not None
            error = f"{type(exc).__name__} while making letters {run.done + 1}-"[:500]
            values = {
                "status": "failed",
                "lease_until": None,
                "lease_token": None,
                "error": error,
                "finished_at": now,
            }
            if not _still_held(session, lease, values):
                return  # another worker owns the run (and its work folder) now
            Call(session, SYSTEM, now, self.audit_key).audit(
                "letters.failed",
                object_type="incident",
                object_id=run.incident_id,
                detail=error,
            )
            folder = run.work_dir
        shutil.rmtree(self.storage / "work" / folder, ignore_errors=True)


def _still_held(session: Session, lease: Lease, values: Mapping[str, object]) -> bool:
    """Write `values` only if the run is still running under this lease; True when written."""
    written = session.execute(
        update(LetterRun)
        .where(
            col(LetterRun.id) == lease.run_id,
            col(LetterRun.lease_token) == lease.token,
            col(LetterRun.status) == "running",
        )
        .values(**values)
    )
    session.expire_all()
    return bool(written.rowcount == 1)  # type: ignore[attr-defined]


def _render_chunk(
    blocks: tuple[Block, ...],
    people: list[Person],
    work: Path,
    first: int,
    mark: str | None = None,
) -> None:
    """A chunk's PDF and DOCX fragment, named by the position of its first letter (so a retried
    chunk overwrites its own files and the names sort in letter order)."""
    from incident_tracker.documents.merge import docx_fragment
    from incident_tracker.documents.pdf import render_pdf

    letters = []
    for person in people:
        recipient = letter_recipient(person)
        assert recipient is not None  # _eligible selects only people with a recipient
        letters.append(addressed(blocks, recipient))
    write_private(work / f"{first:09d}.pdf", render_pdf(letters, TITLE, mark))
    write_private(work / f"{first:09d}.xml", docx_fragment(letters, mark))


Stored = tuple[str, str, int]  # storage name, SHA-256, size


def _assemble(work: Path, storage: Path, mark: str | None = None) -> tuple[Stored, Stored]:
    from incident_tracker.documents.merge import join_docx, join_pdfs

    pdf, docx = storage / secrets.token_hex(20), storage / secrets.token_hex(20)
    join_pdfs(sorted(work.glob("*.pdf")), pdf)
    join_docx(sorted(work.glob("*.xml")), docx, TITLE, mark)
    make_private(pdf)  # made by pdfunite and zipfile under the process umask
    make_private(docx)
    return (pdf.name, _sha256(pdf), pdf.stat().st_size), (
        docx.name,
        _sha256(docx),
        docx.stat().st_size,
    )
