"""Files only the service can read (45 CFR 164.312(a)(1) access control, (c)(1) integrity): the
instance folder and every folder in it 700, every file the app writes there 600 — database, WAL,
attachments, letters and their work files, approved notices, keys, scheduler lock — even under
the common umask 022; `incident-tracker migrate` repairs an instance made before.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from incident_tracker import create_app
from incident_tracker.cli import main
from incident_tracker.cli_admin import migrate
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.scheduler.lock import single_instance
from incident_tracker.services import evidence, users
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, PASSWORD, START
from tests.services.notice_support import as_user
from tests.services.sending_support import People, approve_individual_notice, load, make_incident
from tests.services.sending_support import people as people
from tests.services.test_individuals import confirm, listing, run_of, start, upload, worker


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual login umask: without the app's own care, new files would be 644, folders 755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _modes(root: Path) -> dict[str, int]:
    """Every folder and file under `root`, by relative path, with its mode and type bits."""
    found = {".": root.lstat().st_mode}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = path.lstat().st_mode
    return found


def _loose(modes: dict[str, int]) -> dict[str, str]:
    """What is not 700 (folders) or 600 (files)."""
    return {
        name: oct(mode)
        for name, mode in modes.items()
        if stat.S_IMODE(mode) != (0o700 if stat.S_ISDIR(mode) else 0o600)
    }


def test_what_the_app_writes_is_private_under_umask_022(
    loose_umask: None,
    engine: Engine,
    clock: FixedClock,
    people: People,
    settings: Settings,
) -> None:
    folder = settings.instance_path
    incident_id = make_incident(engine, clock, people.officer)
    approve_individual_notice(engine, clock, people, incident_id, settings.notice_storage)
    as_user(
        engine,
        clock,
        people.officer,
        lambda call: evidence.attach(
            call,
            load(call, incident_id),
            folder / "attachments",
            "fbi-letter.pdf",
            b"%PDF-1.4 statement",
            "law_enforcement_statement",
        ),
    )
    pending = upload(engine, clock, people, incident_id, listing(ny=2, nj=0)).pending
    assert pending is not None
    confirm(engine, clock, people, incident_id, pending.id or 0)
    run_id = start(engine, clock, people, incident_id, chunk=1)
    making = worker(engine, settings, clock)
    assert making.step(run_id)  # one of two letters made: the work folder holds its chunk
    work = folder / "letters" / "work" / run_of(engine, run_id).work_dir
    assert sorted(p.suffix for p in work.iterdir()) == [".pdf", ".xml"]
    halfway = _modes(folder)
    while making.step(run_id):
        pass
    done = run_of(engine, run_id)
    assert done.status == "done"
    with single_instance(engine, folder / "scheduler.lock"):
        finished = _modes(folder)
    written = {*halfway, *finished}
    # the scheduler's lock is a file beside a SQLite database; on PostgreSQL an advisory lock
    lock_file = ("scheduler.lock",) if engine.dialect.name == "sqlite" else ()
    for expected in (
        "notices",
        "attachments",
        "letters",
        "letters/work",
        f"letters/work/{done.work_dir}",
        f"letters/{done.pdf_storage}",
        f"letters/{done.docx_storage}",
        *lock_file,
    ):
        assert expected in written
    assert len([n for n in written if n.startswith("notices/")]) == 2  # DOCX and PDF
    assert len([n for n in written if n.startswith("attachments/")]) == 1
    assert _loose(halfway) == {} and _loose(finished) == {}


def test_a_new_instance_database_wal_and_keys_are_private_under_umask_022(
    loose_umask: None, tmp_path: Path
) -> None:
    folder = tmp_path / "instance"
    settings = Settings.from_env({"INSTANCE_PATH": str(folder)})
    migrate(settings)
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            users.create_user(
                Call(session, SYSTEM, START, settings.audit_key),
                "admin@example.org",
                "admin",
                PASSWORD,
            )
        modes = _modes(folder)  # the pooled connection keeps -wal and -shm in place
    finally:
        engine.dispose()
    for name in ("incident-tracker.db-wal", "incident-tracker.db-shm", "secret-key", "audit-key"):
        assert name in modes
    assert _loose(modes) == {}


def test_migrate_makes_an_older_instance_private(
    loose_umask: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An instance made before these rules: folders 755 and files 644, fixed by `migrate` (which
    `make run` runs first); the command line then works under umask 077 itself."""
    folder = tmp_path / "instance"
    for name in ("INCIDENT_TRACKER_ENV", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(folder))
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    assert main(["migrate"], out=StringIO(), err=StringIO()) == 0
    (folder / "attachments" / "old").mkdir(parents=True)
    (folder / "attachments" / "old" / "scan").write_bytes(b"%PDF-1.4")
    (folder / "demo-credentials.txt").write_text("admin a@b.test pw\n")
    loosened = [folder, folder / "attachments", folder / "attachments" / "old"]
    for path in loosened:
        os.chmod(path, 0o755)
    files = [folder / "incident-tracker.db", folder / "secret-key"]
    files += [folder / "attachments" / "old" / "scan", folder / "demo-credentials.txt"]
    for path in files:
        os.chmod(path, 0o644)
    os.umask(0o022)
    out = StringIO()
    assert main(["migrate"], out=out, err=StringIO()) == 0
    assert "made 7 file(s) and folder(s) readable only by this account" in out.getvalue()
    assert _loose(_modes(folder)) == {}
    assert os.umask(0o022) == 0o077  # the command set it for whatever it writes next
    out = StringIO()
    assert main(["migrate"], out=out, err=StringIO()) == 0
    assert out.getvalue() == "database is at the latest schema\n"  # nothing left to fix


def test_the_web_app_keeps_a_loose_database_from_leaking_through_its_wal(
    loose_umask: None, tmp_path: Path
) -> None:
    """SQLite gives a new -wal and -shm the database file's own mode, whatever the umask: a
    database left 644 is made 600 when the app starts, before any WAL exists. (A SQLite file
    whichever backend the other tests use.)"""
    settings = Settings(env="test", instance_path=tmp_path, audit_key=AUDIT_KEY)
    migrate(settings)
    for leftover in tmp_path.glob("incident-tracker.db-*"):
        leftover.unlink()
    database = settings.instance_path / "incident-tracker.db"
    os.chmod(database, 0o644)
    app = create_app(settings)
    try:
        assert app.test_client().get("/healthz").status_code == 200
        modes = _modes(settings.instance_path)
    finally:
        app.extensions["incident_tracker.engine"].dispose()
    for name in ("incident-tracker.db", "incident-tracker.db-wal", "incident-tracker.db-shm"):
        assert stat.S_IMODE(modes[name]) == 0o600


def test_the_gunicorn_entry_point_sets_umask_077(settings: Settings) -> None:
    """`gunicorn incident_tracker.wsgi:app` (the deployed entry) restricts the umask, so what
    other programs write for the app (pdfunite's merged letters) is private too."""
    code = "import os\nos.umask(0o022)\nimport incident_tracker.wsgi\nprint(oct(os.umask(0o022)))\n"
    env = {
        "PATH": "/usr/bin:/bin",
        "INSTANCE_PATH": str(settings.instance_path),
        "DATABASE_URL": settings.database_url,
        "AUDIT_KEY": AUDIT_KEY,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0o77"
