"""The incident evidence file: a ZIP whose manifest lists every file with its SHA-256 and size,
signed with the organisation's Ed25519 key (RFC 8032), so an outside auditor can check it without
the audit key; a tampered file is refused by `incident-tracker evidence verify`; privileged
material (risk assessments, legal comments) is left out unless asked for (45 CFR 164.414(b),
164.530(j))."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import stat
import zipfile
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from incident_tracker import signing
from incident_tracker.cli import main
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db.models import AuditEvent, EvidenceFile, Incident
from incident_tracker.services import assessments, evidence, evidence_files, sending
from incident_tracker.services.call import Call
from incident_tracker.services.errors import Conflict
from incident_tracker.services.sending import SentInput
from tests.conftest import AUDIT_KEY
from tests.core.test_risk_walks import notify_without_assessment
from tests.services.sending_support import (
    People,
    as_user,
    load,
    make_incident,
    obligation_id,
)
from tests.services.sending_support import people as people
from tests.services.test_assessments import walk_steps

__all__ = ["people"]
STATEMENT = b"Detective Lee asked us on 2026-09-20 to delay notice until 2026-10-01.\n"


def prepared(engine: Engine, clock: FixedClock, who: People, settings: Settings) -> int:
    """An incident with an attachment, a signed assessment and the letters recorded as sent."""
    iid = make_incident(engine, clock, who.officer, states={"NY": 120})

    def work(call: Call) -> None:
        incident = load(call, iid)
        storage = settings.attachment_storage
        evidence.attach(
            call, incident, storage, "statement.txt", STATEMENT, "law_enforcement_statement"
        )
        walk_steps(call, incident, notify_without_assessment())
        assessments.sign(call, incident, "Pat Officer", True)

    as_user(engine, clock, who.officer, work)
    f1 = obligation_id(engine, iid, "F1")
    as_user(
        engine,
        clock,
        who.officer,
        lambda c: sending.record_sent(
            c, load(c, iid), f1, SentInput(date(2026, 10, 1), "mail", 120)
        ),
    )
    return iid


def build(
    engine: Engine, clock: FixedClock, settings: Settings, iid: int, privileged: bool
) -> bytes:
    return as_user(
        engine,
        clock,
        None,
        lambda c: evidence_files.build_zip(
            c,
            load(c, iid),
            evidence_files.sources_of(settings),
            settings.evidence_secret(),
            privileged,
        ),
    )


def test_every_file_is_listed_with_its_hash_and_the_signature_checks_with_the_public_key(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    iid = prepared(engine, clock, people, settings)
    data = build(engine, clock, settings, iid, privileged=False)
    archive = zipfile.ZipFile(io.BytesIO(data))
    body = archive.read("manifest.json")
    manifest = json.loads(body)
    listed = {f["path"]: f for f in manifest["files"]}
    names = set(archive.namelist()) - {"manifest.json", "manifest.sig", "public-key.txt"}
    assert set(listed) == names
    for path, item in listed.items():
        content = archive.read(path)
        assert item["sha256"] == hashlib.sha256(content).hexdigest(), path
        assert item["bytes"] == len(content), path
    # The signature, checked with the cryptography library alone, as an auditor would.
    key_text = archive.read("public-key.txt").decode().strip()
    assert key_text.startswith("ed25519 ")
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key_text.split()[1]))
    public.verify(base64.b64decode(archive.read("manifest.sig")), body)  # raises if wrong
    assert manifest["public_key"] == key_text
    assert key_text == signing.public_key_text(signing.private_key(settings.evidence_secret()))
    # What an investigator asks for is there.
    assert archive.read("summary.pdf").startswith(b"%PDF")
    attached = [n for n in names if n.startswith("attachments/")]
    assert len(attached) == 1 and attached[0].endswith("statement.txt")
    assert archive.read(attached[0]) == STATEMENT
    sent = list(csv.DictReader(io.StringIO(archive.read("sending/sent-records.csv").decode())))
    assert [(r["duty"], r["sent_on"]) for r in sent][:1] == [("F1", "2026-10-01")]
    chain = archive.read("audit/chain-verification.txt").decode()
    assert "intact" in chain
    trail = archive.read("audit/incident-audit-trail.csv").decode()
    assert "attachment.create" in trail and "sent.record" in trail


def test_privileged_material_is_left_out_unless_asked_for(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    iid = prepared(engine, clock, people, settings)
    plain = zipfile.ZipFile(io.BytesIO(build(engine, clock, settings, iid, privileged=False)))
    assert not [n for n in plain.namelist() if n.startswith("assessments/")]
    rows = list(csv.DictReader(io.StringIO(plain.read("audit/incident-audit-trail.csv").decode())))
    signed = [r for r in rows if r["action"] == "assessment.sign"]
    assert signed and all(r["new_values"] in ("", "[privileged — withheld]") for r in signed)
    assert any(r["new_values"] == "[privileged — withheld]" for r in signed)
    full = zipfile.ZipFile(io.BytesIO(build(engine, clock, settings, iid, privileged=True)))
    assert "assessments/risk-assessment-v1.pdf" in full.namelist()
    assert json.loads(full.read("manifest.json"))["includes_privileged"] is True
    rows = list(csv.DictReader(io.StringIO(full.read("audit/incident-audit-trail.csv").decode())))
    assert "[privileged — withheld]" not in {r["new_values"] for r in rows}


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = main(list(argv), out=out, err=err, stdin=StringIO(""))
    return code, out.getvalue(), err.getvalue()


def _tampered(data: bytes, path: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content + b"x" if name == path else content)
    return out.getvalue()


def test_evidence_verify_accepts_the_file_and_refuses_a_tampered_one(
    engine: Engine, clock: FixedClock, people: People, settings: Settings, tmp_path: Path
) -> None:
    iid = prepared(engine, clock, people, settings)
    data = build(engine, clock, settings, iid, privileged=False)
    good = tmp_path / "good.zip"
    good.write_bytes(data)
    code, out, _ = _run("evidence", "verify", str(good))
    assert code == 0 and "signature good" in out
    attached = next(n for n in zipfile.ZipFile(good).namelist() if n.startswith("attachments/"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(_tampered(data, attached))
    code, _, err = _run("evidence", "verify", str(bad))
    assert code == 1
    assert f"{attached}: SHA-256 differs from the manifest" in err and "REFUSED" in err
    forged = tmp_path / "forged.zip"
    forged.write_bytes(_tampered(data, "manifest.json"))  # a hash list rewritten to match
    code, _, err = _run("evidence", "verify", str(forged))
    assert code == 1 and "signature does not match" in err
    other_key = tmp_path / "other.pub"
    other_key.write_text(signing.public_key_text(signing.private_key("o" * 40)))
    code, _, err = _run("evidence", "verify", str(good), "--public-key", str(other_key))
    assert code == 1 and "not the one expected" in err


def test_the_signing_key_is_made_at_first_use_private_and_kept(settings: Settings) -> None:
    key_file = settings.instance_path / "evidence-signing-key"
    assert not key_file.exists()
    first = settings.evidence_secret()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings.evidence_secret() == first
    production = Settings(env="production")
    with pytest.raises(signing.SigningKeyMissing):
        signing.private_key(production.evidence_secret())


def test_the_background_build_records_progress_and_the_zip_hash_in_the_audit_trail(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    iid = prepared(engine, clock, people, settings)
    as_user(engine, clock, people.officer, lambda c: evidence_files.request(c, load(c, iid), False))
    worker = evidence_files.worker_for(engine, settings, clock.now)
    assert worker.step() is True
    assert worker.step() is False  # nothing else waiting
    with Session(engine) as session:
        job = session.exec(select(EvidenceFile)).one()
        built = session.exec(select(AuditEvent).where(AuditEvent.action == "evidence.built")).one()
    assert job.status == "done" and job.total > 0 and job.done == job.total
    stored = (evidence_files.storage_of(settings) / str(job.storage_name)).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == job.sha256
    assert json.loads(built.new_values or "{}")["sha256"] == job.sha256
    assert signing.verify_zip(stored).ok


def test_the_command_line_writes_the_file_and_records_its_hash(
    engine: Engine,
    clock: FixedClock,
    people: People,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    iid = prepared(engine, clock, people, settings)
    with Session(engine) as session:
        incident = session.get(Incident, iid)
        assert incident is not None
        number = incident.number
    monkeypatch.setenv("DATABASE_URL", settings.db_url)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("INSTANCE_PATH", str(settings.instance_path))
    monkeypatch.delenv("INCIDENT_TRACKER_ENV", raising=False)
    target = tmp_path / "out.zip"
    code, out, err = _run("evidence", number, "--output", str(target))
    assert code == 0, err
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert digest in out
    with Session(engine) as session:
        rows = session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "evidence.built")
            .order_by(col(AuditEvent.id))
        ).all()
    assert json.loads(rows[-1].new_values or "{}")["sha256"] == digest
    assert _run("evidence", "verify", str(target))[0] == 0
    assert _run("evidence", "NO-SUCH", "--output", str(tmp_path / "x.zip"))[0] == 2


def test_the_scheduler_job_builds_a_queued_evidence_file(
    engine: Engine, clock: FixedClock, people: People, settings: Settings
) -> None:
    """The scheduler process has a job that builds evidence files with the browser closed."""
    from incident_tracker.scheduler import add_evidence_job

    jobs: dict[str, tuple[object, str, dict[str, object]]] = {}

    class Recorder:
        def add_job(self, func: object, trigger: str, **options: object) -> None:
            jobs[str(options["id"])] = (func, trigger, options)

    add_evidence_job(Recorder(), settings, engine)
    job, trigger, options = jobs["build-evidence-files"]
    assert (trigger, options["seconds"]) == ("interval", 5)
    iid = make_incident(engine, clock, people.officer, states={"NY": 120})
    as_user(engine, clock, people.officer, lambda c: evidence_files.request(c, load(c, iid), False))
    assert callable(job)
    job()
    with Session(engine) as session:
        assert session.exec(select(EvidenceFile.status)).one() == "done"


def test_without_a_signing_key_the_request_is_refused_before_any_build(
    engine: Engine, clock: FixedClock, people: People
) -> None:
    """Production without EVIDENCE_SIGNING_KEY: nothing is queued that could not be signed."""
    iid = make_incident(engine, clock, people.officer, states={"NY": 120})
    with pytest.raises(Conflict, match="EVIDENCE_SIGNING_KEY"):
        as_user(
            engine,
            clock,
            people.officer,
            lambda c: evidence_files.request(c, load(c, iid), False, secret=""),
        )
    with Session(engine) as session:
        assert session.exec(select(EvidenceFile)).all() == []
