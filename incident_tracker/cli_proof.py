"""Operator commands for auditors and regulators: `annual-log YEAR --format csv` (the HHS annual
small-breach log, 45 CFR 164.408(c)), `evidence NUMBER --output FILE.zip` (an incident's signed
evidence file) and `evidence verify FILE.zip` (its check, with no database and no audit key)."""

from __future__ import annotations

import getpass
import os
from argparse import Namespace, _SubParsersAction
from pathlib import Path
from typing import TextIO

EXIT_BAD_INPUT = 2


def _operator_call_run(work):  # type: ignore[no-untyped-def]
    """Run `work(call, settings)` as the operator (trusted, audited under cli:USER)."""
    from incident_tracker.clock import SystemClock
    from incident_tracker.config import Settings
    from incident_tracker.db import make_engine, unit_of_work
    from incident_tracker.services.audit import Actor
    from incident_tracker.services.call import Call

    settings = Settings.from_env(os.environ)
    engine = make_engine(settings.db_url)
    try:
        with unit_of_work(engine) as session:
            operator = Actor(None, f"cli:{getpass.getuser()}", trusted=True)
            return work(Call(session, operator, SystemClock().now(), settings.audit_key), settings)
    finally:
        engine.dispose()


def cmd_annual_log(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from incident_tracker.services import annual_log, register
    from incident_tracker.services.errors import ValidationFailed

    def work(call, settings):  # type: ignore[no-untyped-def]
        year = annual_log.check_year(args.year, register.local_today(call))
        return annual_log.entries(call, year)

    try:
        log = _operator_call_run(work)
    except ValidationFailed as exc:
        err.write(f"annual-log: {exc.field_errors.get('year', exc)}\n")
        return EXIT_BAD_INPUT
    if args.format == "csv":
        out.write(annual_log.to_csv(log))
        return 0
    for entry in log:
        done = entry.submissions[-1] if entry.submissions else None
        state = f"submitted {done.sent_on} ({done.confirmation})" if done else f"due {entry.due}"
        out.write(f"{entry.number}\t{entry.discovered_on}\t{entry.affected}\t{state}\t")
        out.write(f"{len(entry.missing)} answer(s) missing\n")
    return 0


def cmd_evidence(args: Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if args.target and args.target[0] == "verify":
        return _verify(args, out, err)
    if len(args.target) != 1 or not args.output:
        err.write("evidence: give INCIDENT_NUMBER --output FILE.zip, or verify FILE.zip\n")
        return EXIT_BAD_INPUT
    from sqlmodel import select

    from incident_tracker import files, signing
    from incident_tracker.db.models import Incident
    from incident_tracker.services import evidence_files

    number = args.target[0]

    def work(call, settings):  # type: ignore[no-untyped-def]
        incident = call.session.exec(select(Incident).where(Incident.number == number)).first()
        if incident is None:
            return None
        data = evidence_files.build_zip(
            call,
            incident,
            evidence_files.sources_of(settings),
            settings.evidence_secret(),
            args.include_privileged,
        )
        digest = evidence_files.record_built(call, incident, data, args.include_privileged)
        return data, digest

    try:
        made = _operator_call_run(work)
    except signing.SigningKeyMissing as exc:
        err.write(f"evidence: {exc}\n")
        return EXIT_BAD_INPUT
    if made is None:
        err.write(f"evidence: no incident {number}\n")
        return EXIT_BAD_INPUT
    data, digest = made
    target = Path(args.output)
    files.write_private(target, data)  # the file holds PHI: readable by this account only
    out.write(
        f"wrote {target} ({len(data)} bytes, sha256 {digest}); its hash is in the audit trail\n"
    )
    return 0


def _verify(args: Namespace, out: TextIO, err: TextIO) -> int:
    from incident_tracker import signing

    if len(args.target) != 2:
        err.write("evidence verify: give the ZIP file\n")
        return EXIT_BAD_INPUT
    expected = None
    if args.public_key:
        expected = Path(args.public_key).read_text(encoding="ascii").strip()
    verdict = signing.verify_zip(Path(args.target[1]), expected)
    key = verdict.public_key
    printable = f"{key} (fingerprint {signing.fingerprint(key)})" if key else "none"
    if verdict.ok:
        out.write(f"evidence file verified: signature good, {verdict.files} file(s) match\n")
        out.write(f"signed by public key {printable}\n")
        if expected is None:
            out.write(
                "compare the key with the one on the organisation page, or pass --public-key\n"
            )
        return 0
    for problem in verdict.problems:
        err.write(f"evidence verify: {problem}\n")
    err.write("evidence file REFUSED\n")
    return 1


def add_commands(sub: object) -> None:
    assert isinstance(sub, _SubParsersAction)
    p = sub.add_parser(
        "annual-log", help="the HHS annual log of breaches under 500 for a calendar year"
    )
    p.add_argument("year", help="the calendar year of discovery, e.g. 2026")
    p.add_argument("--format", choices=("csv", "text"), default="text")
    p.set_defaults(handler=cmd_annual_log)
    p = sub.add_parser(
        "evidence",
        help="evidence INCIDENT_NUMBER --output FILE.zip: the signed evidence file; "
        "evidence verify FILE.zip: check one",
    )
    p.add_argument("target", nargs="+", metavar="INCIDENT_NUMBER | verify FILE.zip")
    p.add_argument("--output", help="where to write the ZIP")
    p.add_argument(
        "--include-privileged",
        action="store_true",
        help="include risk assessments and legal comments (prepared at the direction of counsel)",
    )
    p.add_argument("--public-key", help="verify: a file with the expected public key")
    p.set_defaults(handler=cmd_evidence)
