"""Operator commands: migrate, seed-demo, create-user, audit verify / checkpoint.

Imported only when one of them runs, so the deadline calculator needs no web or database library.
"""

from __future__ import annotations

import getpass
import os
import sys
from argparse import Namespace
from pathlib import Path
from typing import TextIO

from incident_tracker.clock import SystemClock
from incident_tracker.config import PROJECT_ROOT, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.services import audit, demo, users
from incident_tracker.services.audit import SYSTEM, Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import DomainError


def _settings() -> Settings:
    return Settings.from_env(os.environ)


def migrate(settings: Settings | None = None) -> None:
    """`alembic upgrade head` on the configured database."""
    from alembic import command
    from alembic.config import Config

    settings = settings or _settings()
    if settings.db_url.startswith("sqlite:///"):
        Path(settings.db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = settings.db_url
    command.upgrade(config, "head")


def cmd_migrate(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    migrate()
    out.write("database is at the latest schema\n")
    return 0


def cmd_seed_demo(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    settings = _settings()
    path = Path(args.credentials or settings.instance_path / "demo-credentials.txt")
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, SYSTEM, SystemClock().now(), settings.audit_key)
        lines = demo.seed(call, path, settings.notice_storage)
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
    out.write(f"created {user.email} ({user.role})\n")
    return 0


def cmd_audit(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    settings = _settings()
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        if args.audit_command == "checkpoint":
            out.write(audit.checkpoint(session) + "\n")
            return 0
        result = audit.verify(session, settings.audit_key, args.checkpoint)
    (out if result.ok else err).write(result.message + "\n")
    return 0 if result.ok else 1


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
    p = sub.add_parser("scheduler", help="run the reminder scheduler (one per database)")
    p.set_defaults(handler=cmd_scheduler)
    p = sub.add_parser("audit", help="check the audit trail's HMAC chain")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    v = audit_sub.add_parser(
        "verify", help="exit 0 if the chain is intact, else name the first bad row"
    )
    v.add_argument("--checkpoint", help="COUNT:MAC from `audit checkpoint`, to detect a cut tail")
    v.set_defaults(handler=cmd_audit)
    c = audit_sub.add_parser("checkpoint", help="print COUNT:MAC of the head, to keep elsewhere")
    c.set_defaults(handler=cmd_audit)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
