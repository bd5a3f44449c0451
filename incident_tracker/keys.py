"""Keys of a development, demo or test instance: random, made at first start, kept in its folder.

Production takes SECRET_KEY and AUDIT_KEY from the environment only (config.py). Everywhere else
each key is generated once into the instance folder (mode 600) and read back on every later start,
so sessions outlast a restart and the audit chain stays verifiable, and every process on the
instance (web workers, scheduler, command line) signs with the same keys. No key is ever written in
the source (ASVS 5.0 13.3.1: no hard-coded secrets).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from incident_tracker import files

SECRET_KEY_FILE = "secret-key"
AUDIT_KEY_FILE = "audit-key"
MFA_KEY_FILE = "mfa-key"  # encrypts the TOTP seeds (services/mfa_secrets.py)
EVIDENCE_KEY_FILE = "evidence-signing-key"  # derives the Ed25519 key of evidence files (signing.py)


class KeyFileError(RuntimeError):
    """A key file exists but cannot be used; config.py reports it as a ConfigError."""


def instance_key(folder: Path, name: str, min_length: int) -> str:
    """The key kept in `folder/name`, generated on first use. Two processes starting together
    agree: the key is written whole to a private temporary file (O_CREAT | O_EXCL, 600), then
    linked to its name, which fails for the second one, so neither can read a half-written key."""
    path = folder / name
    if not path.exists():
        _create(path)
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the key ({exc})") from exc
    if len(key) < min_length:
        raise KeyFileError(
            f"{path}: the key is shorter than {min_length} characters; "
            "restore it from a backup, or delete it to generate a new one"
        )
    return key


def _create(path: Path) -> None:
    files.private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.PRIVATE_FILE)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            os.fchmod(fd, files.PRIVATE_FILE)
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(fd)
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
