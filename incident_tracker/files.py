"""Files only the service account can read: folders 700, files 600, whatever the umask.

The instance folder holds PHI (the database and its WAL, attachments, letters, approved notices)
and the keys, so nobody else on the machine may read it (45 CFR 164.312(a)(1) access control,
164.312(c)(1) integrity). The app's own writes go through these helpers; a restrictive umask at
process start covers what other programs and libraries create (pdfunite, zipfile); SQLite gives
its -wal and -shm the database file's mode whatever the umask, so that file is kept 600;
`fix_tree` repairs an instance made before these rules.
Standard library only: the CLI imports it before any database code.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
UMASK = 0o077  # new files 600, new folders 700


def restrict_umask() -> int:
    """Process start (web, scheduler, CLI): nothing created afterwards is readable by others.
    Returns the previous umask."""
    return os.umask(UMASK)


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents as 700. Folders that already exist are left as
    they are (a parent such as /var/lib is not ours to change; `fix_tree` repairs our own)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # another process made it at the same moment
        os.chmod(folder, PRIVATE_DIR)
    return path


def write_private(path: Path, content: bytes) -> None:
    """Write (or overwrite) a file that is 600 from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(fd, PRIVATE_FILE)  # an existing file keeps its mode through O_TRUNC
        handle.write(content)


def make_private(path: Path) -> None:
    """For files another library or program created (pdfunite, zipfile, shutil.copyfile)."""
    os.chmod(path, PRIVATE_FILE)


def create_private_sqlite(url: str) -> None:
    """Create a SQLite database file as 600 before SQLite does (it would use 644 less the
    umask); its -wal and -shm files are then made with the same mode."""
    if not url.startswith("sqlite:///"):
        return
    name = url.removeprefix("sqlite:///").split("?", 1)[0]
    if not name or name == ":memory:":
        return
    path = Path(name)
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        return


def sqlite_files(url: str) -> list[Path]:
    """The database file of a SQLite URL and its companions, those that exist."""
    if not url.startswith("sqlite:///"):
        return []
    name = url.removeprefix("sqlite:///").split("?", 1)[0]
    if not name or name == ":memory:":
        return []
    found = [Path(name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    return [path for path in found if path.is_file()]


def fix_tree(root: Path) -> int:
    """Folders 700 and files 600 from `root` down (symbolic links are not followed); returns how
    many modes were changed. For an instance folder made before these rules."""
    if not root.is_dir() or root.is_symlink():
        return 0
    changed = _fix(root, PRIVATE_DIR)
    for folder, folders, names in os.walk(root):
        base = Path(folder)
        changed += sum(_fix(base / name, PRIVATE_DIR) for name in folders)
        changed += sum(_fix(base / name, PRIVATE_FILE) for name in names)
    return changed


def fix_files(paths: list[Path]) -> int:
    return sum(_fix(path, PRIVATE_FILE) for path in paths)


def fix_sqlite(url: str) -> int:
    """At every start: SQLite gives a new -wal or -shm the database file's own mode, ignoring the
    umask, so a database left 644 would leak through its WAL even under umask 077."""
    return fix_files(sqlite_files(url))


def _fix(path: Path, mode: int) -> int:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) == mode:
        return 0
    os.chmod(path, mode)
    return 1
