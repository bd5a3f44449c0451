"""The `incident-tracker` command line.

Only the standard library and the pure core are imported at start-up, so the calculator runs
without any optional system library; web, PDF and database code is imported inside its command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.jurisdictions import registry
from incident_tracker.core.parameters import Parameter
from incident_tracker.core.rules.base import Rule

EXIT_BAD_INPUT = 2


def _read_json(path: str, stdin: TextIO) -> Any:
    if path == "-":
        return json.load(stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def cmd_deadlines(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    try:
        data = _read_json(args.file, stdin)
    except OSError as exc:
        err.write(f"{args.file}: cannot read: {exc.strerror}\n")
        return EXIT_BAD_INPUT
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        err.write(f"{args.file}: not valid JSON: {exc}\n")
        return EXIT_BAD_INPUT
    try:
        facts = parse_incident(data)
    except FactsError as exc:
        for problem in exc.problems:
            err.write(problem + "\n")
        return EXIT_BAD_INPUT
    result = compute(facts)
    if args.format == "table":
        from incident_tracker.table import render_deadlines

        out.write(render_deadlines(result))
    else:
        json.dump(result.to_json(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    return 0


def _rule_json(r: Rule) -> dict[str, Any]:
    return {
        "rule_id": r.id,
        "version": r.version,
        "jurisdiction": r.jurisdiction,
        "citation": r.citation,
        "recipient": r.recipient,
        "trigger": r.trigger,
        "clock": r.clock,
        "effective": r.effective.describe(),
        "effective_from": r.effective.start.isoformat() if r.effective.start else None,
        "effective_to": r.effective.end.isoformat() if r.effective.end else None,
    }


def _parameter_json(p: Parameter) -> dict[str, Any]:
    return {
        "name": p.name,
        "jurisdiction": p.jurisdiction,
        "value": p.value,
        "unit": p.unit,
        "citation": p.citation,
        "effective_from": p.effective_from.isoformat() if p.effective_from else None,
        "effective_to": p.effective_to.isoformat() if p.effective_to else None,
        "note": p.note,
    }


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    """The rule catalogue; with --at, only the rule versions and statutory values in force for
    an incident discovered on that date (docs/law/conventions.md, "Which version applies")."""
    rules, parameters = registry.RULES, registry.PARAMETERS  # the registry's, when run
    at: date | None = None
    if args.at is not None:
        try:
            at = date.fromisoformat(args.at)
        except ValueError:
            err.write(f"rules: --at {args.at!r} is not a date; give it as YYYY-MM-DD\n")
            return EXIT_BAD_INPUT
        rules = tuple(r for r in registry.RULES if r.applies_on(at))
        parameters = registry.in_force(at)
    if args.format == "json":
        catalogue = [_rule_json(r) for r in rules]
        if at is None:
            json.dump(catalogue, out, indent=2, ensure_ascii=False)
        else:
            law = {
                "at": at.isoformat(),
                "rules": catalogue,
                "parameters": [_parameter_json(p) for p in parameters],
            }
            json.dump(law, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    from incident_tracker.table import render_parameters, render_rules, render_rules_md, state_rows

    if args.format == "md":
        if at is None:
            out.write(render_rules_md(rules, parameters, state_rows()))
        else:
            title = f"# The law in force for an incident discovered on {at}\n"
            out.write(render_rules_md(rules, parameters, (), title))
        return 0
    if at is not None:
        out.write(f"Rule versions in force for an incident discovered on {at}:\n\n")
    out.write(render_rules(rules))
    if at is not None:
        out.write(f"\nStatutory values in force on {at}:\n\n")
        out.write(render_parameters(parameters))
    return 0


OPERATOR_COMMANDS = (
    "migrate",
    "seed-demo",
    "create-user",
    "audit",
    "scheduler",
    "users",
    "api-token",
)
PROOF_COMMANDS = ("annual-log", "evidence")  # cli_proof.py


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The operator commands (database) are registered only when one of them is asked for, so the
    calculator starts without importing any web or database library."""
    parser = argparse.ArgumentParser(
        prog="incident-tracker",
        description="HIPAA and U.S. State breach-notification deadlines.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    deadlines = sub.add_parser(
        "deadlines", help="compute every notification obligation for an incident (JSON)"
    )
    deadlines.add_argument("file", help="incident JSON (README.md, Calculator), or - for stdin")
    deadlines.add_argument("--format", choices=("json", "table"), default="json")
    deadlines.set_defaults(handler=cmd_deadlines)
    rules = sub.add_parser("rules", help="print the rule catalogue generated from the code")
    rules.add_argument("--format", choices=("table", "json", "md"), default="table")
    rules.add_argument(
        "--at",
        metavar="DATE",
        help="only the rule versions and statutory values in force for an incident discovered "
        "on DATE (YYYY-MM-DD)",
    )
    rules.set_defaults(handler=cmd_rules)
    if command == "api-token":
        from incident_tracker.cli_api import add_commands as add_token_commands

        add_token_commands(sub)
        for name in OPERATOR_COMMANDS[:-1]:
            sub.add_parser(name, help="operator command; see its own --help")
    elif command in OPERATOR_COMMANDS:
        from incident_tracker.cli_admin import add_commands

        add_commands(sub)
        sub.add_parser("api-token", help="personal API tokens; see its own --help")
    else:
        for name in OPERATOR_COMMANDS:
            sub.add_parser(name, help="operator command; see its own --help")
    if command in PROOF_COMMANDS:
        from incident_tracker.cli_proof import add_commands as add_proof_commands

        add_proof_commands(sub)
    else:
        for name in PROOF_COMMANDS:
            sub.add_parser(name, help="operator command; see its own --help")
    if command == "notices":
        from incident_tracker.cli_notices import add_commands as add_notice_commands

        add_notice_commands(sub)
    else:
        sub.add_parser("notices", help="draft a notice (notices draft FILE --kind KIND)")
    return parser


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    handler = args.handler
    if args.command not in (*OPERATOR_COMMANDS, *PROOF_COMMANDS):
        code: int = handler(args, out or sys.stdout, err or sys.stderr, stdin or sys.stdin)
        return code
    from incident_tracker.config import ConfigError
    from incident_tracker.files import restrict_umask

    restrict_umask()  # whatever an operator command writes in the instance folder is private
    try:
        code = handler(args, out or sys.stdout, err or sys.stderr, stdin or sys.stdin)
    except ConfigError as exc:
        (err or sys.stderr).write(f"{args.command}: {exc}\n")
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())
