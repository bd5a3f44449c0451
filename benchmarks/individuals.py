"""The affected-individual list at 50,000 rows: is one request enough to check it,
and how long do the merged letters take?

1. `core.individuals.check` on a 50,000-row CSV (about 4 MB): parse, validate every row,
   de-duplicate, count per State.
2. `services.individuals.upload` (the check plus storing the 49,9xx people in one transaction)
   and `confirm` (counts replaced, obligations recomputed) on a migrated SQLite file: what one web
   request does.
3. Merged letters: `LetterWorker` makes SAMPLE letters in chunks of 20 (WeasyPrint PDF + DOCX
   fragment per chunk, as the scheduler does), timed per letter; then the final assembly of a
   50,000-letter file is timed for real by joining 2,500 copies of one 20-letter chunk
   (pdfunite for the PDF, the streamed DOCX). The 50,000-letter total is the per-letter time
   x 50,000 + that assembly (`--full` makes all 50,000 letters instead: hours).

The machine's load average is printed first: other work on the same 2 CPUs slows every figure.
Run: `.venv/bin/python benchmarks/individuals.py [--sample 200] [--full]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from incident_tracker.cli_admin import migrate
from incident_tracker.clock import SystemClock
from incident_tracker.config import Settings
from incident_tracker.core import individuals as core
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import Incident, LetterRun
from incident_tracker.documents.merge import join_docx, join_pdfs
from incident_tracker.services import incidents, individuals, letters, organisation, users
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from incident_tracker.services.incidents import IncidentValues

ROWS = 50_000
STATES = ("NY", "NJ", "CA", "PA", "TX", "FL", "MA", "PR")
HEADER = (
    "name,address_line1,address_line2,city,state,zip,email,deceased,next_of_kin_name,"
    "next_of_kin_address_line1,next_of_kin_address_line2,next_of_kin_city,next_of_kin_state,"
    "next_of_kin_zip"
)
KEY = "benchmark-audit-key-0123456789abcdef0123456789"


def make_csv(rows: int) -> bytes:
    """Rows like a real mailing list: 1 in 200 deceased with a next of kin, 1 in 500 repeated."""
    out = [HEADER]
    for i in range(rows):
        state = STATES[i % len(STATES)]
        if i % 500 == 499:
            out.append(out[-1])  # a duplicate of the row before
            continue
        kin = ",,,,,"
        deceased = "no"
        if i % 200 == 7:
            deceased, kin = (
                "yes",
                f"Kin Of {i},{i} Oak Ave,,Springfield,{state},{10000 + i % 89999}",
            )
        out.append(
            f"Person Number {i},{i} Main Street,Apt {i % 40},Springfield,{state},"
            f"{10000 + i % 89999:05d},p{i}@example.org,{deceased},{kin}"
        )
    return ("\n".join(out) + "\n").encode()


def timed(label: str, work: object) -> object:
    start = time.perf_counter()
    result = work() if callable(work) else None
    print(f"{label}: {time.perf_counter() - start:8.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=200, help="letters actually made")
    parser.add_argument("--full", action="store_true", help="make all 50,000 letters")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    content = make_csv(ROWS)
    print(f"{ROWS:,}-row CSV: {len(content) / 1e6:.1f} MB")
    check = timed(
        "check (parse, validate, de-duplicate, count per State)", lambda: core.check(content)
    )
    assert isinstance(check, core.ListCheck) and check.ok
    print(
        f"  {len(check.people):,} people, {len(check.duplicates):,} duplicates, "
        f"{check.deceased:,} deceased, {len(check.by_state)} States"
    )
    folder = Path(tempfile.mkdtemp(prefix="individuals-bench-"))
    try:
        run_all(folder, content, args.sample if not args.full else len(check.people))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_all(folder: Path, content: bytes, sample: int) -> None:
    settings = Settings(env="test", instance_path=folder, audit_key=KEY)
    migrate(settings)
    engine = make_engine(settings.db_url)
    clock = SystemClock()

    def call_in(session: object) -> Call:
        return Call(session, SYSTEM, clock.now(), KEY)  # type: ignore[arg-type]

    with unit_of_work(engine) as session:
        call = call_in(session)
        organisation.update(
            call,
            organisation.ProfileInput(
                "Smith & Sons Health",
                "100 Main Street\nAlbany, NY 12207",
                "America/New_York",
                True,
                "provider",
                False,
                False,
                "1-800-555-0100",
                "privacy@smith-sons.example",
                "https://smith-sons.example",
                "",
                "",
            ),
        )
        values = IncidentValues(
            title="Benchmark",
            discovered_on=date(2026, 11, 2),
            states={"NY": 10},
            data_elements=("name", "diagnosis"),
            risk_assessment="not_low_probability",
        )
        owner = users.create_user(call, "officer@example.org", "privacy_officer", KEY, "Officer")
        incident_id = incidents.create(call, replace(values, owner_id=owner.id)).id

    def upload_and_confirm() -> int:
        with unit_of_work(engine) as session:
            call = call_in(session)
            incident = session.get(Incident, incident_id)
            assert incident is not None
            pending = individuals.upload(call, incident, content).pending
            assert pending is not None
            list_id = pending.id or 0
        with unit_of_work(engine) as session:
            call = call_in(session)
            incident = session.get(Incident, incident_id)
            assert incident is not None
            individuals.confirm(call, incident, list_id)
        return list_id

    timed(
        "upload + confirm (check, store every person, recompute) in 2 transactions",
        upload_and_confirm,
    )
    storage = folder / "letters"
    worker = letters.LetterWorker(engine, KEY, storage, clock.now)
    with unit_of_work(engine) as session:
        incident = session.get(Incident, incident_id)
        assert incident is not None
        run = letters.start(call_in(session), incident)
        run_id, total = run.id or 0, run.total
    with unit_of_work(engine) as session:  # make only `sample` letters: a run of that size
        row = session.get(LetterRun, run_id)
        assert row is not None
        row.total = min(sample, total)
    start = time.perf_counter()
    chunks = 0
    while worker.step(run_id):
        chunks += 1
    spent = time.perf_counter() - start
    with unit_of_work(engine) as session:
        row = session.get(LetterRun, run_id)
        assert row is not None and row.status == "done", row.error
        pdf_mb, docx_mb, text = row.pdf_size / 1e6, row.docx_size / 1e6, row.text
    per_letter = spent / min(sample, total)
    print(
        f"{min(sample, total):,} merged letters in {chunks} chunks: {spent:8.2f} s "
        f"({per_letter * 1000:.0f} ms per letter; PDF {pdf_mb:.1f} MB, DOCX {docx_mb:.2f} MB)"
    )
    assembly = time_assembly(folder, text)
    estimate = per_letter * total + assembly
    print(
        f"estimated {total:,} letters: {estimate / 3600:5.2f} h "
        f"({per_letter * total / 60:.0f} min of chunks + {assembly:.0f} s assembly)"
    )
    engine.dispose()


def time_assembly(folder: Path, text: str) -> float:
    """The final join at 50,000 letters, for real: 2,500 copies of one chunk of 20 real
    letters (the run's own text)."""
    from incident_tracker.core.notices.markup import from_markup
    from incident_tracker.documents.merge import docx_fragment
    from incident_tracker.documents.pdf import render_pdf

    work = folder / "assembly"
    work.mkdir()
    people = [
        core.Person(i, f"Person {i}", core.Address(f"{i} Main St", "", "Albany", "NY", "12207"))
        for i in range(20)
    ]
    blocks = from_markup(text)
    letters_ = [core.addressed(blocks, core.letter_recipient(p)) for p in people]  # type: ignore[arg-type]
    (work / "one.pdf").write_bytes(render_pdf(letters_, "Notice of Data Breach"))
    (work / "one.xml").write_bytes(docx_fragment(letters_))
    copies = ROWS // 20
    for i in range(copies):
        os.link(work / "one.pdf", work / f"{i:06d}.pdf")
        os.link(work / "one.xml", work / f"{i:06d}.xml")
    start = time.perf_counter()
    join_pdfs(sorted(work.glob("0*.pdf")), folder / "all.pdf")
    pdf_s = time.perf_counter() - start
    join_docx(sorted(work.glob("0*.xml")), folder / "all.docx", "Notice of Data Breach")
    docx_s = time.perf_counter() - start - pdf_s
    print(
        f"assembly of {copies * 20:,} letters: PDF join {pdf_s:6.1f} s "
        f"({(folder / 'all.pdf').stat().st_size / 1e6:.0f} MB), DOCX join {docx_s:6.1f} s "
        f"({(folder / 'all.docx').stat().st_size / 1e6:.0f} MB)"
    )
    return pdf_s + docx_s


if __name__ == "__main__":
    main()
