"""Backups that restore (README "Backups"): the demo database backed up while it is open — SQLite's
online backup, or pg_dump's custom format — restored into an empty database, and the restored
audit trail verified by `incident-tracker audit verify` against the checkpoint folder copied with
the backup (45 CFR 164.308(a)(7)(ii)(A)-(B) data backup and disaster recovery; 164.312(c)(1))."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from incident_tracker.cli import main
from incident_tracker.config import Settings
from incident_tracker.db import make_engine
from incident_tracker.services import audit_checkpoints
from tests import backends
from tests.backends import Template
from tests.conftest import AUDIT_KEY

TABLES = ("app_user", "incident", "obligation", "notice", "sent_record", "audit_event")


def _cli(monkeypatch: pytest.MonkeyPatch, url: str, folder: Path, *argv: str) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("INSTANCE_PATH", str(folder))
    out, err = StringIO(), StringIO()
    code = main(list(argv), out=out, err=err, stdin=StringIO(""))
    return code, out.getvalue() + err.getvalue()


def _counts(url: str) -> dict[str, int]:
    with backends.raw(url) as db:
        return {t: int(db.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES}


def _pg_tool(name: str) -> str:
    """The client matching the newest server installed (Debian's /usr/bin one picks a version)."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


def _libpq(url: str) -> str:
    """The URL for libpq's tools: no SQLAlchemy driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _back_up(url: str, target: Path) -> None:
    if url.startswith("sqlite"):
        # What `sqlite3 DB ".backup FILE"` does: a consistent copy while the app keeps writing.
        source = make_url(url).database
        assert source is not None
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
            live.backup(copy)
        return
    dump = [_pg_tool("pg_dump"), "--format=custom", f"--file={target}", _libpq(url)]
    subprocess.run(dump, check=True, capture_output=True, timeout=120)


def _restore(backup: Path, empty: Template) -> str:
    if not empty.url:
        shutil.copy(backup, empty.sqlite_file)
        return empty.database_url
    restore = [
        _pg_tool("pg_restore"),
        "--no-owner",
        "--exit-on-error",
        f"--dbname={_libpq(empty.url)}",
    ]
    subprocess.run([*restore, str(backup)], check=True, capture_output=True, timeout=120)
    return empty.url


def test_a_backed_up_demo_database_restores_and_its_audit_trail_verifies(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    monkeypatch.delenv("INCIDENT_TRACKER_ENV", raising=False)
    live_checkpoints = tmp_path / "audit-checkpoints"
    monkeypatch.setenv("AUDIT_CHECKPOINT_DIR", str(live_checkpoints))
    url = settings.db_url
    assert _cli(monkeypatch, url, settings.instance_path, "seed-demo")[0] == 0
    engine = make_engine(url)
    try:
        checkpoint = audit_checkpoints.take(engine, datetime.now(UTC))
    finally:
        engine.dispose()
    audit_checkpoints.write(live_checkpoints, checkpoint)
    before = _counts(url)
    assert before["app_user"] == 4 and before["audit_event"] == checkpoint.count > 4

    backup = tmp_path / "backup" / "tracker.backup"
    backup.parent.mkdir()
    _back_up(url, backup)
    copied = shutil.copytree(live_checkpoints, tmp_path / "backup" / "audit-checkpoints")

    empty = backends.empty(tmp_path / "restored")
    try:
        restored = _restore(backup, empty)
        assert _counts(restored) == before
        monkeypatch.setenv("AUDIT_CHECKPOINT_DIR", str(copied))
        code, said = _cli(monkeypatch, restored, empty.folder, "audit", "verify")
        assert code == 0, said
        assert f"audit chain intact: {checkpoint.count} rows" in said
        assert "checked against the latest checkpoint" in said
        # The check has teeth: the restored trail without its last row fails against the folder.
        with backends.raw(restored) as db:
            backends.drop_audit_guards(db)
            db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": checkpoint.count})
            db.commit()
        code, said = _cli(monkeypatch, restored, empty.folder, "audit", "verify")
        assert code == 1 and "tail cut" in said, said
    finally:
        backends.drop(empty.url)
