"""Daily audit checkpoints: the trail's row count and head HMAC, kept outside the database.

The HMAC chain shows an edited, inserted or deleted row, but not rows cut from the end: the
shorter chain is still consistent. A checkpoint taken earlier shows the cut (`audit verify`
compares the trail with the latest one). The scheduler's audit job writes one a day as a small
JSON file, {"count", "mac", "time"}, into AUDIT_CHECKPOINT_DIR (folder 700, files 600), which the
backups copy off the machine (45 CFR 164.312(b), (c)(1); ASVS 5.0 16.4.2).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from incident_tracker.db import unit_of_work
from incident_tracker.services import audit, auth_failures
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call

PREFIX = "audit-checkpoint-"
# audit-checkpoint-20261123T090000Z.json: names sort in time order.
_NAME = re.compile(rf"^{PREFIX}(\d{{8}}T\d{{6}}Z)\.json$")


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read as one."""


@dataclass(frozen=True)
class Checkpoint:
    count: int
    mac: str
    time: datetime
    path: Path | None = None

    @property
    def text(self) -> str:
        """The "COUNT:MAC" form `audit verify --checkpoint` takes."""
        return f"{self.count}:{self.mac}"


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _NAME.match(p.name))


def read(path: Path) -> Checkpoint:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        count, mac, time = int(data["count"]), str(data["mac"]), str(data["time"])
        taken = datetime.fromisoformat(time)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"{path}: not a readable audit checkpoint ({exc})") from exc
    if count < 0 or not re.fullmatch(r"[0-9a-f]{64}", mac):
        raise CheckpointError(f"{path}: not a readable audit checkpoint (count or mac)")
    return Checkpoint(count, mac, taken, path)


def latest(folder: Path) -> Checkpoint | None:
    """The newest checkpoint in `folder` (by the time in its name), or None if there is none."""
    files = _files(folder)
    return read(files[-1]) if files else None


def write(folder: Path, checkpoint: Checkpoint) -> Path:
    """Written whole or not at all (a temporary file renamed), mode 600 whatever the umask."""
    _private_folder(folder)
    name = f"{PREFIX}{checkpoint.time.astimezone(UTC):%Y%m%dT%H%M%SZ}.json"
    target = folder / name
    partial = folder / f".{name}.partial"
    content = {"count": checkpoint.count, "mac": checkpoint.mac, "time": checkpoint.time}
    body = json.dumps(content, default=lambda t: t.isoformat(), indent=2) + "\n"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, body.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, target)
    return target


def take(engine: Engine, at: datetime) -> Checkpoint:
    """The trail's head now, read in one snapshot."""
    with unit_of_work(engine, read_only=True) as session:
        count_text, mac = audit.checkpoint(session).split(":", 1)
    return Checkpoint(int(count_text), mac, at.astimezone(UTC).replace(microsecond=0))


@dataclass(frozen=True)
class KeeperResult:
    summaries: int
    checkpoint: Path | None

    def summary(self) -> str:
        written = self.checkpoint.name if self.checkpoint else "none due"
        return f"{self.summaries} failure summary row(s); checkpoint: {written}"


@dataclass
class AuditKeeper:
    """The scheduler's audit job: summarise closed sign-in failure windows, then write the day's
    checkpoint unless the folder already holds one from today (UTC). The folder is the only
    state, so a restart neither skips nor repeats a day."""

    engine: Engine
    audit_key: str
    folder: Path
    now: Callable[[], datetime]

    def tick(self) -> KeeperResult:
        at = self.now()
        with unit_of_work(self.engine) as session:
            summaries = auth_failures.summarise_closed(Call(session, SYSTEM, at, self.audit_key))
        # After the commit: a checkpoint must never count rows that might still roll back.
        return KeeperResult(summaries, self._daily(at))

    def _daily(self, at: datetime) -> Path | None:
        today = f"{PREFIX}{at.astimezone(UTC):%Y%m%d}T"
        if any(p.name.startswith(today) for p in _files(self.folder)):
            return None
        return write(self.folder, take(self.engine, at))
