"""Operator commands: migrate, seed-demo, create-user, users retire-demo / reset-password, audit
verify / checkpoint.

Imported only when one of them runs, so the deadline calculator needs no web or database library.
"""

from __future__ import annotations

import getpass
import os
import sys
from argparse import Namespace
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine

from incident_tracker import files
from incident_tracker.clock import SystemClock
from incident_tracker.config import PROJECT_ROOT, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.services import audit, audit_checkpoints, demo, users
from incident_tracker.services.audit import SYSTEM, Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import DomainError


def _settings() -> Settings:
    return Settings.from_env(os.environ)


def migrate(settings: Settings | None = None) -> int:
    """`alembic upgrade head` on the configured database, then folders 700 and files 600 in the
    instance folder, the storage folder and for the SQLite files (an older instance was made
    under the umask). Returns how many modes were tightened."""
    from alembic import command
    from alembic.config import Config

    settings = settings or _settings()
    files.create_private_sqlite(settings.db_url)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = settings.db_url
    command.upgrade(config, "head")
    tightened = files.fix_tree(settings.instance_path) + files.fix_sqlite(settings.db_url)
    if settings.storage.resolve() != settings.instance_path.resolve():
        tightened += files.fix_tree(settings.storage)  # STORAGE_PATH, shared by the nodes
    return tightened


