"""Daily audit checkpoints (45 CFR 164.312(b), (c)(1); ASVS 5.0 16.4.2): the scheduler's audit job
writes the trail's count and head HMAC to AUDIT_CHECKPOINT_DIR once a day, and `incident-tracker
audit verify` checks the trail against the latest one, so rows cut from the end show."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import cast

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine

from incident_tracker.cli import main
from incident_tracker.clock import FixedClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.scheduler import add_audit_job
from incident_tracker.services import audit_checkpoints, users
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, PASSWORD, START


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An instance folder set up only through the environment, as deployed: no
    AUDIT_CHECKPOINT_DIR, so the checkpoints go to the default folder beside it."""
    for name in ("INCIDENT_TRACKER_ENV", "DATABASE_URL", "AUDIT_CHECKPOINT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    assert _cli("migrate")[0] == 0
    return tmp_path / "instance"


@pytest.fixture
def settings(instance: Path) -> Settings:
    return Settings.from_env(os.environ)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    made = make_engine(settings.db_url)
    yield made
    made.dispose()


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = main(list(argv), out=out, err=err, stdin=StringIO())
    return code, out.getvalue(), err.getvalue()


def _events(engine: Engine, clock: FixedClock, n: int) -> None:
    """n audited changes through a real service."""
    for i in range(n):
        with unit_of_work(engine) as session:
            call = Call(session, SYSTEM, clock.now(), AUDIT_KEY)
            users.create_user(
                call, f"user{i}-{clock.now():%H%M%S}@example.org", "read_only", PASSWORD
            )
        clock.advance(minutes=1)


def _scheduled_audit_job(
    settings: Settings, engine: Engine, clock: FixedClock
) -> Callable[[], None]:
    """The scheduler's own audit job, as `incident-tracker scheduler` registers it, with the
    clock injected; returns the function APScheduler runs on each tick."""
    scheduler = BackgroundScheduler(timezone="UTC")
    add_audit_job(scheduler, settings, engine, clock.now)
    job = scheduler.get_job("keep-audit-trail")
    assert job is not None and job.trigger.interval.total_seconds() == 60
    return cast(Callable[[], None], job.func)


def _cut_tail(settings: Settings, keep: int) -> None:
    """Someone with write access to the database file deletes the newest rows."""
    db_file = settings.db_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(db_file)) as db:
        db.execute("DROP TRIGGER audit_event_no_delete")
        db.execute("DELETE FROM audit_event WHERE id > ?", (keep,))
        db.commit()


def test_the_default_folder_is_audit_checkpoints_beside_the_instance_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert Settings(env="test", instance_path=Path("/srv/it/instance")).checkpoint_dir == Path(
        "/srv/it/audit-checkpoints"
    )
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("AUDIT_CHECKPOINT_DIR", "/mnt/offsite/it")
    assert Settings.from_env(os.environ).checkpoint_dir == Path("/mnt/offsite/it")


def test_a_scheduler_tick_writes_the_days_checkpoint_once_private_and_readable(
    settings: Settings, engine: Engine, instance: Path
) -> None:
    """Folder 700 and file 600 whatever the umask; JSON with count, mac and time; a second
    tick the same day, or a restarted scheduler, writes none; the next day's tick writes one."""
    clock = FixedClock(START)
    _events(engine, clock, 3)
    folder = instance.parent / "audit-checkpoints"
    old_umask = os.umask(0)  # the most permissive: modes must not come from the umask
    try:
        tick = _scheduled_audit_job(settings, engine, clock)
        tick()
    finally:
        os.umask(old_umask)
    (written,) = folder.iterdir()
    assert written.name == "audit-checkpoint-20261123T090300Z.json"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    content = json.loads(written.read_text())
    with closing(sqlite3.connect(settings.db_url.removeprefix("sqlite:///"))) as db:
        count, head = db.execute(
            "SELECT count(*), (SELECT mac FROM audit_event ORDER BY id DESC LIMIT 1) "
            "FROM audit_event"
        ).fetchone()
    assert content == {"count": 3, "mac": head, "time": "2026-11-23T09:03:00+00:00"}
    assert count == 3
    _events(engine, clock, 2)
    clock.set(datetime(2026, 11, 23, 23, 59, tzinfo=UTC))
    tick()
    _scheduled_audit_job(settings, engine, clock)()  # a restart
    assert [p.name for p in folder.iterdir()] == [written.name]
    clock.set(datetime(2026, 11, 24, 0, 0, 30, tzinfo=UTC))
    tick()
    names = sorted(p.name for p in folder.iterdir())
    assert names == [written.name, "audit-checkpoint-20261124T000030Z.json"]
    assert json.loads((folder / names[1]).read_text())["count"] == 5


def test_audit_verify_passes_on_an_intact_chain_against_the_latest_checkpoint(
    settings: Settings, engine: Engine, instance: Path
) -> None:
    clock = FixedClock(START)
    _events(engine, clock, 3)
    _scheduled_audit_job(settings, engine, clock)()
    _events(engine, clock, 2)  # the trail grows after the checkpoint: still intact
    code, out, err = _cli("audit", "verify")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("audit chain intact: 5 rows")
    folder = instance.parent / "audit-checkpoints"
    assert lines[1] == (
        "checked against the latest checkpoint, "
        f"{folder.resolve() / 'audit-checkpoint-20261123T090300Z.json'}"
    )


def test_audit_verify_reports_a_cut_tail_using_the_latest_checkpoint_by_default(
    settings: Settings, engine: Engine
) -> None:
    """Two days of checkpoints (3 rows, then 6): cutting the trail back to 4 rows leaves a
    consistent chain, which only the latest checkpoint shows was cut."""
    clock = FixedClock(START)
    _events(engine, clock, 3)
    tick = _scheduled_audit_job(settings, engine, clock)
    tick()
    _events(engine, clock, 3)
    clock.advance(days=1)
    tick()
    assert _cli("audit", "verify")[0] == 0
    _cut_tail(settings, keep=4)
    code, out, err = _cli("audit", "verify")
    assert code == 1 and out == ""
    assert "the trail has 4 rows but the checkpoint recorded 6: tail cut" in err
    assert "audit-checkpoint-20261124T090600Z.json" in err
    # An explicit checkpoint is still accepted: the older one predates the cut rows.
    older = audit_checkpoints.read(
        settings.checkpoint_dir / "audit-checkpoint-20261123T090300Z.json"
    )
    assert _cli("audit", "verify", "--checkpoint", older.text)[0] == 0


def test_audit_verify_without_any_checkpoint_says_a_cut_would_not_show(
    settings: Settings, engine: Engine
) -> None:
    _events(engine, FixedClock(START), 2)
    code, out, _ = _cli("audit", "verify")
    assert code == 0
    assert out.splitlines()[1] == (
        f"no checkpoint in {settings.checkpoint_dir}: a cut tail would not show"
    )


def test_an_unreadable_latest_checkpoint_fails_verification(settings: Settings) -> None:
    folder = settings.checkpoint_dir
    folder.mkdir(mode=0o700)
    (folder / "audit-checkpoint-20261123T090000Z.json").write_text('{"count": "three"}')
    code, _, err = _cli("audit", "verify")
    assert code == 1 and "not a readable audit checkpoint" in err
