"""`incident-tracker notices draft FILE --kind KIND`: a notice from the facts.

FILE is JSON with "incident" (the incident JSON format (README.md, Calculator)), "organization" and
optional "notice". The draft is
printed as text; `--check` prints {"missing": [...]} instead; `--format docx|pdf --output PATH`
writes the document. Bad input, no organisation, an unknown kind: exit 2 with a clear message.
Imported only when the command runs; WeasyPrint and python-docx only when a document is made.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from incident_tracker.core.facts import FactsError, parse_incident
from incident_tracker.core.notices import (
    NoticeDraft,
    NoticeError,
    NoticeKind,
    draft,
    make_environment,
    parse_kind,
    parse_notice,
    parse_organisation,
)

EXIT_BAD_INPUT = 2
LETTERS = Path(__file__).resolve().parent.parent / "templates" / "notices" / "letters"


def add_commands(sub: Any) -> None:
    notices = sub.add_parser("notices", help="draft the notices an incident requires")
    actions = notices.add_subparsers(dest="action", required=True)
    p = actions.add_parser("draft", help="draft one notice from an incident file")
    p.add_argument("file", help="JSON with incident, organization and notice; - for stdin")
    p.add_argument(
        "--kind", required=True, help="one of: " + ", ".join(k.value for k in NoticeKind)
    )
    p.add_argument("--check", action="store_true", help="print the missing required elements")
    p.add_argument("--format", choices=("text", "docx", "pdf"), default="text")
    p.add_argument("--output", help="where to write the document (required for docx and pdf)")
    p.add_argument("--state", help="media notice: the State (two letters), e.g. NY")
    p.set_defaults(handler=cmd_draft)


def _load(args: argparse.Namespace, stdin: TextIO) -> Any:
    if args.file == "-":
        return json.load(stdin)
    with open(args.file, encoding="utf-8") as handle:
        return json.load(handle)


def _fail(err: TextIO, lines: list[str]) -> int:
    for line in lines:
        err.write(line + "\n")
    return EXIT_BAD_INPUT


def _make(args: argparse.Namespace, stdin: TextIO) -> NoticeDraft:
    """Parse everything, collecting problems from every part before giving up."""
    kind = parse_kind(args.kind)
    data = _load(args, stdin)
    if not isinstance(data, Mapping) or not isinstance(data.get("incident"), Mapping):
        raise FactsError(['incident: FILE must be a JSON object with an "incident" object'])
    problems: list[str] = []
    parsed: list[Any] = []
    for parse, value in (
        (parse_incident, data["incident"]),
        (parse_organisation, data.get("organization")),
        (parse_notice, data.get("notice")),
    ):
        try:
            parsed.append(parse(value))
        except FactsError as exc:
            problems += exc.problems
    if problems:
        raise FactsError(problems)
    facts, org, details = parsed
    return draft(make_environment_for_cli(), facts, org, details, kind, state=args.state)


def make_environment_for_cli() -> Any:
    from jinja2 import FileSystemLoader

    return make_environment(FileSystemLoader(str(LETTERS)))


def cmd_draft(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if args.format != "text" and not args.output and not args.check:
        return _fail(err, [f"--format {args.format} needs --output PATH"])
    try:
        notice = _make(args, stdin)
    except OSError as exc:
        return _fail(err, [f"{args.file}: cannot read: {exc.strerror}"])
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _fail(err, [f"{args.file}: not valid JSON: {exc}"])
    except FactsError as exc:
        return _fail(err, exc.problems)
    except (NoticeError, ValueError) as exc:
        return _fail(err, [str(exc)])
    if args.check:
        json.dump(
            {"missing": [r.to_json() for r in notice.missing]}, out, indent=2, ensure_ascii=False
        )
        out.write("\n")
        return 0
    for note in notice.notes:
        err.write(f"note: {note}\n")
    if notice.missing:
        err.write(
            f"warning: {len(notice.missing)} required element(s) missing, marked [MISSING: ...] "
            "in the draft; run with --check for the list\n"
        )
    if args.format == "text":
        if args.output:
            Path(args.output).write_text(notice.text, encoding="utf-8")
        else:
            out.write(notice.text)
        return 0
    return _write_document(args, notice, err)


def _write_document(args: argparse.Namespace, notice: NoticeDraft, err: TextIO) -> int:
    if args.format == "pdf":
        from incident_tracker.documents.pdf import render_pdf

        content = render_pdf([notice.blocks], notice.title)
    else:
        from incident_tracker.documents.word import render_docx

        content = render_docx([notice.blocks], notice.title)
    try:
        Path(args.output).write_bytes(content)
    except OSError as exc:
        return _fail(err, [f"{args.output}: cannot write: {exc.strerror}"])
    err.write(f"wrote {args.output}\n")
    return 0