def cmd_migrate(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    tightened = migrate()
    out.write("database is at the latest schema\n")
    if tightened:
        out.write(f"made {tightened} file(s) and folder(s) readable only by this account\n")
    return 0


def cmd_seed_demo(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    settings = _settings()
    path = Path(args.credentials or settings.instance_path / "demo-credentials.txt")
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            call = Call(session, SYSTEM, SystemClock().now(), settings.audit_key)
            lines = demo.seed(call, path, settings.notice_storage)
    finally:
        engine.dispose()
    out.write(f"Demo accounts (also in {path}, mode 600):\n")
    for line in lines:
        out.write(f"  {line}\n")
    return 0


def _read_password(stdin: TextIO) -> str:
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise DomainError("the passwords do not match")
        return first
    return stdin.readline().rstrip("\n")


def cmd_create_user(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    settings = _settings()
    engine = make_engine(settings.db_url)
    try:
        password = _read_password(stdin)
        with unit_of_work(engine) as session:
            operator = Actor(None, f"cli:{getpass.getuser()}", trusted=True)
            call = Call(session, operator, SystemClock().now(), settings.audit_key)
            user = users.create_user(call, args.email, args.role, password, args.name or "")
    except DomainError as exc:
        err.write(f"create-user: {exc.message}\n")
        return 2
    finally:
        engine.dispose()
    out.write(f"created {user.email} ({user.role})\n")
    return 0


def cmd_retire_demo(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    """The demo accounts end for good; the credentials file goes only once that is committed."""
    settings = _settings()
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            operator = Actor(None, f"cli:{getpass.getuser()}", trusted=True)
            retired = demo.retire(Call(session, operator, SystemClock().now(), settings.audit_key))
    finally:
        engine.dispose()
    credentials = Path(args.credentials or settings.instance_path / "demo-credentials.txt")
    removed = credentials.exists()
    credentials.unlink(missing_ok=True)
    for email in retired:
        out.write(f"retired {email}: disabled, password unusable, sessions ended\n")
    if not retired:
        out.write("no demo account left to retire\n")
    if removed:
        out.write(f"deleted {credentials}\n")
    return 0


def cmd_reset_password(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    """A one-time reset link (30 minutes) for the operator to hand over: never a password. The
    user still passes their second factor on the link's page."""
    from incident_tracker.services import account_links

    settings = _settings()
    base = args.base_url or settings.base_url
    if not base.startswith(("https://", "http://")):
        err.write("users reset-password: give --base-url or set BASE_URL (the app's address)\n")
        return 2
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            operator = Actor(None, f"cli:{getpass.getuser()}", trusted=True)
            call = Call(session, operator, SystemClock().now(), settings.audit_key)
            user = users.find_by_email(call, args.email)
            if user is None or not user.is_active:
                err.write(f"users reset-password: no active account {args.email}\n")
                return 2
            token = account_links.issue(call, settings, user, account_links.RESET)
    finally:
        engine.dispose()
    out.write(f"one-time reset link for {user.email} (valid 30 minutes, works once):\n")
    out.write(account_links.link(base, account_links.RESET, token) + "\n")
    return 0


def cmd_audit(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    settings = _settings()
    engine = make_engine(settings.db_url)
    try:
        return _audit(args, out, err, settings, engine)
    finally:
        engine.dispose()  # the driver's connection closed, not left to the garbage collector


def _audit(args: Namespace, out: TextIO, err: TextIO, settings: Settings, engine: Engine) -> int:
    with unit_of_work(engine) as session:
        if args.audit_command == "checkpoint":
            out.write(audit.checkpoint(session) + "\n")
            return 0
        try:
            checkpoint, against = _checkpoint_for(args.checkpoint, settings)
        except audit_checkpoints.CheckpointError as exc:
            err.write(f"{exc}\n")
            return 1
        result = audit.verify(session, settings.audit_key, checkpoint)
    (out if result.ok else err).write(f"{result.message}\n{against}\n")
    return 0 if result.ok else 1


def _checkpoint_for(given: str | None, settings: Settings) -> tuple[str | None, str]:
    """`--checkpoint COUNT:MAC` if given, else the latest in AUDIT_CHECKPOINT_DIR; and a line
    saying which (a cut tail shows only against a checkpoint)."""
    if given:
        return given, "checked against the checkpoint given"
    folder = settings.checkpoint_dir
    found = audit_checkpoints.latest(folder)  # CheckpointError if the newest is unreadable
    if found is None:
        return None, f"no checkpoint in {folder}: a cut tail would not show"
    return found.text, f"checked against the latest checkpoint, {found.path}"


def cmd_scheduler(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    import logging

    from incident_tracker.scheduler import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    return run(_settings(), dict(os.environ))


def add_commands(sub: object) -> None:
    """Register the operator commands on the CLI's subparsers."""
    from argparse import _SubParsersAction

    assert isinstance(sub, _SubParsersAction)
    p = sub.add_parser("migrate", help="bring the database schema to the latest version")
    p.set_defaults(handler=cmd_migrate)
    p = sub.add_parser("seed-demo", help="create the demo accounts once and print them")
    p.add_argument("--credentials", help="where to write them (default instance/...)")
    p.set_defaults(handler=cmd_seed_demo)
    p = sub.add_parser(
        "create-user",
        help="create an account; the password is read from the "
        "terminal or from stdin, never from an argument",
    )
    p.add_argument("email")
    p.add_argument(
        "--role", required=True, choices=["privacy_officer", "legal_reviewer", "admin", "read_only"]
    )
    p.add_argument("--name", help="display name")
    p.set_defaults(handler=cmd_create_user)
    p = sub.add_parser("users", help="account maintenance")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    r = users_sub.add_parser(
        "retire-demo",
        help="disable every demo account, make its password unusable and delete the "
        "credentials file (the accounts' rows stay: the audit trail names them)",
    )
    r.add_argument("--credentials", help="the file seed-demo wrote (default instance/...)")
    r.set_defaults(handler=cmd_retire_demo)
    r = users_sub.add_parser(
        "reset-password",
        help="print a one-time reset link (30 minutes) for the account; never a password",
    )
    r.add_argument("email")
    r.add_argument("--base-url", help="the app's address for the link (default: BASE_URL)")
    r.set_defaults(handler=cmd_reset_password)
    p = sub.add_parser("scheduler", help="run the reminder scheduler (one per database)")
    p.set_defaults(handler=cmd_scheduler)
    p = sub.add_parser("audit", help="check the audit trail's HMAC chain")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    v = audit_sub.add_parser(
        "verify", help="exit 0 if the chain is intact, else name the first bad row"
    )
    v.add_argument(
        "--checkpoint",
        help="COUNT:MAC from `audit checkpoint`, to detect a cut tail "
        "(default: the latest checkpoint in AUDIT_CHECKPOINT_DIR)",
    )
    v.set_defaults(handler=cmd_audit)
    c = audit_sub.add_parser("checkpoint", help="print COUNT:MAC of the head, to keep elsewhere")
    c.set_defaults(handler=cmd_audit)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
