"""`incident-tracker api-token create|revoke`: personal API tokens from the operator's shell.

The token is printed once (only its hash is kept); it acts as the user, with the user's role.
"""

from __future__ import annotations

import getpass
import os
from argparse import Namespace, _SubParsersAction
from typing import TextIO

from incident_tracker.clock import SystemClock
from incident_tracker.config import Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.services import api_tokens, users
from incident_tracker.services.audit import Actor
from incident_tracker.services.call import Call
from incident_tracker.services.errors import DomainError


def _call_then(args: Namespace, out: TextIO, err: TextIO, create: bool) -> int:
    settings = Settings.from_env(os.environ)
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            operator = Actor(None, f"cli:{getpass.getuser()}", trusted=True)
            call = Call(session, operator, SystemClock().now(), settings.audit_key)
            if not create:
                api_tokens.revoke(call, args.token_id)
                out.write(f"token {args.token_id} revoked\n")
                return 0
            user = users.find_by_email(call, args.user)
            if user is None or not user.is_active:
                err.write(f"api-token create: no active account {args.user}\n")
                return 2
            issued = api_tokens.create(call, user.id or 0, args.scope, args.expires, args.name)
    except DomainError as exc:
        err.write(f"api-token: {exc.message}\n")
        return 2
    finally:
        engine.dispose()
    token = issued.token
    out.write(
        f"token {token.id} for {user.email} ({user.role}), scope {token.scope}, "
        f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC; shown once:\n{issued.secret}\n"
    )
    return 0


def cmd_create(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    return _call_then(args, out, err, create=True)


def cmd_revoke(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    return _call_then(args, out, err, create=False)


def add_commands(sub: _SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("api-token", help="personal API tokens (create, revoke)")
    tokens = p.add_subparsers(dest="api_token_command", required=True)
    c = tokens.add_parser("create", help="print a new token once (only its hash is kept)")
    c.add_argument("--user", required=True, metavar="EMAIL")
    c.add_argument("--scope", required=True, choices=api_tokens.SCOPES)
    c.add_argument(
        "--expires",
        type=int,
        metavar="DAYS",
        help=f"days until it expires (default {api_tokens.DEFAULT_DAYS}, "
        f"at most {api_tokens.MAX_DAYS})",
    )
    c.add_argument("--name", default="", help="what the token is for")
    c.set_defaults(handler=cmd_create)
    r = tokens.add_parser("revoke", help="revoke a token by its id")
    r.add_argument("token_id", type=int)
    r.set_defaults(handler=cmd_revoke)
